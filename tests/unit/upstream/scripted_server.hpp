#pragma once
// A tiny HTTP/1.1 server for the upstream client's tests: listens on 127.0.0.1:0 on the
// test's io_context, reads request heads (GET only, no bodies) and answers the Nth request
// (counted over all connections) with the Nth scripted reply, byte for byte. It records what
// it saw, so tests can check the request line, headers, connection reuse and SNI.
#include <cstddef>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

namespace mirror::upstream::test {

struct reply {
  enum class then {
    keep_open,  // wait for the next request on this connection
    close,      // close the TCP connection right after sending `bytes`
    hang,       // send nothing and keep the connection open (until the client gives up)
  };
  std::string bytes;
  then after = then::keep_open;
};

// "HTTP/1.1 <status> X\r\nContent-Length: <n>\r\n<extra_headers>\r\n<body>"; each extra
// header line must end in "\r\n".
std::string http_response(unsigned status, std::string_view body, std::string_view extra_headers = "");

class scripted_server {
 public:
  // `tls`, when given, makes every connection TLS (server side); it must outlive the server.
  scripted_server(boost::asio::io_context& ioc, std::vector<reply> script,
                  boost::asio::ssl::context* tls = nullptr);
  ~scripted_server();

  unsigned short port() const;
  std::string url(std::string_view scheme = "http", std::string_view path = "") const;

  std::size_t connections() const;  // accepted so far
  const std::vector<std::string>& requests() const { return requests_; }  // raw heads
  const std::vector<std::string>& server_names() const { return server_names_; }  // SNI seen

  // Non-HTTP bytes (e.g. a TLS ClientHello on a plain server): answer 400 and close, as a
  // real HTTP server would (default), or say nothing at all.
  void answer_garbage(bool yes) { answer_garbage_ = yes; }

  // Closes every open connection without a word, like a server's idle timeout.
  void drop_connections();
  // Stops accepting and closes everything, so the test's ioc.run() can return.
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
  std::vector<std::string> requests_;
  std::vector<std::string> server_names_;
  bool answer_garbage_ = true;
};

}  // namespace mirror::upstream::test
