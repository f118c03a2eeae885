#pragma once
// The API's routes as data: one row per (methods, path pattern) says what answers it, whether its
// 200 may be cached, and when it exists at all. service routes every request through this one
// table, and the HTTP layer asks the same match whether it may answer If-None-Match without
// running the handler, so the route list is written once (a new endpoint is one row).
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_types.hpp"
#include "api/mirror_hooks.hpp"
#include "api/target.hpp"

namespace mirror::store {
class reader;
}

namespace mirror::api {

struct service_options;

// What a handler may use besides the request: the options, the daemon's hooks, and the calling
// thread's store reader (opened on first use, so routes that never read never open one).
struct route_context {
  const service_options& options;
  const mirror_hooks& hooks;
  const std::function<store::reader&()>& reader;
};

// One matched request as a handler sees it.
struct route_call {
  const request& req;
  const target& t;
  std::span<const std::string_view> params;  // the pattern's {placeholders}, decoded, in order
  const route_context& ctx;
};

enum method : std::uint8_t { get_head = 1, put = 2, del = 4, patch = 8, post = 16 };

struct route {
  // Under /v0.1 and /v0, the prefix becoming part of the label; else at the root.
  bool versioned;
  // Segments after the prefix; `{x}` matches any segment and is passed on as a parameter, except
  // `{namespace}`, which matches only the configured extension namespace. Also the metrics label.
  std::string_view pattern;
  std::uint8_t methods;  // bits of `method`
  // The 200 is a pure function of (target, change sequence): cached, and a matching
  // If-None-Match is answered 304 without running the handler.
  bool cacheable;
  // nullptr: always served; else the route exists only when this says so (its hook is set).
  bool (*available)(const route_context&);
  // nullptr for the spec's write operations, which answer 501 with `not_supported` as detail.
  response (*handle)(const route_call&);
  std::string_view not_supported;
};

// The table, in match order.
std::span<const route> route_table();

// A request target matched against the table.
struct route_match {
  const route* row = nullptr;  // nullptr: no route (the upstream's 404)
  std::string label;           // "/v0.1/servers/{serverName}/versions"; metrics only
  std::vector<std::size_t> params;  // indexes into target::segments of the {placeholders}
};

route_match match_route(const target& t, std::string_view method, const route_context& ctx);

}  // namespace mirror::api
