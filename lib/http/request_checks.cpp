#include "http/request_checks.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>

#include "api/problem.hpp"

namespace mirror::http {

namespace bhttp = boost::beast::http;

namespace {

bool takes_no_body(bhttp::verb m) {
  return m == bhttp::verb::get || m == bhttp::verb::head || m == bhttp::verb::options;
}

std::size_t count_field(const bhttp::request_header<>& h, bhttp::field f) {
  const auto [first, last] = h.equal_range(f);
  return static_cast<std::size_t>(std::distance(first, last));
}

}  // namespace

std::optional<api::response> refuse_header(const bhttp::request_header<>& h, bool has_body) {
  const auto hosts = count_field(h, bhttp::field::host);
  if ((h.version() >= 11 && hosts != 1) || hosts > 1)
    return api::problem(400, "Invalid request: an HTTP/1.1 request needs exactly one Host header");
  const auto codings = count_field(h, bhttp::field::transfer_encoding);
  if (codings > 1 || (codings == 1 && !boost::beast::iequals(h[bhttp::field::transfer_encoding], "chunked")))
    return api::problem(400, "Invalid request: unsupported Transfer-Encoding (only chunked is accepted)");
  if (has_body && takes_no_body(h.method()))
    return api::problem(400, "Invalid request: a " + std::string(h.method_string()) + " request carries no body");
  return std::nullopt;
}

std::optional<api::response> read_error_response(const boost::beast::error_code& ec) {
  if (ec == bhttp::error::body_limit) return api::problem(413, "Request body too large");
  if (ec == bhttp::error::header_limit) return api::problem(431, "Request header fields too large");
  // Any other parser error (bad method, bad target, bad header...) is the client's: answer 400.
  // end_of_stream / partial_message mean the peer went away; socket errors and timeouts too.
  const auto& http_category = make_error_code(bhttp::error::bad_target).category();
  if (ec.category() == http_category && ec != bhttp::error::end_of_stream &&
      ec != bhttp::error::partial_message)
    return api::problem(400, "Invalid request: malformed HTTP request");
  return std::nullopt;
}

std::string_view origin_form(std::string_view target, std::string& storage) {
  std::size_t scheme_end = 0;
  for (const std::string_view scheme : {"http://", "https://"})
    if (target.size() >= scheme.size() && boost::beast::iequals(target.substr(0, scheme.size()), scheme))
      scheme_end = scheme.size();
  if (scheme_end == 0) return target;
  const auto rest = target.substr(scheme_end);
  const auto path = rest.find_first_of("/?");
  if (path == std::string_view::npos) return "/";
  if (rest[path] == '/') return rest.substr(path);
  storage = "/" + std::string(rest.substr(path));  // "http://host?x" → "/?x"
  return storage;
}

}  // namespace mirror::http
