#pragma once
// What the server checks in a request's header before it reads a body or routes anything
// (RFC 9112). Framing that two parsers could read differently is refused and the connection
// closed: behind a connection-reusing proxy, a body the mirror ignored would be read as the
// next request, and clients would get each other's responses (request smuggling).
#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>

#include "api/http_types.hpp"

namespace mirror::http {

// A 400 to send before closing, or nullopt when the header may be served. `has_body`: the
// parser framed a body (chunked, or a Content-Length above 0).
// - HTTP/1.1 with no Host or several (HTTP/1.0: at most one);
// - any Transfer-Encoding other than exactly one `chunked` (RFC 9112 §6.3: a request whose last
//   coding is not chunked has no determinable length). Chunked together with Content-Length
//   never gets here: Beast's parser refuses it (bad_transfer_encoding / bad_content_length),
//   which read_error_response answers with 400;
// - a body on a method that takes none (GET, HEAD, OPTIONS): no route of this API reads one.
std::optional<api::response> refuse_header(const boost::beast::http::request_header<>& h, bool has_body);

// The answer to a request that could not be read (413, 431, 400 for a malformed one) before the
// connection closes; nullopt when the peer went away or timed out, and nothing is owed.
std::optional<api::response> read_error_response(const boost::beast::error_code& ec);

// The origin-form of an absolute-form target (`http://host/v0.1/ping?x` → `/v0.1/ping?x`), which
// RFC 9112 §3.2.2 says a server must accept; any other target is returned as it is. A view into
// `target`, or into `storage` in the one case that needs a new string (`http://host?x` → `/?x`):
// the common request costs no allocation.
std::string_view origin_form(std::string_view target, std::string& storage);

}  // namespace mirror::http
