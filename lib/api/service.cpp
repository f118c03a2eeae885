#include "api/service.hpp"

#include <spdlog/spdlog.h>

#include "api/cors.hpp"
#include "api/handlers.hpp"
#include "api/problem.hpp"
#include "api/redirect.hpp"
#include "api/bearer.hpp"
#include "api/target.hpp"
#include "store/reader.hpp"

namespace mirror::api {
namespace {

bool has_nul(std::string_view s) {
  return s.find('\0') != std::string_view::npos || s.find("%00") != std::string_view::npos;
}

}  // namespace

// A view's handlers see its reader (the calling thread's, set to the view), its explain, and
// otherwise the root's hooks.
struct service::view_route {
  view_route(const service_options& o, const view_options& v, const mirror_hooks& root_hooks,
             std::function<store::reader&()> base)
      : options(v), hooks(root_hooks), reader([base = std::move(base), name = v.name]() -> store::reader& {
          auto& r = base();
          r.set_view(name);
          return r;
        }), context{o, hooks, reader} {
    hooks.explain = v.explain;
  }
  const view_options& options;
  mirror_hooks hooks;
  std::function<store::reader&()> reader;
  route_context context;
};

service::service(service_options options, std::function<store::reader&()> reader_for_thread,
                 mirror_hooks hooks)
    : options_(std::move(options)), hooks_(std::move(hooks)) {
  // A thread's reader serves every view: the root's requests set it back to the root.
  reader_for_thread_ = [base = reader_for_thread]() -> store::reader& {
    auto& r = base();
    r.set_view("");
    return r;
  };
  for (const auto& v : options_.views)
    views_.push_back(std::make_unique<view_route>(options_, v, hooks_, reader_for_thread));
}

service::~service() = default;

int service::find_view(std::string_view target) const {
  const auto vp = split_view_path(target);
  if (!vp) return -1;
  for (std::size_t i = 0; i < options_.views.size(); ++i)
    if (options_.views[i].name == vp->name) return static_cast<int>(i);
  return -1;
}

bool service::is_private(std::string_view target) const {
  const int i = find_view(target);
  return i >= 0 && options_.views[static_cast<std::size_t>(i)].tokens != nullptr;
}

std::optional<response> service::deny(const request& req) const {
  const int i = find_view(req.target);
  if (i < 0) return std::nullopt;
  const auto& v = options_.views[static_cast<std::size_t>(i)];
  if (!v.tokens) return std::nullopt;
  if (req.method == "OPTIONS" && !req.access_control_method.empty()) return std::nullopt;  // preflight
  if (const auto tokens = v.tokens(); tokens && bearer_allowed(req.authorization, *tokens)) return std::nullopt;
  // The same answer for every path under the view: nothing about what it holds.
  auto r = problem(401, "Missing or invalid bearer token");
  r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"" + v.name + "\"");
  r.route = "/views/{view} (unauthorized)";
  add_cors_headers(r);
  return r;
}

response service::respond(const routed& req) const {
  response r;
  try {
    r = dispatch(req);
  } catch (const std::exception& e) {
    spdlog::error("{} {}: {}", req.req.method, req.req.target, e.what());
    r = problem(500, "Internal server error");
  }
  if (r.status != 204) add_cors_headers(r);
  // The HTTP layer adds the ETag (from the change sequence) and answers If-None-Match.
  if (r.cacheable && r.status == 200)
    add_cache_control(r, req.view >= 0 && options_.views[static_cast<std::size_t>(req.view)].tokens != nullptr);
  return r;
}

response service::not_modified(bool private_view) const {
  response r;
  r.cacheable = true;
  r.content_type.clear();
  r.route = "(not modified)";  // metrics label of 304s answered without routing
  add_cors_headers(r);
  add_cache_control(r, private_view);
  return r;
}

// A view with tokens answers one client: no shared cache (a CDN, a proxy) may keep its pages.
void service::add_cache_control(response& r, bool private_view) const {
  const std::string scope = private_view ? "private" : "public";
  r.headers.emplace_back("Cache-Control", options_.cache_max_age.count() > 0
                                              ? scope + ", max-age=" + std::to_string(options_.cache_max_age.count())
                                              : scope + ", no-cache");
}

routed service::route(const request& req) const {
  routed out{req, parse_target(req.target), std::nullopt, {}};
  if (!out.t) {
    const auto path = req.target.substr(0, req.target.find('?'));
    out.early = has_nul(path) ? nul_byte_rejected(true) : problem(400, "Invalid request: malformed request target");
    return out;
  }
  const target& t = *out.t;
  if (has_nul(t.decoded_path)) {
    out.early = nul_byte_rejected(true);
  } else if (has_nul(t.raw_query)) {
    out.early = nul_byte_rejected(false);
  } else if (t.raw_path != "/" && t.raw_path.ends_with('/')) {
    out.early = redirect(308, clean_path(t.raw_path), t.raw_query, req.method);
  } else if (req.method == "OPTIONS" && !req.access_control_method.empty()) {
    out.early = preflight(req);
  } else if (const auto clean = clean_path(t.raw_path); clean != t.raw_path) {
    out.early = redirect(301, clean, t.raw_query, req.method);  // Go's ServeMux canonical-path redirect
  } else if (const auto vp = split_view_path(req.target)) {
    // /views/<name>/...: refused without a token, then routed as the root is, under the view.
    out.view = find_view(req.target);
    if (out.view < 0 || vp->rest.empty()) return out;  // no such view: the upstream's 404
    if (auto denied = deny(req)) {
      out.early = std::move(*denied);
      return out;
    }
    std::string inner(vp->rest);
    if (t.has_query) inner += "?" + t.raw_query;
    out.t = parse_target(inner);
    if (!out.t) {
      out.early = problem(400, "Invalid request: malformed request target");
      return out;
    }
    out.match = match_route(*out.t, req.method, views_[static_cast<std::size_t>(out.view)]->context);
    if (out.match.label.size()) out.match.label = "/views/{view}" + out.match.label;
  } else {
    out.match = match_route(t, req.method, context_);
  }
  return out;
}

response service::dispatch(const routed& r) const {
  if (r.early) return *r.early;
  const api::route* row = r.match.row;
  if (!row) return route_not_found(r.t->decoded_path);
  std::vector<std::string_view> params;
  params.reserve(r.match.params.size());
  for (const auto i : r.match.params) params.emplace_back(r.t->segments[i]);
  const auto& ctx = r.view >= 0 ? views_[static_cast<std::size_t>(r.view)]->context : context_;
  auto out = row->handle ? row->handle(route_call{r.req, *r.t, params, ctx})
                         : handlers::read_only(row->not_supported);
  out.route = r.match.label;
  return out;
}

}  // namespace mirror::api
