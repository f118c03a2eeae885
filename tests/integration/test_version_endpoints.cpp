// GET /servers/{name}/versions and /servers/{name}/versions/{version|latest}:
// docs/upstream-api.md: Paths, Request handling, Responses; docs/conformance.md items 11–16.
#include <doctest/doctest.h>

#include "registry_fixture.hpp"
#include "support/http_client.hpp"
#include "support/json_view.hpp"
#include "support/running_mirror.hpp"

using namespace mirror::test;

TEST_CASE("checklist 11: encoded name and exact version - older versions are not latest") {
  running_mirror m(registry_rows());
  auto r = http_get(m.port(), "/v0.1/servers/com.example%2Falpha-server/versions/1.2.0");
  CHECK(r.status == 200);
  CHECK(string_at(r.body, "/server/name") == "com.example/alpha-server");
  CHECK(string_at(r.body, "/server/version") == "1.2.0");
  CHECK(r.body.find(R"("isLatest":false)") != std::string::npos);
  auto latest = http_get(m.port(), "/v0/servers/com.example%2Falpha-server/versions/latest");
  CHECK(string_at(latest.body, "/server/version") == "2.0.0");
  CHECK(latest.body.find(R"("isLatest":true)") != std::string::npos);
  // Lower-case %2f works too, and a double-encoded name is decoded twice, as upstream does.
  CHECK(http_get(m.port(), "/v0.1/servers/com.example%2falpha-server/versions/latest").status == 200);
  CHECK(http_get(m.port(), "/v0.1/servers/com.example%252Falpha-server/versions/latest").status == 200);
}

TEST_CASE("ServerResponse: server bytes verbatim, official block in upstream key order") {
  running_mirror m(registry_rows());
  auto r = http_get(m.port(), "/v0.1/servers/io.github.user%2Fweather/versions/1.0.0");
  const auto expected_server = server_json("io.github.user/weather", "1.0.0");
  const auto ts = mirror::model::format_rfc3339(t0 + 1000);
  const auto upd = mirror::model::format_rfc3339(t0 + 5000);
  CHECK(r.body == R"({"server":)" + expected_server +
                      R"(,"_meta":{"io.modelcontextprotocol.registry/official":{"status":"deprecated","statusChangedAt":")" +
                      upd + R"(","statusMessage":"status set by test","publishedAt":")" + ts +
                      R"(","updatedAt":")" + upd +
                      R"(","isLatest":true},"io.github.mcp-mirror/mirror":{"source":"upstream","changedAt":"2025-10-09T08:53:20Z"}}})"
                      "\n");
}

TEST_CASE("the mirror's _meta key follows the configured namespace and can be left out") {
  mirror::config::mirror_config cfg;
  cfg.meta_namespace = "com.example.mymirror";
  running_mirror m(registry_rows(), cfg);
  auto r = http_get(m.port(), "/v0.1/servers/Zeta.Upper%2FCase/versions/latest");
  CHECK(has_pointer(r.body, "/_meta/com.example.mymirror~1mirror/source"));
  CHECK(!has_pointer(r.body, "/_meta/io.modelcontextprotocol.registry~1official/source"));
  cfg.meta_namespace = "";
  running_mirror bare(registry_rows(), cfg);
  auto b = http_get(bare.port(), "/v0.1/servers/Zeta.Upper%2FCase/versions/latest");
  CHECK(b.body.find("mirror") == std::string::npos);
}

TEST_CASE("checklist 12: unknown server or version is 404 Server not found") {
  running_mirror m(registry_rows());
  for (const char* t : {"/v0.1/servers/com.example%2Fnope/versions/1.0.0",
                        "/v0.1/servers/com.example%2Falpha-server/versions/9.9.9",
                        "/v0.1/servers/com.example%2Fnope/versions/latest",
                        "/v0.1/servers/com.example%2Fnope/versions"}) {
    auto r = http_get(m.port(), t);
    CAPTURE(t);
    CHECK(r.status == 404);
    CHECK(r.header("content-type") == "application/problem+json");
    CHECK(r.body == "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"Server not found\"}\n");
  }
}

TEST_CASE("checklist 13: build metadata versions round-trip with + and %2B") {
  running_mirror m(registry_rows());
  for (const char* t : {"/v0.1/servers/com.example%2Fbeta_tool/versions/1.0.0+20130313144700",
                        "/v0.1/servers/com.example%2Fbeta_tool/versions/1.0.0%2B20130313144700"}) {
    auto r = http_get(m.port(), t);
    CAPTURE(t);
    CHECK(r.status == 200);
    CHECK(string_at(r.body, "/server/version") == "1.0.0+20130313144700");
  }
}

TEST_CASE("checklist 14: latest for names with dots, dashes, underscores and length") {
  running_mirror m(registry_rows());
  auto r = http_get(m.port(),
                    "/v0.1/servers/io.github.a-b_c.d%2Fa.very-long_name.with-dots_and-dashes-and-underscores-0123456789/versions/latest");
  CHECK(r.status == 200);
  CHECK(string_at(r.body, "/server/version") == "3.1.4");
}

TEST_CASE("checklist 15: versions lists every version newest first, one latest, count matches") {
  running_mirror m(registry_rows());
  auto l = parse_server_list(http_get(m.port(), "/v0.1/servers/com.example%2Falpha-server/versions").body);
  REQUIRE(l.servers.size() == 4);
  CHECK(l.count == 4);
  CHECK(!l.has_next_cursor);
  CHECK(l.servers[0].version == "2.1.0-beta.1");  // published last
  CHECK(l.servers[3].version == "1.0.0");
  int latest = 0;
  for (auto& s : l.servers) latest += s.is_latest;
  CHECK(latest == 1);
}

TEST_CASE("checklist 16: deleted versions are 404 unless include_deleted=true") {
  running_mirror m(registry_rows());
  const std::string deleted = "/v0.1/servers/io.github.user%2Fpartly/versions/2.0.0";
  CHECK(http_get(m.port(), deleted).status == 404);
  CHECK(http_get(m.port(), deleted + "?include_deleted=false").status == 404);
  auto r = http_get(m.port(), deleted + "?include_deleted=true");
  CHECK(r.status == 200);
  CHECK(r.body.find(R"("status":"deleted")") != std::string::npos);
  auto visible = parse_server_list(http_get(m.port(), "/v0.1/servers/io.github.user%2Fpartly/versions").body);
  CHECK(visible.servers.size() == 1);
  auto all = parse_server_list(
      http_get(m.port(), "/v0.1/servers/io.github.user%2Fpartly/versions?include_deleted=true").body);
  CHECK(all.servers.size() == 2);
  CHECK(http_get(m.port(), deleted + "?include_deleted=nope").status == 422);
}

TEST_CASE("checklist 18: every version deleted: latest is 404, found with include_deleted") {
  running_mirror m(registry_rows());
  CHECK(http_get(m.port(), "/v0.1/servers/io.github.user%2Fgone/versions/latest").status == 404);
  CHECK(http_get(m.port(), "/v0.1/servers/io.github.user%2Fgone/versions").status == 404);
  auto r = http_get(m.port(), "/v0.1/servers/io.github.user%2Fgone/versions/latest?include_deleted=true");
  CHECK(r.status == 200);
  CHECK(string_at(r.body, "/server/version") == "1.0.0");
}

TEST_CASE("path parameters with a bad escape after decoding are 400 like upstream") {
  running_mirror m(registry_rows());
  auto r = http_get(m.port(), "/v0.1/servers/bad%25zz/versions");
  CHECK(r.status == 400);
  CHECK(r.body ==
        "{\"title\":\"Bad Request\",\"status\":400,\"detail\":\"Invalid server name encoding\",\"errors\":[{\"message\":\"invalid URL escape \\\"%zz\\\"\"}]}\n");
  CHECK(http_get(m.port(), "/v0.1/servers/a%2Fb/versions/1%25zz").status == 400);
}
