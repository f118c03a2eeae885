#include "api/service.hpp"

#include <spdlog/spdlog.h>

#include "api/cors.hpp"
#include "api/handlers.hpp"
#include "api/problem.hpp"
#include "api/redirect.hpp"
#include "api/target.hpp"

namespace mirror::api {
namespace {

bool has_nul(std::string_view s) {
  return s.find('\0') != std::string_view::npos || s.find("%00") != std::string_view::npos;
}

bool is_read(std::string_view method) { return method == "GET" || method == "HEAD"; }

}  // namespace

service::service(service_options options, std::function<store::reader&()> reader_for_thread,
                 mirror_hooks hooks)
    : options_(std::move(options)), reader_for_thread_(std::move(reader_for_thread)), hooks_(std::move(hooks)) {}

response service::handle(const request& req) const {
  response r;
  try {
    r = dispatch(req);
  } catch (const std::exception& e) {
    spdlog::error("{} {}: {}", req.method, req.target, e.what());
    r = problem(500, "Internal server error");
  }
  if (r.status != 204) add_cors_headers(r);
  // The HTTP layer adds the ETag (from the change sequence) and answers If-None-Match.
  if (r.cacheable && r.status == 200) add_cache_control(r);
  return r;
}

bool service::cacheable_route(std::string_view raw) const {
  auto parsed = parse_target(raw);
  if (!parsed) return false;
  const target& t = *parsed;
  if (has_nul(t.decoded_path) || has_nul(t.raw_query)) return false;
  if (t.raw_path.ends_with('/') || clean_path(t.raw_path) != t.raw_path) return false;
  const auto& s = t.segments;
  if (s.size() == 1) return s[0] == "openapi.yaml";
  if (s.empty() || (s[0] != "v0.1" && s[0] != "v0")) return false;
  if (s.size() == 2) return s[1] == "servers";
  if (s.size() == 4 && s[1] == "servers") return s[3] == "versions";
  if (s.size() == 5 && s[1] == "servers") return s[3] == "versions";
  if (s.size() == 4 && s[1] == "x")
    return !options_.extension_namespace.empty() && s[2] == options_.extension_namespace && s[3] == "changes";
  return false;
}

response service::not_modified() const {
  response r;
  r.cacheable = true;
  r.content_type.clear();
  r.route = "(not modified)";  // metrics label of 304s answered without routing
  add_cors_headers(r);
  add_cache_control(r);
  return r;
}

void service::add_cache_control(response& r) const {
  r.headers.emplace_back("Cache-Control", options_.cache_max_age.count() > 0
                                              ? "public, max-age=" + std::to_string(options_.cache_max_age.count())
                                              : std::string("public, no-cache"));
}

response service::dispatch(const request& req) const {
  auto parsed = parse_target(req.target);
  if (!parsed) {
    const auto path = req.target.substr(0, req.target.find('?'));
    if (has_nul(path)) return nul_byte_rejected(true);
    return problem(400, "Invalid request: malformed request target");
  }
  const target& t = *parsed;
  if (has_nul(t.decoded_path)) return nul_byte_rejected(true);
  if (has_nul(t.raw_query)) return nul_byte_rejected(false);

  if (t.raw_path != "/" && t.raw_path.ends_with('/'))
    return redirect(308, clean_path(t.raw_path), t.raw_query, req.method);
  if (req.method == "OPTIONS" && !req.access_control_method.empty()) return preflight(req);
  if (const auto clean = clean_path(t.raw_path); clean != t.raw_path)
    return redirect(301, clean, t.raw_query, req.method);  // Go's ServeMux canonical-path redirect

  const auto& s = t.segments;
  const auto m = req.method;
  if (s.size() == 1 && s[0] == "openapi.yaml" && is_read(m)) {
    auto r = handlers::openapi(options_);
    r.route = "/openapi.yaml";
    return r;
  }
  if (s.size() == 1 && s[0] == "metrics" && is_read(m) && hooks_.metrics_text) {
    auto r = handlers::metrics(hooks_);
    r.route = "/metrics";
    return r;
  }
  if (s.empty() || (s[0] != "v0.1" && s[0] != "v0")) return route_not_found(t.decoded_path);

  const std::size_t n = s.size() - 1;  // segments after the version prefix
  const std::string prefix = "/" + s[0];
  auto routed = [&](response r, std::string_view route_template) {
    r.route = prefix + std::string(route_template);
    return r;
  };
  auto at = [&](std::size_t i) -> const std::string& { return s[i + 1]; };
  if (n == 1 && at(0) == "servers" && is_read(m))
    return routed(handlers::list_servers(t, reader_for_thread_(), options_.render), "/servers");
  if (n == 3 && at(0) == "servers" && at(2) == "versions" && is_read(m))
    return routed(handlers::server_versions(t, at(1), reader_for_thread_(), options_.render),
                  "/servers/{serverName}/versions");
  if (n == 4 && at(0) == "servers" && at(2) == "versions") {
    if (is_read(m))
      return routed(handlers::server_version(t, at(1), at(3), reader_for_thread_(), options_.render),
                    "/servers/{serverName}/versions/{version}");
    if (m == "PUT") return handlers::read_only("Updates are not supported by this registry");
    if (m == "DELETE") return handlers::read_only("Deletion is not supported by this registry");
  }
  if (m == "PATCH" && ((n == 5 && at(0) == "servers" && at(2) == "versions" && at(4) == "status") ||
                       (n == 3 && at(0) == "servers" && at(2) == "status")))
    return handlers::read_only("Status updates are not supported by this registry");
  if (n == 1 && at(0) == "publish" && m == "POST")
    return handlers::read_only("Publishing is not supported by this registry");
  // Extensions: /v0.1/x/<namespace>/<name>.
  if (n == 3 && at(0) == "x" && !options_.extension_namespace.empty() &&
      at(1) == options_.extension_namespace) {
    if (at(2) == "changes" && is_read(m))
      return routed(handlers::changes(t, reader_for_thread_()), "/x/{namespace}/changes");
    if (at(2) == "sync-status" && is_read(m) && hooks_.sync_status)
      return routed(handlers::sync_status(hooks_), "/x/{namespace}/sync-status");
    if (at(2) == "sync" && m == "POST" && hooks_.trigger_sync && !hooks_.admin_token.empty())
      return routed(handlers::trigger_sync(req.authorization, hooks_), "/x/{namespace}/sync");
    if (at(2) == "reload" && m == "POST" && hooks_.reload_curation && !hooks_.admin_token.empty())
      return routed(handlers::reload_curation(req.authorization, hooks_), "/x/{namespace}/reload");
    if (at(2) == "explain" && is_read(m) && hooks_.explain)
      return routed(handlers::explain(t, hooks_), "/x/{namespace}/explain");
  }
  if (n == 1 && is_read(m)) {
    if (at(0) == "health") return routed(handlers::health(options_, hooks_), "/health");
    if (at(0) == "ping") return routed(handlers::ping(), "/ping");
    if (at(0) == "version") return routed(handlers::version_info(options_), "/version");
  }
  return route_not_found(t.decoded_path);
}

}  // namespace mirror::api
