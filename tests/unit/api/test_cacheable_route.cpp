// api::service::cacheable_route / not_modified: which URLs the HTTP layer may answer 304 for
// without running the handler, and that 304's headers.
#include <doctest/doctest.h>

#include "api/service.hpp"
#include "store/error.hpp"

using namespace mirror;

TEST_CASE("cacheable routes: list, versions, detail, changes, openapi.yaml - nothing that redirects") {
  api::service_options o;
  o.extension_namespace = "io.github.mcp-mirror";
  o.cache_max_age = std::chrono::seconds(90);
  api::service svc(o, []() -> store::reader& { throw store::error("unused"); });
  for (const char* t : {"/v0.1/servers", "/v0/servers?limit=5&cursor=a:b", "/v0.1/servers/a%2Fb/versions",
                        "/v0.1/servers/a%2Fb/versions/1.0.0", "/v0.1/servers/a%2Fb/versions/latest",
                        "/v0.1/x/io.github.mcp-mirror/changes?since=3", "/openapi.yaml"}) {
    CAPTURE(t);
    CHECK(svc.cacheable_route(t));
  }
  for (const char* t : {"/v0.1/servers/", "/v0.1//servers", "/v0.1/health", "/v0.1/ping", "/metrics",
                        "/v0.1/x/io.github.mcp-mirror/sync-status", "/v0.1/x/other/changes", "/v2/servers",
                        "/v0.1/servers/a%2Fb/versions/1.0.0/status", "/v0.1/servers%00", "/"}) {
    CAPTURE(t);
    CHECK_FALSE(svc.cacheable_route(t));
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
