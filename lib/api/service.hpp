#pragma once
// The REST API as one synchronous function: request in, response out (docs/design-habits.md H2).
// Applies the upstream's middleware in its order (docs/upstream-api.md: Request handling: NUL
// check → trailing slash redirect → CORS → router), then routes on decoded path segments.
// Thread-safe as long as `reader_for_thread` returns a reader owned by the calling thread.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/http_types.hpp"
#include "api/mirror_hooks.hpp"
#include "api/routes.hpp"
#include "api/target.hpp"
#include "api/views.hpp"
#include "render/server_response.hpp"

namespace mirror::api {

struct service_options {
  render::render_options render;
  std::string version = "dev";
  std::string git_commit = "unknown";
  std::string build_time = "unknown";
  std::string github_client_id;  // `/health` adds it only when set, as upstream
  std::string openapi_yaml;      // served at /openapi.yaml
  std::string extension_namespace;  // "io.github.mcp-mirror" → /v0.1/x/io.github.mcp-mirror/...
  // The configured sources in precedence order, (name, url), sync on or off: /info lists them.
  std::vector<std::pair<std::string, std::string>> sources;
  // Cache-Control max-age of cacheable 200s (list, versions, detail, changes, openapi.yaml);
  // 0 → `no-cache` (always revalidate with If-None-Match, which the HTTP layer answers with 304).
  std::chrono::seconds cache_max_age{60};
  // `views:`: each served under /views/<name>/ with the whole API (api/views.hpp).
  std::vector<view_options> views;
};

// A request parsed and matched once (service::route, cheap and store-free: the HTTP layer calls
// it on its io thread), then answered (service::handle, on a reader thread). Holds views of the
// request's strings: valid while the request is.
struct routed {
  request req;
  std::optional<target> t;        // nullopt: the target did not parse (`early` says why)
  std::optional<response> early;  // the middleware's own answer: 400, NUL byte, redirect, preflight
  route_match match;              // row null and no `early`: the upstream's 404
  int view = -1;                  // index into service_options::views; -1: the root

  // A resource whose 200 is cacheable (list, versions, detail, changes, openapi.yaml) and needs
  // no redirect: a client can only hold this URL's ETag from such a 200, so the HTTP layer may
  // answer a matching If-None-Match without running the handler.
  bool cacheable() const { return !early && match.row && match.row->cacheable; }
  // A route handler runs (it may read the store or block); otherwise the answer is the
  // middleware's or the 404, cheap enough for the io thread.
  bool needs_handler() const { return !early && match.row; }
};

class service {
 public:
  service(service_options options, std::function<store::reader&()> reader_for_thread,
          mirror_hooks hooks = {});
  ~service();
  service(const service&) = delete;  // context_ points into this object
  service& operator=(const service&) = delete;

  // Parses the target and applies the middleware up to the router; never touches the store.
  routed route(const request& req) const;

  // Never throws: an unexpected failure becomes the upstream's 500 problem (no internal text,
  // docs/conformance.md item 26) and is logged.
  response respond(const routed& r) const;
  response handle(const request& req) const { return respond(route(req)); }

  // The headers of a cacheable resource's 304 (CORS, Cache-Control, Vary); the ETag is the
  // caller's. `private_view`: under a view with tokens (Cache-Control: private).
  response not_modified(bool private_view = false) const;

  // The 401 of a request for a view with tokens that carries none of them (a preflight passes);
  // nullopt when it may go on. Cheap and store-free: the HTTP layer asks before its cache.
  std::optional<response> deny(const request& req) const;
  // Whether `target` is under a view with tokens: its responses are for one client only.
  bool is_private(std::string_view target) const;

 private:
  struct view_route;
  int find_view(std::string_view target) const;  // index, or -1
  response dispatch(const routed& r) const;
  void add_cache_control(response& r, bool private_view) const;
  service_options options_;
  std::function<store::reader&()> reader_for_thread_;
  mirror_hooks hooks_;
  route_context context_{options_, hooks_, reader_for_thread_};
  std::vector<std::unique_ptr<view_route>> views_;  // per view: its hooks, reader and context
};

}  // namespace mirror::api
