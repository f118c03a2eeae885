#include "api/cors.hpp"

#include <array>

namespace mirror::api {

void add_cors_headers(response& r) {
  r.headers.emplace_back("Access-Control-Allow-Origin", "*");
  r.headers.emplace_back("Access-Control-Allow-Methods", "GET, OPTIONS");
  r.headers.emplace_back("Access-Control-Allow-Headers", "Authorization, Content-Type");
  r.headers.emplace_back("Access-Control-Expose-Headers", "Content-Type, Content-Length");
  // Cacheable 200s may be sent gzip-encoded (lib/http/server.cpp): caches must key on both.
  r.headers.emplace_back("Vary", r.cacheable && r.status == 200 ? "Origin, Accept-Encoding" : "Origin");
}

response preflight(const request& req) {
  response r;
  r.status = 204;
  r.content_type.clear();
  r.headers.emplace_back("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
  static constexpr std::array<std::string_view, 7> allowed = {"GET", "HEAD", "POST", "PUT",
                                                              "PATCH", "DELETE", "OPTIONS"};
  bool ok = false;
  for (auto m : allowed) ok = ok || m == req.access_control_method;
  if (!ok) return r;  // rs/cors: preflight refused, no CORS headers
  const bool read = req.access_control_method == "GET" || req.access_control_method == "HEAD" ||
                    req.access_control_method == "OPTIONS";
  r.headers.emplace_back("Access-Control-Allow-Origin", "*");
  r.headers.emplace_back("Access-Control-Allow-Methods",
                         read ? std::string("GET, OPTIONS") : std::string(req.access_control_method));
  std::string allow_headers = "Authorization, Content-Type";
  if (!req.access_control_headers.empty()) {
    allow_headers += ", ";
    allow_headers += req.access_control_headers;
  }
  r.headers.emplace_back("Access-Control-Allow-Headers", allow_headers);
  r.headers.emplace_back("Access-Control-Max-Age", "86400");
  return r;
}

}  // namespace mirror::api
