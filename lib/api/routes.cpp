#include "api/routes.hpp"

#include <algorithm>

#include "api/handlers.hpp"
#include "api/service.hpp"

namespace mirror::api {
namespace {

std::string_view param(const route_call& c, std::size_t i) { return c.params[i]; }
bool has_admin_token(const route_context& c) { return !c.hooks.admin_token.empty(); }
bool first_sync_pending(const route_context& c) { return c.hooks.first_sync_pending && c.hooks.first_sync_pending(); }

// Upstream's routes first (docs/upstream-api.md: Endpoints), then the mirror's own.
constexpr route table[] = {
    {true, "/servers", get_head, true, nullptr,
     [](const route_call& c) { return handlers::list_servers(c.t, c.ctx.reader(), c.ctx.options.render); }, {}},
    {true, "/servers/{serverName}/versions", get_head, true, nullptr,
     [](const route_call& c) {
       return handlers::server_versions(c.t, param(c, 0), c.ctx.reader(), c.ctx.options.render,
                                        first_sync_pending(c.ctx));
     }, {}},
    {true, "/servers/{serverName}/versions/{version}", get_head, true, nullptr,
     [](const route_call& c) {
       return handlers::server_version(c.t, param(c, 0), param(c, 1), c.ctx.reader(), c.ctx.options.render,
                                       first_sync_pending(c.ctx));
     }, {}},
    {true, "/servers/{serverName}/versions/{version}", put, false, nullptr, nullptr,
     "Updates are not supported by this registry"},
    {true, "/servers/{serverName}/versions/{version}", del, false, nullptr, nullptr,
     "Deletion is not supported by this registry"},
    {true, "/servers/{serverName}/versions/{version}/status", patch, false, nullptr, nullptr,
     "Status updates are not supported by this registry"},
    {true, "/servers/{serverName}/status", patch, false, nullptr, nullptr,
     "Status updates are not supported by this registry"},
    {true, "/publish", post, false, nullptr, nullptr, "Publishing is not supported by this registry"},
    {true, "/health", get_head, false, nullptr,
     [](const route_call& c) { return handlers::health(c.ctx.options, c.ctx.hooks); }, {}},
    {true, "/ping", get_head, false, nullptr, [](const route_call&) { return handlers::ping(); }, {}},
    {true, "/version", get_head, false, nullptr,
     [](const route_call& c) { return handlers::version_info(c.ctx.options); }, {}},
    {false, "/openapi.yaml", get_head, true, nullptr,
     [](const route_call& c) { return handlers::openapi(c.ctx.options); }, {}},
    {false, "/metrics", get_head, false, [](const route_context& c) { return bool(c.hooks.metrics_text); },
     [](const route_call& c) { return handlers::metrics(c.ctx.hooks); }, {}},
    // Extensions: /v0.1/x/<namespace>/<name>.
    {true, "/x/{namespace}/changes", get_head, true, nullptr,
     [](const route_call& c) { return handlers::changes(c.t, c.ctx.reader()); }, {}},
    {true, "/x/{namespace}/search", get_head, true, nullptr,
     [](const route_call& c) { return handlers::search(c.t, c.ctx.reader(), c.ctx.options.render); }, {}},
    {true, "/x/{namespace}/info", get_head, false, nullptr,
     [](const route_call& c) { return handlers::instance_info(c.ctx.options, c.ctx.reader()); }, {}},
    {true, "/x/{namespace}/sync-status", get_head, false,
     [](const route_context& c) { return bool(c.hooks.sync_status); },
     [](const route_call& c) { return handlers::sync_status(c.ctx.hooks); }, {}},
    {true, "/x/{namespace}/explain", get_head, false, [](const route_context& c) { return bool(c.hooks.explain); },
     [](const route_call& c) { return handlers::explain(c.t, c.ctx.hooks); }, {}},
    // Admin: only with a token file configured (a bearer token guards them).
    {true, "/x/{namespace}/sync", post, false,
     [](const route_context& c) { return bool(c.hooks.trigger_sync) && has_admin_token(c); },
     [](const route_call& c) { return handlers::trigger_sync(c.req.authorization, c.ctx.hooks); }, {}},
    {true, "/x/{namespace}/reload", post, false,
     [](const route_context& c) { return bool(c.hooks.start_reload) && has_admin_token(c); },
     [](const route_call& c) { return handlers::reload_curation(c.req.authorization, c.ctx.hooks); }, {}},
    {true, "/x/{namespace}/reload/{id}", get_head, false,
     [](const route_context& c) { return bool(c.hooks.reload_status) && has_admin_token(c); },
     [](const route_call& c) { return handlers::reload_status(c.req.authorization, param(c, 0), c.ctx.hooks); },
     {}},
};

std::uint8_t method_bit(std::string_view m) {
  if (m == "GET" || m == "HEAD") return get_head;
  if (m == "PUT") return put;
  if (m == "DELETE") return del;
  if (m == "PATCH") return patch;
  if (m == "POST") return post;
  return 0;
}

// Matches `segments` (the target's, after any version prefix) against a pattern; on success the
// placeholders' indexes (offset by `first`) are appended to `params`.
bool matches(std::string_view pattern, std::span<const std::string> segments, std::size_t first,
             const route_context& ctx, std::vector<std::size_t>& params) {
  std::size_t i = 0;
  params.clear();
  for (std::size_t pos = 1; pos <= pattern.size(); ++i) {
    const auto end = std::min(pattern.find('/', pos), pattern.size());
    const auto part = pattern.substr(pos, end - pos);
    pos = end + 1;
    if (i >= segments.size()) return false;
    if (part == "{namespace}") {
      if (ctx.options.extension_namespace.empty() || segments[i] != ctx.options.extension_namespace) return false;
    } else if (part.starts_with('{')) {
      params.push_back(first + i);
    } else if (segments[i] != part) {
      return false;
    }
  }
  return i == segments.size();
}

}  // namespace

std::span<const route> route_table() { return table; }

route_match match_route(const target& t, std::string_view method, const route_context& ctx) {
  route_match m;
  const auto bit = method_bit(method);
  const std::span<const std::string> all(t.segments);
  const bool versioned = !all.empty() && (all[0] == "v0.1" || all[0] == "v0");
  for (const auto& row : route_table()) {
    if (!(row.methods & bit) || row.versioned != versioned) continue;
    const std::size_t first = versioned ? 1 : 0;
    if (!matches(row.pattern, all.subspan(first), first, ctx, m.params)) continue;
    if (row.available && !row.available(ctx)) continue;
    m.row = &row;
    m.label = versioned ? "/" + all[0] + std::string(row.pattern) : std::string(row.pattern);
    return m;
  }
  m.params.clear();
  return m;
}

}  // namespace mirror::api
