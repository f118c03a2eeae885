#pragma once
// The Beast shell around api::service (README Architecture, `http`): one io thread runs the
// acceptor and every session (http/session.hpp); each request that misses the response cache
// hops to the reader pool (http/responder.hpp), where the synchronous handler runs on that
// thread's SQLite connection (H5), and comes back to the io thread to be written. Limits and
// deadlines on everything (H3).
#include <cstddef>
#include <memory>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>

#include "api/service.hpp"
#include "http/options.hpp"

namespace mirror::http {

class server {
 public:
  // Every request the cache cannot answer is routed by `api` on the io thread (cheap, no store),
  // which also says whether a matching If-None-Match may be answered 304 at once, and handled on
  // a pool thread. `api` must outlive the server.
  server(boost::asio::io_context& ioc, boost::asio::thread_pool& pool, server_options options,
         const api::service& api, generation_source generation, request_observer observer = {});
  ~server();

  // Binds and listens; returns the bound endpoint (port 0 → the port the OS chose). Throws
  // std::runtime_error naming the address ("cannot listen on 127.0.0.1:8080: Address already in
  // use") when it cannot be bound.
  boost::asio::ip::tcp::endpoint listen();

  // Accept loop; returns after stop() once every session ended (or the drain deadline passed).
  boost::asio::awaitable<void> run();

  // Stop accepting, close idle keep-alive connections, let in-flight requests finish within
  // drain_timeout, then cut the rest. Safe to call from the io thread only.
  void stop();

  std::size_t active_connections() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace mirror::http
