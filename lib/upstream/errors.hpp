#pragma once
// Error codes of the upstream client that no library reports for us. Everything else that can
// go wrong on the wire comes back as the library's own code (asio::error::connection_refused,
// beast::http::error::partial_message for a truncated body, an OpenSSL code for a failed
// handshake or certificate check...), so logs name the real cause.
#include <type_traits>

#include <boost/system/error_code.hpp>

namespace mirror::upstream {

enum class errc {
  // The body went over client_options::max_response_bytes, before or after inflating.
  // A page of 100 servers is far below the default 64 MiB; hitting this means a broken or
  // hostile upstream, so the sync job should treat it like a 5xx, not grow the buffer.
  response_too_large = 1,
  // Content-Encoding: gzip, but the body is not a complete gzip stream (corrupt, truncated,
  // or followed by garbage). A truncated download must never be stored as a shorter page.
  bad_gzip,
  // A Content-Encoding we did not ask for (we only send Accept-Encoding: gzip).
  unsupported_encoding,
  // client_options::base_url is not an absolute http(s) URL without userinfo, query or
  // fragment. make_http_client reports it as std::invalid_argument; parse_base_url returns it.
  bad_base_url,
  // A get() was started while another one was still in flight on the same client. The client
  // owns one connection and does not queue; the sync job issues one request at a time.
  concurrent_get,
  // Deadlines, one per phase (client_options); each compares equal to
  // boost::system::errc::timed_out, so a caller can test any timeout with one comparison.
  connect_timeout,    // resolve + TCP connect took longer than connect_timeout
  handshake_timeout,  // TLS handshake took longer than handshake_timeout
  write_timeout,      // sending the request took longer than write_timeout
  read_timeout,       // the whole response did not arrive within read_timeout
};

const boost::system::error_category& error_category() noexcept;

inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), error_category()};
}

}  // namespace mirror::upstream

template <>
struct boost::system::is_error_code_enum<mirror::upstream::errc> : std::true_type {};
