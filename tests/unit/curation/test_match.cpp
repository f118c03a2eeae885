// curation::matches and its helpers: every match condition alone (matching and not), AND across
// keys, OR within a key, the empty match; glob_match, in_namespace and schema_date_of edge
// cases. Facts come from real server.json text through read_facts, as the view reads them.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "curation/decide.hpp"
#include "curation/facts.hpp"
#include "json/tree.hpp"
#include "support/rows.hpp"

using namespace mirror;
using namespace std::chrono_literals;
using curation::glob_match;
using curation::in_namespace;
using curation::schema_date_of;
using curation::shape;

namespace {

constexpr const char* schema_2025_09_29 =
    "https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json";

struct version_spec {
  std::string name = "io.github.acme/tools";
  std::string version = "1.2.3";
  std::string extra;  // members appended to the server object, e.g. R"(,"packages":[...])"
  model::status status = model::status::active;
  std::int64_t published_us = test::t0;
};

// The facts of a version whose server.json is name, description, version plus `extra`.
curation::facts facts_of(const version_spec& s) {
  model::server_version v;
  v.name = s.name;
  v.version = s.version;
  v.server_json = R"({"name":")" + s.name + R"(","description":"d","version":")" + s.version + "\"" + s.extra + "}";
  v.official.status = s.status;
  v.official.published_at.us = s.published_us;
  auto tree = json::parse_tree(v.server_json);
  REQUIRE_MESSAGE(tree.value, tree.error);
  return curation::read_facts(v, *tree.value);
}

curation::facts facts_of(std::string extra) {
  version_spec s;
  s.extra = std::move(extra);
  return facts_of(s);
}

curation::facts named(std::string name) {
  version_spec s;
  s.name = std::move(name);
  return facts_of(s);
}

bool hit(const curation::match& m, const curation::facts& f, std::int64_t now_us = test::t0) {
  return curation::matches(m, f, now_us);
}

const std::string npm_stdio = R"({"registryType":"npm","identifier":"@a/b","transport":{"type":"stdio"}})";
const std::string oci_http =
    R"({"registryType":"oci","identifier":"a/b","transport":{"type":"streamable-http","url":"http://localhost:8080"}})";
const std::string sse_remote = R"({"type":"sse","url":"https://a.example/sse"})";

}  // namespace

TEST_CASE("glob_match: * is any run (also empty, also '/'), ? exactly one byte") {
  CHECK(glob_match("", ""));
  CHECK_FALSE(glob_match("", "a"));
  CHECK(glob_match("*", ""));
  CHECK(glob_match("**", "anything/at/all"));
  CHECK_FALSE(glob_match("?", ""));
  CHECK(glob_match("?", "/"));
  CHECK_FALSE(glob_match("??", "a"));
  CHECK(glob_match("abc", "abc"));
  CHECK_FALSE(glob_match("abc", "abcd"));   // no implicit trailing wildcard
  CHECK_FALSE(glob_match("abc", "xabc"));   // nor a leading one
  CHECK_FALSE(glob_match("ABC", "abc"));    // case-sensitive
  CHECK(glob_match("abc*", "abc"));
  CHECK(glob_match("*abc", "abc"));
  CHECK(glob_match("a*b*c", "aXXbYYc"));
  CHECK_FALSE(glob_match("a*b*c", "aXXbYY"));
  CHECK_FALSE(glob_match("a*b", "a"));
  CHECK_FALSE(glob_match("a*a", "a"));      // one 'a' cannot serve both ends
  CHECK(glob_match("*ab", "aab"));          // needs the backtrack after a false start
  CHECK(glob_match("*a*b", "xaxxaxb"));
  CHECK(glob_match("a?c", "abc"));
  CHECK_FALSE(glob_match("a?c", "ac"));
  // ? is one byte: a two-byte UTF-8 character takes two of them.
  CHECK_FALSE(glob_match("caf?", "caf\xc3\xa9"));
  CHECK(glob_match("caf??", "caf\xc3\xa9"));
  CHECK(glob_match("caf*", "caf\xc3\xa9"));
  // Only * and ? are special: brackets and backslashes are literal.
  CHECK(glob_match("[a]", "[a]"));
  CHECK_FALSE(glob_match("[a]", "a"));
  CHECK(glob_match("a\\*", "a\\xyz"));
}

TEST_CASE("in_namespace: reverse-DNS prefixes on label boundaries of the part before '/'") {
  CHECK(in_namespace("io.github/x", "io.github"));
  CHECK(in_namespace("io.github.acme/x", "io.github"));
  CHECK(in_namespace("io.github.acme.tools/x", "io.github.acme"));
  CHECK_FALSE(in_namespace("io.githubx/x", "io.github"));
  CHECK_FALSE(in_namespace("io.github.acmecorp/x", "io.github.acme"));
  CHECK_FALSE(in_namespace("io.git/x", "io.github"));
  CHECK_FALSE(in_namespace("com.io.github/x", "io.github"));  // a prefix, not a suffix
  // What follows the '/' is not part of the namespace.
  CHECK_FALSE(in_namespace("io/github.acme", "io.github"));
  CHECK(in_namespace("io/github.acme", "io"));
  CHECK(in_namespace("io.github", "io.github"));  // no '/': the whole name is the namespace
}

TEST_CASE("schema_date_of: the YYYY-MM-DD path segment of a $schema URL") {
  CHECK(schema_date_of(schema_2025_09_29) == "2025-09-29");
  CHECK(schema_date_of("https://example.com/2025-07-09") == "2025-07-09");  // the last segment
  CHECK(schema_date_of("/2025-07-09/") == "2025-07-09");
  CHECK(schema_date_of("https://example.com/v1/2024-01-02/x/2025-03-04/s.json") == "2024-01-02");  // the first
  CHECK_FALSE(schema_date_of(""));
  CHECK_FALSE(schema_date_of("2025-09-29"));                                      // not a path segment
  CHECK_FALSE(schema_date_of("https://example.com/schemas/draft/server.schema.json"));
  CHECK_FALSE(schema_date_of("https://example.com/2025-09-29x/s.json"));         // longer segment
  CHECK_FALSE(schema_date_of("https://example.com/x2025-09-29/s.json"));
  CHECK_FALSE(schema_date_of("https://example.com/2025-9-29/s.json"));
  CHECK_FALSE(schema_date_of("https://example.com/2025_09_29/s.json"));
  CHECK_FALSE(schema_date_of("https://example.com/2025-09-2a/s.json"));
}

TEST_CASE("read_facts: what the conditions look at") {
  version_spec s;
  s.extra = R"(,"$schema":")" + std::string(schema_2025_09_29) + R"(","packages":[)" + npm_stdio + "," + oci_http +
            R"(],"remotes":[)" + sse_remote + "]";
  s.status = model::status::deprecated;
  s.published_us = test::t0 - 5;
  const auto f = facts_of(s);
  CHECK(f.name == "io.github.acme/tools");
  CHECK(f.version == "1.2.3");
  CHECK(f.status == model::status::deprecated);
  CHECK(f.published_us == test::t0 - 5);
  CHECK(f.registry_types == std::vector<std::string>{"npm", "oci"});
  CHECK(f.transports == std::vector<std::string>{"stdio", "streamable-http", "sse"});
  CHECK(f.has_packages);
  CHECK(f.has_remotes);
  CHECK(f.schema_date == "2025-09-29");

  const auto bare = facts_of("");
  CHECK(bare.registry_types.empty());
  CHECK(bare.transports.empty());
  CHECK_FALSE(bare.has_packages);
  CHECK_FALSE(bare.has_remotes);
  CHECK_FALSE(bare.schema_date);
}

TEST_CASE("an empty match matches every version") {
  const curation::match m;
  CHECK(m.empty());
  CHECK(hit(m, facts_of("")));
  CHECK(hit(m, named("zz.other/thing")));
  version_spec deleted;
  deleted.status = model::status::deleted;
  deleted.published_us = 0;
  CHECK(hit(m, facts_of(deleted)));
}

TEST_CASE("match name: a glob over the full name, '/' included") {
  curation::match m;
  m.names = {"io.github.acme/tools"};
  CHECK(hit(m, named("io.github.acme/tools")));
  CHECK_FALSE(hit(m, named("io.github.acme/tools2")));
  CHECK_FALSE(hit(m, named("io.github.acme/Tools")));

  m.names = {"io.github.acme/*"};
  CHECK(hit(m, named("io.github.acme/tools")));
  CHECK(hit(m, named("io.github.acme/")));  // * may be empty (not a valid name, but the glob says so)
  CHECK_FALSE(hit(m, named("io.github.acmecorp/tools")));

  m.names = {"io.github.*"};  // * runs across the '/'
  CHECK(hit(m, named("io.github.acme/tools")));
  CHECK_FALSE(hit(m, named("com.github.acme/tools")));

  m.names = {"*/tools"};
  CHECK(hit(m, named("com.example/tools")));
  CHECK_FALSE(hit(m, named("com.example/tools-x")));

  m.names = {"io.github.acme?tools"};  // ? matches the '/'
  CHECK(hit(m, named("io.github.acme/tools")));
  m.names = {"io.github.acme/tool?"};
  CHECK(hit(m, named("io.github.acme/tools")));
  CHECK_FALSE(hit(m, named("io.github.acme/tool")));
}

TEST_CASE("match namespace: label-bounded reverse-DNS prefix") {
  curation::match m;
  m.namespaces = {"io.github"};
  CHECK(hit(m, named("io.github.acme/x")));
  CHECK(hit(m, named("io.github/x")));
  CHECK_FALSE(hit(m, named("io.githubx/x")));
  CHECK_FALSE(hit(m, named("com.github/x")));
  m.namespaces = {"io.github.acme"};
  CHECK(hit(m, named("io.github.acme.tools/y")));
  CHECK_FALSE(hit(m, named("io.github.acmecorp/z")));
  CHECK_FALSE(hit(m, named("io.github/acme")));
}

TEST_CASE("match version: a glob over the version string") {
  curation::match m;
  m.versions = {"0.*"};
  version_spec s;
  s.version = "0.9.1";
  CHECK(hit(m, facts_of(s)));
  s.version = "10.0.0";
  CHECK_FALSE(hit(m, facts_of(s)));
  m.versions = {"1.2.3"};
  s.version = "1.2.3";
  CHECK(hit(m, facts_of(s)));
  s.version = "1.2.30";
  CHECK_FALSE(hit(m, facts_of(s)));
  m.versions = {"1.?.0"};
  s.version = "1.5.0";
  CHECK(hit(m, facts_of(s)));
  s.version = "1.15.0";
  CHECK_FALSE(hit(m, facts_of(s)));
}

TEST_CASE("match registry_type: any package of that registryType") {
  const auto both = facts_of(R"(,"packages":[)" + npm_stdio + "," + oci_http + "]");
  curation::match m;
  m.registry_types = {"oci"};
  CHECK(hit(m, both));  // the second package counts too
  m.registry_types = {"npm"};
  CHECK(hit(m, both));
  m.registry_types = {"pypi"};
  CHECK_FALSE(hit(m, both));
  CHECK_FALSE(hit(m, facts_of("")));  // no packages: no registryType
  m.registry_types = {"OCI"};
  CHECK_FALSE(hit(m, both));  // exact, case-sensitive
}

TEST_CASE("match transport: package transport.type and remotes[].type") {
  curation::match m;
  m.transports = {"stdio"};
  CHECK(hit(m, facts_of(R"(,"packages":[)" + npm_stdio + "]")));
  CHECK_FALSE(hit(m, facts_of(R"(,"packages":[)" + oci_http + "]")));
  CHECK_FALSE(hit(m, facts_of(R"(,"remotes":[)" + sse_remote + "]")));
  m.transports = {"sse"};
  CHECK(hit(m, facts_of(R"(,"remotes":[)" + sse_remote + "]")));
  CHECK_FALSE(hit(m, facts_of(R"(,"packages":[)" + npm_stdio + "]")));
  m.transports = {"streamable-http"};
  CHECK(hit(m, facts_of(R"(,"packages":[)" + npm_stdio + "," + oci_http + "]")));
  CHECK(hit(m, facts_of(R"(,"remotes":[{"type":"streamable-http","url":"https://a.example/mcp"}])")));
  CHECK_FALSE(hit(m, facts_of("")));
}

TEST_CASE("match shape: remote-only, package-only, both, neither") {
  const auto remote_only = facts_of(R"(,"remotes":[)" + sse_remote + "]");
  const auto package_only = facts_of(R"(,"packages":[)" + npm_stdio + "]");
  const auto both = facts_of(R"(,"packages":[)" + npm_stdio + R"(],"remotes":[)" + sse_remote + "]");
  const auto neither = facts_of("");
  const auto empty_arrays = facts_of(R"(,"packages":[],"remotes":[])");  // empty arrays offer nothing
  struct expected {
    shape s;
    bool remote_only, package_only, both, neither;
  };
  for (const auto& e : {expected{shape::remote_only, true, false, false, false},
                        expected{shape::package_only, false, true, false, false},
                        expected{shape::both, false, false, true, false},
                        expected{shape::neither, false, false, false, true}}) {
    CAPTURE(static_cast<int>(e.s));
    curation::match m;
    m.shapes = {e.s};
    CHECK(hit(m, remote_only) == e.remote_only);
    CHECK(hit(m, package_only) == e.package_only);
    CHECK(hit(m, both) == e.both);
    CHECK(hit(m, neither) == e.neither);
    CHECK(hit(m, empty_arrays) == e.neither);
  }
}

TEST_CASE("match status: the upstream status") {
  curation::match m;
  m.statuses = {model::status::deleted};
  version_spec s;
  s.status = model::status::deleted;
  CHECK(hit(m, facts_of(s)));
  s.status = model::status::active;
  CHECK_FALSE(hit(m, facts_of(s)));
  s.status = model::status::deprecated;
  CHECK_FALSE(hit(m, facts_of(s)));
  m.statuses = {model::status::active, model::status::deprecated};
  CHECK(hit(m, facts_of(s)));
}

TEST_CASE("match schema: the date in the $schema URL - no $schema matches no date") {
  const auto with_schema = facts_of(R"(,"$schema":")" + std::string(schema_2025_09_29) + "\"");
  const auto without = facts_of("");
  const auto undated = facts_of(R"(,"$schema":"https://example.com/schemas/draft/server.schema.json")");
  const auto not_text = facts_of(R"(,"$schema":20250929)");
  curation::match m;
  m.schema_dates = {"2025-09-29"};
  CHECK(hit(m, with_schema));
  CHECK_FALSE(hit(m, without));
  CHECK_FALSE(hit(m, undated));
  CHECK_FALSE(hit(m, not_text));
  m.schema_dates = {"2025-07-09"};
  CHECK_FALSE(hit(m, with_schema));
}

TEST_CASE("match schema_before: strictly earlier dates, and versions without a $schema date") {
  const auto with_schema = facts_of(R"(,"$schema":")" + std::string(schema_2025_09_29) + "\"");
  curation::match m;
  m.schema_before = "2025-09-30";
  CHECK(hit(m, with_schema));
  m.schema_before = "2025-09-29";
  CHECK_FALSE(hit(m, with_schema));  // strictly before: the same day does not match
  m.schema_before = "2025-01-01";
  CHECK_FALSE(hit(m, with_schema));
  // No $schema, or one without a date: treated as older than any date, as rules.hpp and
  // curation.example.yaml document ("strictly before this one (or no `$schema` date)").
  CHECK(hit(m, facts_of("")));
  CHECK(hit(m, facts_of(R"(,"$schema":"https://example.com/schemas/draft/server.schema.json")")));
}

TEST_CASE("match published_older_than / published_newer_than against an injected now") {
  const auto f = facts_of(version_spec{});  // published at t0
  const std::int64_t hour_us = 3'600'000'000;
  curation::match older;
  older.published_older_than = std::chrono::milliseconds(1h);
  CHECK_FALSE(hit(older, f, test::t0));
  CHECK_FALSE(hit(older, f, test::t0 + hour_us));  // exactly an hour: not more than
  CHECK(hit(older, f, test::t0 + hour_us + 1));
  CHECK(hit(older, f, test::t0 + 100 * hour_us));

  curation::match newer;
  newer.published_newer_than = std::chrono::milliseconds(1h);
  CHECK(hit(newer, f, test::t0));
  CHECK(hit(newer, f, test::t0 + hour_us - 1));
  CHECK_FALSE(hit(newer, f, test::t0 + hour_us));  // exactly an hour: not less than
  CHECK_FALSE(hit(newer, f, test::t0 + 2 * hour_us));

  // Both: a window between one and two days old.
  curation::match window;
  window.published_older_than = std::chrono::milliseconds(24h);
  window.published_newer_than = std::chrono::milliseconds(48h);
  CHECK_FALSE(hit(window, f, test::t0 + 12 * hour_us));
  CHECK(hit(window, f, test::t0 + 36 * hour_us));
  CHECK_FALSE(hit(window, f, test::t0 + 60 * hour_us));
}

TEST_CASE("conditions: AND across keys, OR within a key") {
  version_spec s;
  s.extra = R"(,"packages":[)" + npm_stdio + "]";
  const auto f = facts_of(s);

  curation::match m;
  m.names = {"com.example/*", "io.github.acme/*"};  // the second alternative matches
  m.versions = {"9.*", "1.*"};
  m.registry_types = {"pypi", "npm"};
  m.statuses = {model::status::deleted, model::status::active};
  CHECK(hit(m, f));

  // Every key must hold: one failing key fails the rule, whichever it is.
  auto no_version = m;
  no_version.versions = {"9.*"};
  CHECK_FALSE(hit(no_version, f));
  auto no_type = m;
  no_type.registry_types = {"pypi"};
  CHECK_FALSE(hit(no_type, f));
  auto no_name = m;
  no_name.names = {"com.example/*"};
  CHECK_FALSE(hit(no_name, f));
  auto no_shape = m;
  no_shape.shapes = {shape::remote_only, shape::both};
  CHECK_FALSE(hit(no_shape, f));
  auto with_shape = m;
  with_shape.shapes = {shape::remote_only, shape::package_only};
  CHECK(hit(with_shape, f));
  auto too_new = m;
  too_new.published_older_than = std::chrono::milliseconds(1h);
  CHECK_FALSE(hit(too_new, f, test::t0));
  CHECK(hit(too_new, f, test::t0 + 3'600'000'001));
}
