#pragma once
// The one skeleton of every test server: a listener on 127.0.0.1:0 whose accept loop hands each
// connection to the server's own coroutine, and an io thread to run it on. static_server,
// fake_upstream and the upstream client's scripted_server differ only in what they do with a
// connection.
#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace mirror::test {

class loopback_listener {
 public:
  using serve_fn = std::function<boost::asio::awaitable<void>(boost::asio::ip::tcp::socket)>;

  // Listens at once (the port is known on return) and accepts on `ioc` once it runs. Each
  // connection's coroutine runs detached on `ioc`; an exception in it ends that connection.
  loopback_listener(boost::asio::io_context& ioc, serve_fn serve)
      : acceptor_(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0}), serve_(std::move(serve)) {
    port_ = acceptor_.local_endpoint().port();
    boost::asio::co_spawn(ioc, accept_loop(), boost::asio::detached);
  }
  loopback_listener(const loopback_listener&) = delete;
  loopback_listener& operator=(const loopback_listener&) = delete;

  unsigned short port() const { return port_; }
  std::string url(std::string_view scheme = "http", std::string_view path = "") const {
    return std::string(scheme) + "://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  std::size_t accepted() const { return accepted_; }  // connections so far

  // Stops accepting; connections already open are the server's to end. On the io thread (or
  // before it runs).
  void close() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  }

 private:
  boost::asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(boost::asio::as_tuple(boost::asio::use_awaitable));
      if (ec) co_return;
      ++accepted_;
      boost::asio::co_spawn(acceptor_.get_executor(), serve_(std::move(socket)), boost::asio::detached);
    }
  }

  boost::asio::ip::tcp::acceptor acceptor_;
  serve_fn serve_;
  unsigned short port_ = 0;
  std::atomic<std::size_t> accepted_{0};
};

// An io_context run by its own thread from construction until stop() (or destruction), which
// abandons whatever is still pending on it. A server that owns one must call stop() first
// in its destructor, before the members the io thread uses are destroyed.
class io_thread {
 public:
  io_thread() : thread_([this] { ioc_.run(); }) {}
  ~io_thread() { stop(); }
  io_thread(const io_thread&) = delete;
  io_thread& operator=(const io_thread&) = delete;

  boost::asio::io_context& context() { return ioc_; }
  void stop() {
    if (!thread_.joinable()) return;
    work_.reset();
    ioc_.stop();
    thread_.join();
  }

 private:
  boost::asio::io_context ioc_;
  // Keeps run() going before the first handler is queued.
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{ioc_.get_executor()};
  std::thread thread_;
};

}  // namespace mirror::test
