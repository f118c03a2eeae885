#pragma once
// Raw bytes over a loopback TCP connection, for tests of what a well-behaved client library would
// never send: malformed framing, several requests at once, half-open connections.
#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace mirror::test {

inline boost::asio::ip::tcp::endpoint loopback(unsigned short port) {
  return {boost::asio::ip::make_address("127.0.0.1"), port};
}

// Sends raw bytes and reads until the server closes the connection (or 10 s pass).
inline std::string raw_exchange(unsigned short port, const std::string& bytes) {
  boost::asio::io_context ioc;
  boost::beast::tcp_stream s(ioc);
  s.expires_after(std::chrono::seconds(10));
  s.connect(loopback(port));
  boost::asio::write(s.socket(), boost::asio::buffer(bytes));
  std::string out;
  boost::system::error_code ec;
  boost::asio::read(s.socket(), boost::asio::dynamic_buffer(out), ec);  // until EOF
  return out;
}

// A kept-alive connection that has completed one /v0.1/ping, which proves the server accepted it.
inline std::unique_ptr<boost::beast::tcp_stream> held_connection(boost::asio::io_context& ioc, unsigned short port) {
  auto s = std::make_unique<boost::beast::tcp_stream>(ioc);
  s->connect(loopback(port));
  boost::asio::write(s->socket(), boost::asio::buffer(std::string("GET /v0.1/ping HTTP/1.1\r\nHost: x\r\n\r\n")));
  std::string got;
  s->expires_after(std::chrono::seconds(10));
  boost::asio::read_until(s->socket(), boost::asio::dynamic_buffer(got), "{\"pong\":true}");
  return s;
}

// Sends a ping on fresh connections until one is answered 200, at most `tries` times: the server
// learns asynchronously that a client closed, or accepts queued connections in its own time.
inline bool ping_served_within(unsigned short port, int tries = 200) {
  for (int i = 0; i < tries; ++i)
    if (raw_exchange(port, "GET /v0.1/ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").starts_with("HTTP/1.1 200"))
      return true;
  return false;
}

}  // namespace mirror::test
