// api::service without sockets: error containment and CORS.
#include <doctest/doctest.h>

#include "api/handlers.hpp"
#include "api/service.hpp"
#include "metrics/text_format.hpp"
#include "store/error.hpp"

using namespace mirror;

TEST_CASE("checklist 26: a store failure is a 500 that leaks no internal text") {
  api::service svc({}, []() -> store::reader& { throw store::error("disk I/O error: /secret/path/mirror.db"); });
  auto r = svc.handle({"GET", "/v0.1/servers", "", "", "", ""});
  CHECK(r.status == 500);
  CHECK(r.content_type == "application/problem+json");
  CHECK(r.body.find("secret") == std::string::npos);
  CHECK(r.body.find("disk") == std::string::npos);
  CHECK_FALSE(r.cacheable);
}

TEST_CASE("endpoints that need no store work without one") {
  api::service svc({}, []() -> store::reader& { throw store::error("unused"); });
  CHECK(svc.handle({"GET", "/v0.1/ping", "", "", "", ""}).status == 200);
  CHECK(svc.handle({"GET", "/v0/health", "", "", "", ""}).body == "{\"status\":\"ok\"}\n");
}

TEST_CASE("/metrics is served with the content type of the text format the metrics module writes") {
  api::mirror_hooks hooks;
  hooks.metrics_text = [] { return std::string("up 1\n"); };
  api::service svc({}, []() -> store::reader& { throw store::error("unused"); }, hooks);
  const auto r = svc.handle({"GET", "/metrics", "", "", "", ""});
  CHECK(r.status == 200);
  CHECK(r.body == "up 1\n");
  // Two modules, one format: api may not include metrics, so the literal lives in both places.
  CHECK(r.content_type == metrics::content_type);
}

TEST_CASE("github_client_id appears in health only when configured") {
  api::service_options o;
  o.github_client_id = "Iv1.abc";
  api::service svc(o, []() -> store::reader& { throw store::error("unused"); });
  CHECK(svc.handle({"GET", "/v0.1/health", "", "", "", ""}).body ==
        "{\"status\":\"ok\",\"github_client_id\":\"Iv1.abc\"}\n");
}

TEST_CASE("a preflight for a method nobody allows gets no CORS grant") {
  api::service svc({}, []() -> store::reader& { throw store::error("unused"); });
  auto r = svc.handle({"OPTIONS", "/v0.1/servers", "https://x.example", "TRACE", "", ""});
  CHECK(r.status == 204);
  for (auto& [k, v] : r.headers) CHECK(k != "Access-Control-Allow-Origin");
}

TEST_CASE("Go PathUnescape semantics for the second decode") {
  CHECK(api::handlers::go_path_unescape("a%2Fb").value == "a/b");
  CHECK(api::handlers::go_path_unescape("1.0+b").value == "1.0+b");
  auto bad = api::handlers::go_path_unescape("x%g1");
  CHECK(!bad.value);
  CHECK(bad.error == "invalid URL escape \"%g1\"");
  CHECK(api::handlers::go_path_unescape("x%").error == "invalid URL escape \"%\"");
}
