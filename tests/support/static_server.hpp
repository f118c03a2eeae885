#pragma once
// A tiny static HTTP/1.1 file server on 127.0.0.1:0 for tests: GET <target> answers the bytes
// registered for that exact target (200), anything else 404. Keep-alive; one io thread.
#include <map>
#include <mutex>
#include <string>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "support/loopback_server.hpp"

namespace mirror::test {

class static_server {
 public:
  static_server() = default;
  ~static_server() { io_.stop(); }  // first: the io thread uses the members below
  static_server(const static_server&) = delete;
  static_server& operator=(const static_server&) = delete;

  std::string base_url() const { return listener_.url(); }

  void put(const std::string& target, std::string body) {
    std::lock_guard lock(mutex_);
    files_[target] = std::move(body);
  }
  std::size_t requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  boost::asio::awaitable<void> session(boost::asio::ip::tcp::socket socket) {
    namespace bhttp = boost::beast::http;
    boost::beast::tcp_stream stream(std::move(socket));
    boost::beast::flat_buffer buffer;
    for (;;) {
      bhttp::request<bhttp::string_body> req;
      stream.expires_after(std::chrono::seconds(60));
      auto [ec, n] = co_await bhttp::async_read(stream, buffer, req, token);
      if (ec) co_return;
      bhttp::response<bhttp::string_body> res{bhttp::status::ok, req.version()};
      {
        std::lock_guard lock(mutex_);
        ++requests_;
        auto it = files_.find(std::string(req.target()));
        if (it == files_.end()) {
          res.result(bhttp::status::not_found);
          res.body() = "not found\n";
        } else {
          res.body() = it->second;
        }
      }
      res.set(bhttp::field::content_type, "application/octet-stream");
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      auto [wec, wn] = co_await bhttp::async_write(stream, res, token);
      if (wec || !req.keep_alive()) co_return;
    }
  }

  static constexpr auto token = boost::asio::as_tuple(boost::asio::use_awaitable);
  mutable std::mutex mutex_;
  std::map<std::string, std::string> files_;
  std::size_t requests_ = 0;
  // Last: the io thread starts accepting once everything above exists.
  io_thread io_;
  loopback_listener listener_{io_.context(), [this](boost::asio::ip::tcp::socket s) { return session(std::move(s)); }};
};

}  // namespace mirror::test
