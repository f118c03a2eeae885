// api::service::route(...).cacheable() / not_modified: which URLs the HTTP layer may answer 304 for
// without running the handler, and that 304's headers.
#include <doctest/doctest.h>

#include <algorithm>

#include "api/service.hpp"
#include "store/error.hpp"

using namespace mirror;

namespace {
api::request req(std::string_view method, std::string_view target) {
  api::request r{};
  r.method = method;
  r.target = target;
  return r;
}
}  // namespace

TEST_CASE("cacheable routes: list, versions, detail, changes, openapi.yaml - nothing that redirects") {
  api::service_options o;
  o.extension_namespace = "io.github.mcp-mirror";
  o.cache_max_age = std::chrono::seconds(90);
  api::service svc(o, []() -> store::reader& { throw store::error("unused"); });
  for (const char* t : {"/v0.1/servers", "/v0/servers?limit=5&cursor=a:b", "/v0.1/servers/a%2Fb/versions",
                        "/v0.1/servers/a%2Fb/versions/1.0.0", "/v0.1/servers/a%2Fb/versions/latest",
                        "/v0.1/x/io.github.mcp-mirror/changes?since=3", "/openapi.yaml"}) {
    CAPTURE(t);
    CHECK(svc.route(req("GET", t)).cacheable());
    CHECK(svc.route(req("HEAD", t)).cacheable());
    CHECK_FALSE(svc.route(req("PUT", t)).cacheable());
  }
  for (const char* t : {"/v0.1/servers/", "/v0.1//servers", "/v0.1/health", "/v0.1/ping", "/metrics",
                        "/v0.1/x/io.github.mcp-mirror/sync-status", "/v0.1/x/other/changes", "/v2/servers",
                        "/v0.1/servers/a%2Fb/versions/1.0.0/status", "/v0.1/servers%00", "/"}) {
    CAPTURE(t);
    CHECK_FALSE(svc.route(req("GET", t)).cacheable());
  }
  auto nm = svc.not_modified();
  bool cache_control = false, vary = false, cors = false;
  for (const auto& [k, v] : nm.headers) {
    cache_control = cache_control || (k == "Cache-Control" && v == "public, max-age=90");
    vary = vary || (k == "Vary" && v == "Origin, Accept-Encoding");
    cors = cors || (k == "Access-Control-Allow-Origin" && v == "*");
  }
  CHECK(cache_control);
  CHECK(vary);
  CHECK(cors);
  CHECK(nm.body.empty());
}

TEST_CASE("the route table: every row is reachable, labels are bounded, params come from the match") {
  api::service_options o;
  o.extension_namespace = "ns";
  api::mirror_hooks hooks;
  hooks.metrics_text = [] { return std::string(); };
  hooks.sync_status = [] { return std::vector<model::sync_status>{model::sync_status{}}; };
  hooks.trigger_sync = [] {};
  hooks.start_reload = [] { return std::uint64_t{1}; };
  hooks.reload_status = [](std::uint64_t) { return std::optional<std::string>(); };
  hooks.explain = [](std::string_view, std::optional<std::string_view>) { return std::optional<std::string>(); };
  hooks.admin_token = "t";
  api::service svc(o, []() -> store::reader& { throw store::error("unused"); }, hooks);
  // A concrete target for each pattern: every row matches its own target and method.
  for (const auto& row : api::route_table()) {
    std::string path = row.versioned ? "/v0.1" : "";
    std::string_view p = row.pattern;
    for (std::size_t pos = 1; pos <= p.size();) {
      const auto end = std::min(p.find('/', pos), p.size());
      const auto part = p.substr(pos, end - pos);
      path += "/" + std::string(part == "{namespace}" ? "ns" : part.starts_with('{') ? "a%2Fb" : part);
      pos = end + 1;
    }
    const char* method = row.methods & api::get_head ? "GET"
                         : row.methods & api::put    ? "PUT"
                         : row.methods & api::del    ? "DELETE"
                         : row.methods & api::patch  ? "PATCH"
                                                     : "POST";
    CAPTURE(path);
    CAPTURE(method);
    const auto r = svc.route(req(method, path));
    REQUIRE(r.match.row == &row);
    CHECK(r.match.label == (row.versioned ? "/v0.1" : "") + std::string(row.pattern));
    for (const auto i : r.match.params) CHECK(r.t->segments[i] == "a/b");
    CHECK(r.cacheable() == row.cacheable);
  }
  // Hooks unset: the optional routes are gone (404), the rest stay.
  api::service bare(o, []() -> store::reader& { throw store::error("unused"); });
  for (const char* t : {"/metrics", "/v0.1/x/ns/sync-status", "/v0.1/x/ns/explain", "/v0.1/x/ns/reload/1"})
    CHECK(bare.route(req("GET", t)).match.row == nullptr);
  for (const char* t : {"/v0.1/x/ns/sync", "/v0.1/x/ns/reload"}) CHECK(bare.route(req("POST", t)).match.row == nullptr);
  CHECK(bare.route(req("GET", "/v0/ping")).match.label == "/v0/ping");
  CHECK(bare.route(req("OPTIONS", "/v0.1/servers")).match.row == nullptr);  // no preflight header: 404 as upstream
  CHECK(bare.route(req("GET", "/v0.1/servers/x")).match.row == nullptr);
}
