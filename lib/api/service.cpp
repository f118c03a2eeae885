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

}  // namespace

service::service(service_options options, std::function<store::reader&()> reader_for_thread,
                 mirror_hooks hooks)
    : options_(std::move(options)), reader_for_thread_(std::move(reader_for_thread)), hooks_(std::move(hooks)) {}

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
  if (r.cacheable && r.status == 200) add_cache_control(r);
  return r;
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
  auto out = row->handle ? row->handle(route_call{r.req, *r.t, params, context_})
                         : handlers::read_only(row->not_supported);
  out.route = r.match.label;
  return out;
}

}  // namespace mirror::api
