#pragma once
// A tiny static HTTP/1.1 file server on 127.0.0.1:0 for tests: GET <target> answers the bytes
// registered for that exact target (200), anything else 404. Keep-alive; one io thread.
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace mirror::test {

class static_server {
 public:
  static_server() : acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    port_ = acceptor_.local_endpoint().port();
    boost::asio::co_spawn(ioc_, accept_loop(), boost::asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~static_server() {
    ioc_.stop();
    thread_.join();
  }
  static_server(const static_server&) = delete;
  static_server& operator=(const static_server&) = delete;

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  void put(const std::string& target, std::string body) {
    std::lock_guard lock(mutex_);
    files_[target] = std::move(body);
  }
  std::size_t requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  boost::asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(token);
      if (ec) co_return;
      boost::asio::co_spawn(ioc_, session(std::move(socket)), boost::asio::detached);
    }
  }

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
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::map<std::string, std::string> files_;
  std::size_t requests_ = 0;
};

}  // namespace mirror::test
