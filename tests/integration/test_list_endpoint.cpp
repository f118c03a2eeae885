// GET /v0.1/servers and /v0/servers: docs/upstream-api.md: Paths, Request handling, Order and
// pagination; docs/conformance.md items 1–10.
#include <doctest/doctest.h>

#include <algorithm>

#include "registry_fixture.hpp"
#include "support/http_client.hpp"
#include "support/json_view.hpp"
#include "support/running_mirror.hpp"

using namespace mirror::test;

namespace {

std::vector<std::string> names_of(const server_list& l) {
  std::vector<std::string> out;
  for (const auto& s : l.servers) out.push_back(s.name + "@" + s.version);
  return out;
}

}  // namespace

TEST_CASE("checklist 01: list without parameters is a complete ServerList with official blocks") {
  running_mirror m(registry_rows());
  for (const char* prefix : {"/v0.1", "/v0"}) {
    auto r = http_get(m.port(), std::string(prefix) + "/servers");
    CHECK(r.status == 200);
    CHECK(r.header("content-type") == "application/json");
    auto l = parse_server_list(r.body);
    CHECK(l.count == static_cast<std::int64_t>(l.servers.size()));
    CHECK(l.servers.size() == 11);  // 13 rows, 2 deleted hidden
    for (const auto& s : l.servers) {
      CHECK(!s.name.empty());
      CHECK((s.status == "active" || s.status == "deprecated"));
    }
    CHECK(r.body.back() == '\n');
  }
}

TEST_CASE("checklist 01: order is (name, version) bytewise, upper case first") {
  running_mirror m(registry_rows());
  auto l = parse_server_list(http_get(m.port(), "/v0.1/servers?include_deleted=true").body);
  auto got = names_of(l);
  auto sorted = got;
  std::sort(sorted.begin(), sorted.end(), [](const std::string& a, const std::string& b) {
    auto an = a.substr(0, a.find('@')), bn = b.substr(0, b.find('@'));
    if (an != bn) return an < bn;
    return a.substr(a.find('@')) < b.substr(b.find('@'));
  });
  CHECK(got == sorted);
  CHECK(l.servers.front().name == "Zeta.Upper/Case");
  // "1.0.0" < "1.2.0" < "2.0.0" < "2.1.0-beta.1" as strings, not SemVer
  CHECK(got[1] == "com.example/alpha-server@1.0.0");
  CHECK(got[4] == "com.example/alpha-server@2.1.0-beta.1");
}

TEST_CASE("checklist 02: limit=1 returns one item and a cursor") {
  running_mirror m(registry_rows());
  auto l = parse_server_list(http_get(m.port(), "/v0.1/servers?limit=1").body);
  CHECK(l.servers.size() == 1);
  CHECK(l.count == 1);
  CHECK(l.next_cursor == "Zeta.Upper/Case:1.0.0");
}

TEST_CASE("checklist 03: search is a case-insensitive name substring with literal wildcards") {
  running_mirror m(registry_rows());
  auto l = parse_server_list(http_get(m.port(), "/v0.1/servers?search=ALPHA").body);
  CHECK(l.servers.size() == 4);
  for (auto& s : l.servers) CHECK(s.name == "com.example/alpha-server");
  CHECK(parse_server_list(http_get(m.port(), "/v0.1/servers?search=").body).servers.size() == 11);
  // `_` and `%` match themselves only.
  auto underscore = parse_server_list(http_get(m.port(), "/v0.1/servers?search=_").body);
  for (auto& s : underscore.servers) CHECK(s.name.find('_') != std::string::npos);
  CHECK(underscore.servers.size() == 3);
  CHECK(parse_server_list(http_get(m.port(), "/v0.1/servers?search=%25").body).servers.empty());
  CHECK(parse_server_list(http_get(m.port(), "/v0.1/servers?search=%5C").body).servers.empty());
  // Non-ASCII search: 200 and no match.
  auto r = http_get(m.port(), "/v0.1/servers?search=%E5%A4%A9%E6%B0%94");
  CHECK(r.status == 200);
  CHECK(parse_server_list(r.body).servers.empty());
  // Search matches names only, not descriptions ("A test server").
  CHECK(parse_server_list(http_get(m.port(), "/v0.1/servers?search=test").body).servers.empty());
}

TEST_CASE("checklist 04: version=latest gives one row per server") {
  running_mirror m(registry_rows());
  auto l = parse_server_list(http_get(m.port(), "/v0.1/servers?version=latest").body);
  CHECK(l.servers.size() == 6);  // 7 names; "gone" has only a deleted latest
  for (auto& s : l.servers) CHECK(s.is_latest);
  auto exact = parse_server_list(http_get(m.port(), "/v0.1/servers?version=1.0.0").body);
  CHECK(exact.servers.size() == 4);
  for (auto& s : exact.servers) CHECK(s.version == "1.0.0");
}

TEST_CASE("checklist 05: bad limits are 422 validation failed") {
  running_mirror m(registry_rows());
  for (const char* q : {"limit=abc", "limit=1000", "limit=-1", "limit=0", "limit=101", "limit=1.5",
                        "limit=99999999999999999999"}) {
    auto r = http_get(m.port(), std::string("/v0.1/servers?") + q);
    CAPTURE(q);
    CHECK(r.status == 422);
    CHECK(r.header("content-type") == "application/problem+json");
    CHECK(string_at(r.body, "/detail") == "validation failed");
    CHECK(string_at(r.body, "/errors/0/location") == "query.limit");
  }
  CHECK(http_get(m.port(), "/v0.1/servers?limit=1000").body ==
        R"({"title":"Unprocessable Entity","status":422,"detail":"validation failed","errors":[{"message":"expected number <= 100","location":"query.limit","value":1000}]})"
        "\n");
  const std::string invalid_integer =
      R"({"message":"invalid integer","location":"query.limit","value":"abc"})";
  CHECK(http_get(m.port(), "/v0.1/servers?limit=abc").body.find(invalid_integer) != std::string::npos);
  CHECK(http_get(m.port(), "/v0.1/servers?limit=100").status == 200);
  CHECK(http_get(m.port(), "/v0.1/servers?limit=").status == 200);  // empty = default
  auto both = http_get(m.port(), "/v0.1/servers?limit=0&include_deleted=maybe");
  CHECK(both.status == 422);
  CHECK(string_at(both.body, "/errors/1/message") == "invalid boolean");
}

TEST_CASE("checklist 06: updated_since must be RFC 3339") {
  running_mirror m(registry_rows());
  auto r = http_get(m.port(), "/v0.1/servers?updated_since=invalid");
  CHECK(r.status == 400);
  CHECK(r.body ==
        R"x({"title":"Bad Request","status":400,"detail":"Invalid updated_since format: expected RFC3339 timestamp (e.g., 2025-08-07T13:15:04.280Z)"})x"
        "\n");
  CHECK(http_get(m.port(), "/v0.1/servers?updated_since=2999-01-01T00:00:00Z").status == 200);
  CHECK(parse_server_list(http_get(m.port(), "/v0.1/servers?updated_since=2999-01-01T00:00:00Z").body)
            .servers.empty());
  CHECK(http_get(m.port(), "/v0.1/servers?updated_since=1990-01-01T00:00:00Z").status == 200);
  // A raw '+' in the offset arrives as a space: invalid, as upstream.
  CHECK(http_get(m.port(), "/v0.1/servers?updated_since=2025-01-01T00:00:00+02:00").status == 400);
  CHECK(http_get(m.port(), "/v0.1/servers?updated_since=2025-01-01T00:00:00%2B02:00").status == 200);
}

TEST_CASE("checklist 06: updated_since is strict and compares instants") {
  running_mirror m(registry_rows());
  // weather 1.0.0 and gone 1.0.0 were updated at t0+5000 µs, partly 2.0.0 at t0+6000 µs.
  const auto at = mirror::model::format_rfc3339(t0 + 5000);
  auto l = parse_server_list(http_get(m.port(), "/v0.1/servers?updated_since=" + at).body);
  REQUIRE(l.servers.size() == 1);
  CHECK(l.servers[0].name == "io.github.user/partly");
  CHECK(l.servers[0].status == "deleted");  // updated_since forces include_deleted
}

TEST_CASE("checklist 07: combined search, limit and version=latest") {
  running_mirror m(registry_rows());
  auto r = http_get(m.port(), "/v0.1/servers?search=example&limit=5&version=latest");
  CHECK(r.status == 200);
  auto l = parse_server_list(r.body);
  CHECK(names_of(l) == std::vector<std::string>{"com.example/alpha-server@2.0.0",
                                                "com.example/beta_tool@1.0.0+20130313144700"});
}

TEST_CASE("checklist 08: deleted versions are hidden unless asked for") {
  running_mirror m(registry_rows());
  auto count_deleted = [&](const std::string& q) {
    auto l = parse_server_list(http_get(m.port(), "/v0.1/servers" + q).body);
    return std::count_if(l.servers.begin(), l.servers.end(), [](auto& s) { return s.status == "deleted"; });
  };
  CHECK(count_deleted("") == 0);
  CHECK(count_deleted("?include_deleted=false") == 0);
  CHECK(count_deleted("?include_deleted=true") == 2);
  CHECK(count_deleted("?include_deleted=1") == 2);
  CHECK(count_deleted("?updated_since=1990-01-01T00:00:00Z") == 2);
  CHECK(count_deleted("?updated_since=1990-01-01T00:00:00Z&include_deleted=true") == 2);
  auto r = http_get(m.port(), "/v0.1/servers?updated_since=1990-01-01T00:00:00Z&include_deleted=false");
  CHECK(r.status == 400);
  CHECK(string_at(r.body, "/detail") ==
        "Cannot set include_deleted=false when using updated_since (incremental sync requires deleted servers)");
}

TEST_CASE("checklist 09: cursor pagination walks A1 A2 A3 B1 B2 exactly") {
  std::vector<mirror::store::incoming> rows{
      upstream_row("test/a", "1.0.0", t0, false), upstream_row("test/a", "2.0.0", t0 + 1, false),
      upstream_row("test/a", "3.0.0", t0 + 2, true), upstream_row("test/b", "1.0.0", t0, false),
      upstream_row("test/b", "2.0.0", t0 + 1, true)};
  running_mirror m(rows);
  std::vector<std::string> seen;
  std::vector<std::string> cursors;
  std::string target = "/v0.1/servers?limit=2";
  for (int page = 0; page < 10; ++page) {
    auto l = parse_server_list(http_get(m.port(), target).body);
    for (auto& s : names_of(l)) seen.push_back(s);
    if (!l.has_next_cursor) break;
    cursors.push_back(l.next_cursor);
    target = "/v0.1/servers?limit=2&cursor=" + l.next_cursor;
  }
  CHECK(seen == std::vector<std::string>{"test/a@1.0.0", "test/a@2.0.0", "test/a@3.0.0", "test/b@1.0.0",
                                         "test/b@2.0.0"});
  // 5 rows in pages of 2: full, full, then a partial page without a cursor.
  CHECK(cursors == std::vector<std::string>{"test/a:2.0.0", "test/b:1.0.0"});
  // A name-only cursor skips every version of that name.
  auto skip = parse_server_list(http_get(m.port(), "/v0.1/servers?cursor=test/a").body);
  CHECK(names_of(skip) == std::vector<std::string>{"test/b@1.0.0", "test/b@2.0.0"});
  // Garbage seeks without error.
  auto garbage = http_get(m.port(), "/v0.1/servers?cursor=zzz");
  CHECK(garbage.status == 200);
  auto g = parse_server_list(garbage.body);
  CHECK(g.servers.empty());
  CHECK(!g.has_next_cursor);
  CHECK(g.count == 0);
}

TEST_CASE("checklist 09: a total that is a multiple of limit ends with an empty page") {
  std::vector<mirror::store::incoming> rows;
  for (int i = 0; i < 30; ++i)
    rows.push_back(upstream_row("page/n" + std::to_string(100 + i), "1.0.0", t0, true));
  running_mirror m(rows);
  std::string target = "/v0.1/servers?limit=10";
  std::size_t total = 0;
  int pages = 0;
  for (;; ++pages) {
    auto l = parse_server_list(http_get(m.port(), target).body);
    total += l.servers.size();
    if (!l.has_next_cursor) {
      CHECK(l.servers.empty());
      break;
    }
    target = "/v0.1/servers?limit=10&cursor=" + l.next_cursor;
  }
  CHECK(total == 30);
  CHECK(pages == 3);
}

TEST_CASE("checklist 10: compound filters AND together") {
  running_mirror m(registry_rows());
  const auto since = mirror::model::format_rfc3339(t0 + 500);
  auto l = parse_server_list(
      http_get(m.port(), "/v0.1/servers?search=alpha&updated_since=" + since + "&version=2.0.0").body);
  CHECK(names_of(l) == std::vector<std::string>{"com.example/alpha-server@2.0.0"});
  auto none = parse_server_list(
      http_get(m.port(), "/v0.1/servers?search=alpha&updated_since=" + since + "&version=1.0.0").body);
  CHECK(none.servers.empty());
}

TEST_CASE("VS Code: a nextCursor with build metadata survives being sent back unencoded") {
  std::vector<mirror::store::incoming> rows{
      upstream_row("test/a", "1.0.0+build.1", t0, false), upstream_row("test/a", "1.0.0+build.2", t0 + 1, false),
      upstream_row("test/a", "1.0.0+build.3", t0 + 2, true), upstream_row("test/b", "1.0.0", t0, true)};
  running_mirror m(rows);
  std::vector<std::string> seen;
  std::string target = "/v0.1/servers?limit=1";
  for (int page = 0; page < 10; ++page) {
    auto l = parse_server_list(http_get(m.port(), target).body);
    for (auto& s : names_of(l)) seen.push_back(s);
    if (!l.has_next_cursor) break;
    target = "/v0.1/servers?limit=1&cursor=" + l.next_cursor;  // raw '+', as VS Code sends it
  }
  CHECK(seen == std::vector<std::string>{"test/a@1.0.0+build.1", "test/a@1.0.0+build.2",
                                         "test/a@1.0.0+build.3", "test/b@1.0.0"});
}
