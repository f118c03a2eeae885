#include "api/problem.hpp"

#include "json/writer.hpp"

namespace mirror::api {

std::string_view status_text(unsigned status) {
  switch (status) {
    case 200: return "OK";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 304: return "Not Modified";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 410: return "Gone";
    case 413: return "Request Entity Too Large";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

response problem(unsigned status, std::string_view detail, const std::vector<error_detail>& errors) {
  response r;
  r.status = status;
  r.content_type = "application/problem+json";
  json::writer w(r.body);
  w.begin_object()
      .member("title", status_text(status))
      .member("status", static_cast<std::int64_t>(status))
      .member("detail", detail);
  if (!errors.empty()) {
    w.key("errors").begin_array();
    for (const auto& e : errors) {
      w.begin_object().member("message", e.message);
      if (!e.location.empty()) w.member("location", e.location);
      if (!e.value_json.empty()) w.key("value").raw(e.value_json);
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
  r.body += '\n';
  return r;
}

response route_not_found(std::string_view decoded_path) {
  std::string detail = "Endpoint not found. See /docs for the API documentation.";
  if (!decoded_path.starts_with("/v0/") && !decoded_path.starts_with("/v0.1/")) {
    detail = "Endpoint not found. Did you mean '/v0.1";
    detail += decoded_path;
    detail += "' or '/v0";
    detail += decoded_path;
    detail += "'? See /docs for the API documentation.";
  }
  response r;
  r.status = 404;
  r.content_type = "application/problem+json";
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  // json.Marshal of a Go map: keys in sorted order, no trailing newline.
  json::writer w(r.body);
  w.begin_object().member("detail", detail).member("status", std::int64_t{404}).member("title", "Not Found").end_object();
  return r;
}

response nul_byte_rejected(bool in_path) {
  response r = problem(400, in_path ? "Invalid request: URL path contains null bytes"
                                    : "Invalid request: query parameters contain null bytes");
  r.content_type = "application/json";
  return r;
}

}  // namespace mirror::api
