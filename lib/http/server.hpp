#pragma once
// The Beast shell around api::service (README Architecture, `http`): one io thread runs the
// acceptor and every session; each request that misses the response cache hops to the reader
// pool, where the synchronous handler runs on that thread's SQLite connection (H5), and comes
// back to the io thread to be written. Limits and deadlines on everything (H3).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>

#include "api/service.hpp"

namespace mirror::http {

struct server_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::chrono::milliseconds read_timeout{30'000};   // whole request, headers and body
  std::chrono::milliseconds idle_timeout{120'000};  // keep-alive wait for the next request
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds drain_timeout{10'000};  // graceful stop: in-flight requests finish
  std::uint32_t header_limit = 16 * 1024;
  std::uint64_t body_limit = 64 * 1024;
  std::size_t max_connections = 4096;
  // One peer address's share of max_connections (a proxy in front is one peer: keep it large).
  std::size_t max_connections_per_client = 512;
  // Cache misses waiting for or running a route handler on the reader pool; past this, 503 +
  // Retry-After. (404s, redirects and preflights run no handler and never queue.)
  std::size_t max_queued_requests = 256;
  std::size_t cache_bytes = 32u << 20;  // 0 disables the response cache
};

// The data generation responses are valid for (read on the io thread).
using generation_source = std::function<std::uint64_t()>;
// Observes every finished request (route metrics, access log); io thread.
struct request_log {
  std::string_view method;
  std::string_view target;
  std::string_view route;  // api::response::route
  unsigned status;
  std::size_t body_bytes;
  std::chrono::nanoseconds duration;
  bool cache_hit;
};
using request_observer = std::function<void(const request_log&)>;

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
