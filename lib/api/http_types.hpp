#pragma once
// The API's view of HTTP, free of Beast so handlers are plain functions testable without
// sockets (docs/design-habits.md H1, H2). lib/http converts to and from Beast messages.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mirror::api {

struct request {
  std::string_view method;  // "GET", "HEAD", "OPTIONS", ...
  std::string_view target;  // origin-form as received: "/v0.1/servers?limit=5"
  std::string_view origin;                  // Origin header, "" when absent
  std::string_view access_control_method;   // Access-Control-Request-Method, "" when absent
  std::string_view access_control_headers;  // Access-Control-Request-Headers, "" when absent
  std::string_view authorization;           // Authorization header, "" when absent
};

struct response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type/Length
  // A 200 of the data endpoints: a pure function of (target, data generation), so the HTTP layer
  // may cache it until the store changes.
  bool cacheable = false;
  // The matched route template ("/v0.1/servers/{serverName}/versions"), for metrics: bounded,
  // unlike raw paths. "" for unmatched requests.
  std::string route;
};

}  // namespace mirror::api
