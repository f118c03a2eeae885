#pragma once
// Raw bytes over a loopback TCP connection, for tests of what a well-behaved client library would
// never send: malformed framing, several requests at once, half-open connections.
#include <chrono>
#include <memory>
#include <stdexcept>
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

// What a raw exchange read, and whether the server closed the connection (EOF or reset) before
// the client's own deadline.
struct exchange_result {
  std::string bytes;
  bool closed_by_server = false;
};

// Reads what `s` (whose io_context is `ioc`, not running elsewhere) receives until the server
// closes the connection or `deadline` passes. The read is asynchronous on a tcp_stream, whose
// expiry really cancels it: a server that never closes ends the read with closed_by_server
// false instead of hanging the test. Leaves `ioc` ready to run again.
inline exchange_result read_until_close(boost::asio::io_context& ioc, boost::beast::tcp_stream& s,
                                        std::chrono::milliseconds deadline) {
  exchange_result r;
  s.expires_after(deadline);
  boost::asio::async_read(s, boost::asio::dynamic_buffer(r.bytes),
                          [&r](const boost::system::error_code& ec, std::size_t) {
                            r.closed_by_server = ec == boost::asio::error::eof ||
                                                 ec == boost::asio::error::connection_reset;
                          });
  ioc.run();
  ioc.restart();
  return r;
}

// Sends raw bytes on a new connection and reads until the server closes it or `deadline` passes.
inline exchange_result exchange_until_close(unsigned short port, const std::string& bytes,
                                            std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
  boost::asio::io_context ioc;
  boost::beast::tcp_stream s(ioc);
  s.connect(loopback(port));
  boost::asio::write(s.socket(), boost::asio::buffer(bytes));
  return read_until_close(ioc, s, deadline);
}

// The bytes of exchange_until_close(): for tests that look only at what was answered.
inline std::string raw_exchange(unsigned short port, const std::string& bytes) {
  return exchange_until_close(port, bytes).bytes;
}

// A kept-alive connection that has completed one /v0.1/ping, which proves the server accepted it.
// Throws when no pong came within 10 s (an asynchronous read: the stream's expiry bounds it).
// Leaves `ioc` ready to run again.
inline std::unique_ptr<boost::beast::tcp_stream> held_connection(boost::asio::io_context& ioc, unsigned short port) {
  auto s = std::make_unique<boost::beast::tcp_stream>(ioc);
  s->connect(loopback(port));
  boost::asio::write(s->socket(), boost::asio::buffer(std::string("GET /v0.1/ping HTTP/1.1\r\nHost: x\r\n\r\n")));
  std::string got;
  boost::system::error_code read_error;
  s->expires_after(std::chrono::seconds(10));
  boost::asio::async_read_until(*s, boost::asio::dynamic_buffer(got), "{\"pong\":true}",
                                [&read_error](const boost::system::error_code& ec, std::size_t) { read_error = ec; });
  ioc.run();
  ioc.restart();
  if (read_error) throw std::runtime_error("held_connection: no pong: " + read_error.message());
  s->expires_never();
  return s;
}

// Sends a ping on fresh connections until one is answered 200, at most `tries` times: the server
// learns asynchronously that a client closed, or accepts queued connections in its own time.
// Each try waits 2 s at most for its answer.
inline bool ping_served_within(unsigned short port, int tries = 200) {
  for (int i = 0; i < tries; ++i)
    if (exchange_until_close(port, "GET /v0.1/ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                             std::chrono::seconds(2))
            .bytes.starts_with("HTTP/1.1 200"))
      return true;
  return false;
}

}  // namespace mirror::test
