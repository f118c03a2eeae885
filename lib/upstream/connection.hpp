#pragma once
// One HTTP/1.1 connection to the upstream, plain TCP or TLS, with a deadline on every phase
// (client_options). Internal to lib/upstream: http_client keeps at most one and replaces it
// when it breaks. Not safe for concurrent use; every call must finish before the next starts.
#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/system/error_code.hpp>

#include "upstream/base_url.hpp"
#include "upstream/client.hpp"

namespace mirror::upstream::detail {

using request = boost::beast::http::request<boost::beast::http::empty_body>;

// One request/response round trip, before any decoding.
struct exchange_result {
  boost::system::error_code error;  // timeouts already mapped to errc::*_timeout
  // The connection failed before a single response byte arrived (eof, reset, broken pipe,
  // TLS truncation): on a reused connection that is the peer's idle close racing our request,
  // and the request may be resent on a fresh connection.
  bool stale = false;
  bool keep_alive = false;   // the connection may carry another request
  unsigned status = 0;       // set once the response header was parsed, even if the body failed
  std::string retry_after;   // raw Retry-After field
  std::string location;      // raw Location field (redirects are reported, not followed)
  std::string content_encoding;
  std::string body;          // raw (still encoded) body; empty when `error` is set
};

class connection {
 public:
  // `tls` is null for http://; it must outlive the connection.
  connection(boost::asio::any_io_executor executor, boost::asio::ssl::context* tls,
             const base_url& base, const client_options& options);

  // Resolve + connect within connect_timeout, then the TLS handshake within handshake_timeout
  // (SNI unless the host is an IP literal; certificate chain and host name verified).
  boost::asio::awaitable<boost::system::error_code> open();

  // Writes `req` within write_timeout, reads the whole response within read_timeout, the
  // raw body capped at max_response_bytes (errc::response_too_large). After an error the
  // connection is unusable.
  boost::asio::awaitable<exchange_result> exchange(const request& req);

  // Ends the connection politely (TLS close_notify, bounded by handshake_timeout) after the
  // server said "Connection: close". Errors are ignored: the response is already complete.
  boost::asio::awaitable<void> close();

 private:
  template <class Stream>
  boost::asio::awaitable<exchange_result> exchange_on(Stream& stream, const request& req);
  boost::beast::tcp_stream& transport();

  base_url base_;
  client_options options_;
  std::unique_ptr<boost::beast::tcp_stream> plain_;
  std::unique_ptr<boost::asio::ssl::stream<boost::beast::tcp_stream>> tls_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace mirror::upstream::detail
