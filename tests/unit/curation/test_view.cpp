// curation::curate_name: which versions are served, how isLatest is resolved among them (upstream
// choice, pins, the upstream's rule), deprecation of the official block, the curation `_meta`
// block that records it, and that without effects the upstream bytes are served untouched.
// Local servers come in through decode_local.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "curation/local_servers.hpp"
#include "curation/parse.hpp"
#include "curation/view.hpp"
#include "rules_fixture.hpp"
#include "support/rows.hpp"

using namespace mirror;
using test::rules;
using test::t0;

namespace {


curation::input_version up(const std::string& name, const std::string& version, std::int64_t published_us,
                           bool is_latest, model::status status = model::status::active) {
  return {test::upstream_row(name, version, published_us, is_latest, status).data};
}

// Versions of io.github.a/x, published in this order; `latest` carries the upstream flag.
std::vector<curation::input_version> versions_of_x(const std::vector<std::string>& versions,
                                                   const std::string& latest) {
  std::vector<curation::input_version> out;
  std::int64_t published = t0;
  for (const auto& v : versions) out.push_back(up("io.github.a/x", v, published++, v == latest));
  return out;
}

const curation::curated_version& at(const curation::name_view& view, const std::string& version) {
  for (const auto& v : view.versions)
    if (v.in.data.version == version) return v;
  FAIL("no version " << version);
  throw;  // unreachable: FAIL throws
}

// The versions served, in input order, each with its served isLatest.
std::vector<std::string> served(const curation::name_view& view) {
  std::vector<std::string> out;
  for (const auto& v : view.versions)
    if (v.visible) out.push_back(v.served.version + (v.served.official.is_latest ? "*" : ""));
  return out;
}

using list = std::vector<std::string>;

}  // namespace

TEST_CASE("curate_name: no rules serves the input byte for byte, with no curation block") {
  const auto empty = rules("");
  auto input = versions_of_x({"1.0.0", "2.0.0"}, "2.0.0");
  input[0].data.server_json = R"({"name":"io.github.a/x","description":"\u00e9 1E-2","version":"1.0.0","_meta":{"n":1E-2}})";
  const auto view = curation::curate_name(empty, input, t0);
  REQUIRE(view.versions.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(view.versions[i].visible);
    CHECK(view.versions[i].served == input[i].data);  // bytes and official block
    CHECK(view.versions[i].effects.empty());
    CHECK_FALSE(view.versions[i].curation_json);
  }
  CHECK(view.latest == "2.0.0");
  CHECK(view.latest_reason == "the upstream's latest");

  // Rules that match nothing behave the same.
  const auto unrelated = rules("rules:\n  - id: other\n    match: {name: other/y}\n    set: {title: T}\n    action: exclude\n");
  const auto same = curation::curate_name(unrelated, input, t0);
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(same.versions[i].served == input[i].data);
    CHECK_FALSE(same.versions[i].curation_json);
  }
}

TEST_CASE("curate_name: hidden versions are not served and carry no effects") {
  const auto rs = rules("rules:\n  - id: no-1\n    match: {version: \"1.*\"}\n    action: exclude\n    set: {title: T}\n");
  const auto view = curation::curate_name(rs, versions_of_x({"1.0.0", "1.1.0", "2.0.0"}, "2.0.0"), t0);
  CHECK(served(view) == list{"2.0.0*"});
  const auto& hidden = at(view, "1.0.0");
  CHECK_FALSE(hidden.visible);
  REQUIRE(hidden.why.visibility_rule);
  CHECK(hidden.why.visibility_rule->id == "no-1");
  CHECK(hidden.effects.empty());  // its set never applied
  CHECK_FALSE(hidden.curation_json);
  CHECK_FALSE(at(view, "2.0.0").curation_json);  // the upstream latest is untouched
}

TEST_CASE("curate_name: the upstream latest stays latest while it is visible") {
  const auto rs = rules("rules:\n  - id: no-1\n    match: {version: \"1.0.0\"}\n    action: exclude\n");
  // 3.0.0 is higher, but the upstream chose 2.0.0: that choice is kept.
  const auto view = curation::curate_name(rs, versions_of_x({"1.0.0", "2.0.0", "3.0.0"}, "2.0.0"), t0);
  CHECK(served(view) == list{"2.0.0*", "3.0.0"});
  CHECK(view.latest == "2.0.0");
  CHECK(view.latest_reason == "the upstream's latest");
  CHECK_FALSE(at(view, "3.0.0").curation_json);
}

TEST_CASE("curate_name: a hidden upstream latest moves the flag to the highest visible version") {
  const auto rs = rules("rules:\n  - id: no-2\n    match: {version: \"2.*\"}\n    action: exclude\n");
  // By version order, not by publish time or text: 1.10.0 > 1.9.0 although published first.
  auto input = versions_of_x({"1.10.0", "1.9.0", "1.2.0", "2.0.0"}, "2.0.0");
  const auto view = curation::curate_name(rs, input, t0);
  CHECK(served(view) == list{"1.10.0*", "1.9.0", "1.2.0"});
  CHECK(view.latest == "1.10.0");
  CHECK(view.latest_reason == "the highest visible version");
  // The rule that hid the upstream latest is named as the one that moved the flag.
  const auto& moved = at(view, "1.10.0");
  REQUIRE(moved.effects.size() == 1);
  CHECK(moved.effects[0].rule_id == "no-2");
  CHECK(moved.effects[0].changed == list{"isLatest"});
  CHECK(moved.curation_json == R"({"rules":[{"id":"no-2","changed":["isLatest"]}],"upstream":{"isLatest":false}})");
  CHECK_FALSE(at(view, "1.9.0").curation_json);

  // A visible deleted version does not take the flag from a live one, even when higher.
  input = versions_of_x({"1.0.0", "3.0.0", "2.0.0"}, "2.0.0");
  input[1] = up("io.github.a/x", "3.0.0", t0 + 1, false, model::status::deleted);
  const auto with_deleted = curation::curate_name(rs, input, t0);
  CHECK(served(with_deleted) == list{"1.0.0*", "3.0.0"});

  // Hidden by `default: exclude` (no rule): the mover is "default".
  const auto allow = rules("default: exclude\nrules:\n  - id: only-1\n    match: {version: \"1.*\"}\n    action: include\n");
  const auto by_default = curation::curate_name(allow, versions_of_x({"1.0.0", "2.0.0"}, "2.0.0"), t0);
  CHECK(served(by_default) == list{"1.0.0*"});
  CHECK(at(by_default, "1.0.0").curation_json ==
        R"({"rules":[{"id":"default","changed":["isLatest"]}],"upstream":{"isLatest":false}})");
}

TEST_CASE("curate_name: a pin to a visible version wins - to a hidden or unknown version it is ignored") {
  SUBCASE("visible") {
    const auto rs = rules("rules:\n  - id: pin\n    pin_latest: \"1.0.0\"\n");
    const auto view = curation::curate_name(rs, versions_of_x({"1.0.0", "2.0.0"}, "2.0.0"), t0);
    CHECK(served(view) == list{"1.0.0*", "2.0.0"});
    CHECK(view.latest == "1.0.0");
    CHECK(view.latest_reason == "pinned by rule pin");
    CHECK(at(view, "1.0.0").curation_json ==
          R"({"rules":[{"id":"pin","changed":["isLatest"]}],"upstream":{"isLatest":false}})");
    CHECK(at(view, "2.0.0").curation_json ==
          R"({"rules":[{"id":"pin","changed":["isLatest"]}],"upstream":{"isLatest":true}})");
  }
  SUBCASE("hidden") {
    const auto rs = rules(R"(rules:
  - id: pin
    pin_latest: "1.0.0"
  - id: no-1
    match: {version: "1.0.0"}
    action: exclude
)");
    const auto view = curation::curate_name(rs, versions_of_x({"1.0.0", "2.0.0"}, "2.0.0"), t0);
    CHECK(served(view) == list{"2.0.0*"});
    CHECK(view.latest_reason == "the upstream's latest");
    CHECK_FALSE(at(view, "2.0.0").curation_json);
  }
  SUBCASE("unknown") {
    const auto rs = rules("rules:\n  - id: pin\n    pin_latest: \"9.9.9\"\n");
    const auto view = curation::curate_name(rs, versions_of_x({"1.0.0", "2.0.0"}, "2.0.0"), t0);
    CHECK(served(view) == list{"1.0.0", "2.0.0*"});
    CHECK(view.latest_reason == "the upstream's latest");
  }
  SUBCASE("the last pinning rule that names a visible version wins") {
    // pin-b is later but names a version that does not exist: pin-a still applies
    // (rules.hpp: "the last matching rule that names a visible version wins").
    const auto rs = rules(R"(rules:
  - id: pin-a
    pin_latest: "1.0.0"
  - id: pin-b
    pin_latest: "9.9.9"
)");
    const auto view = curation::curate_name(rs, versions_of_x({"1.0.0", "2.0.0"}, "2.0.0"), t0);
    CHECK(served(view) == list{"1.0.0*", "2.0.0"});
    CHECK(view.latest_reason == "pinned by rule pin-a");
  }
  SUBCASE("of two pins to visible versions, the later rule wins") {
    const auto rs = rules(R"(rules:
  - id: pin-a
    pin_latest: "1.0.0"
  - id: pin-b
    pin_latest: "2.0.0"
)");
    const auto view = curation::curate_name(rs, versions_of_x({"1.0.0", "2.0.0", "3.0.0"}, "3.0.0"), t0);
    CHECK(served(view) == list{"1.0.0", "2.0.0*", "3.0.0"});
    CHECK(view.latest_reason == "pinned by rule pin-b");
  }
}

TEST_CASE("curate_name: when every version is hidden there is no latest") {
  const auto rs = rules("default: exclude\n");
  const auto view = curation::curate_name(rs, versions_of_x({"1.0.0", "2.0.0"}, "2.0.0"), t0);
  CHECK(served(view).empty());
  CHECK_FALSE(view.latest);
  for (const auto& v : view.versions) CHECK_FALSE(v.curation_json);
}

TEST_CASE("curate_name: deprecate turns active and deprecated into deprecated, leaves deleted alone") {
  const auto rs = rules("rules:\n  - id: x\n    deprecate: Use io.github.a/y\n");
  std::vector<curation::input_version> input{
      up("io.github.a/x", "1.0.0", t0, false, model::status::active),
      up("io.github.a/x", "2.0.0", t0 + 1, false, model::status::deprecated),
      up("io.github.a/x", "3.0.0", t0 + 2, true, model::status::deleted),
  };
  const auto view = curation::curate_name(rs, input, t0);

  const auto& active = at(view, "1.0.0");
  CHECK(active.served.official.status == model::status::deprecated);
  CHECK(active.served.official.status_message == "Use io.github.a/y");
  CHECK(active.served.server_json == input[0].data.server_json);
  CHECK(active.curation_json ==
        R"({"rules":[{"id":"x","changed":["status","statusMessage"]}],"upstream":{"status":"active","statusMessage":null}})");

  const auto& deprecated = at(view, "2.0.0");
  CHECK(deprecated.served.official.status == model::status::deprecated);
  CHECK(deprecated.served.official.status_message == "Use io.github.a/y");
  CHECK(deprecated.curation_json ==
        R"({"rules":[{"id":"x","changed":["statusMessage"]}],"upstream":{"statusMessage":"status set by test"}})");

  const auto& deleted = at(view, "3.0.0");
  CHECK(deleted.served.official == input[2].data.official);
  CHECK_FALSE(deleted.curation_json);

  // Already deprecated with this message: nothing to record.
  auto same = input[1];
  same.data.official.status_message = "Use io.github.a/y";
  same.data.official.is_latest = true;  // alone, it is the latest either way
  const auto unchanged = curation::curate_name(rs, {same}, t0);
  CHECK(unchanged.versions[0].served.official.status == model::status::deprecated);
  CHECK(unchanged.versions[0].effects.empty());
}

TEST_CASE("curate_name: one rule that sets, deprecates and pins is one entry of the curation block") {
  const auto rs = rules(R"(rules:
  - id: x
    set: {title: Old X}
    deprecate: Use y
    pin_latest: "1.0.0"
)");
  const auto view = curation::curate_name(rs, versions_of_x({"1.0.0", "2.0.0"}, "2.0.0"), t0);
  CHECK(at(view, "1.0.0").curation_json.value_or("") ==
        R"({"rules":[{"id":"x","changed":["title","status","statusMessage","isLatest"]}],)"
        R"("upstream":{"status":"active","statusMessage":null,"isLatest":false}})");
}

TEST_CASE("curate_name: overrides are served with a curation block - without the rule the upstream bytes return") {
  const std::string upstream_bytes =
      R"({"name":"io.github.a/x","description":"Upstream \u00e9","version":"1.0.0",)"
      R"("packages":[{"registryType":"npm","identifier":"@a/x","transport":{"type":"stdio"}}],"_meta":{"n":1E-2}})";
  auto input = versions_of_x({"1.0.0"}, "1.0.0");
  input[0].data.server_json = upstream_bytes;

  const auto with_rule = rules(R"(rules:
  - id: brand
    set: {description: Internal}
    rewrite:
      - {field: package_identifier, from: "@a/", to: "@mirror/"}
)");
  const auto curated = curation::curate_name(with_rule, input, t0);
  const auto& v = curated.versions[0];
  CHECK(v.served.server_json ==
        R"({"name":"io.github.a/x","description":"Internal","version":"1.0.0",)"
        R"("packages":[{"registryType":"npm","identifier":"@mirror/x","transport":{"type":"stdio"}}],"_meta":{"n":1E-2}})");
  CHECK(v.served.official == input[0].data.official);
  CHECK(v.curation_json == R"({"rules":[{"id":"brand","changed":["description","packages[0].identifier"]}]})");
  CHECK(v.in.data.server_json == upstream_bytes);  // the input is kept as it was

  // The rule removed: the next view is built from the upstream bytes again.
  const auto removed = curation::curate_name(rules("rules: []\n"), input, t0);
  CHECK(removed.versions[0].served.server_json == upstream_bytes);
  CHECK_FALSE(removed.versions[0].curation_json);
}

TEST_CASE("decode_local: bare server.json and {server, _meta} documents become local versions") {
  curation::rule_set rs;
  rs.local_servers = {
      {"local/bare.json", R"({"name":"com.example/tools","description":"Local tools","version":"1.0.0"})"},
      {"curation.yaml:12",
       R"({"server":{"name":"com.example/tools","description":"Local tools","version":"2.0.0"},)"
       R"("_meta":{"io.modelcontextprotocol.registry/official":{"status":"deprecated","statusMessage":"old",)"
       R"("publishedAt":"2025-01-02T03:04:05Z","updatedAt":"2025-01-03T00:00:00Z","isLatest":true}}})"},
  };
  const auto now = t0 + 42;
  auto decoded = curation::decode_local(rs, now);
  if (auto* e = std::get_if<std::string>(&decoded)) FAIL(*e);
  const auto& catalog = std::get<curation::local_catalog>(decoded);
  REQUIRE(catalog.by_name.size() == 1);
  const auto& versions = catalog.by_name.at("com.example/tools");
  REQUIRE(versions.size() == 2);

  // No official block: made up, active, published now, not latest; the mirror owns its times.
  const auto& bare = versions[0];
  CHECK(bare.source == model::source::local);
  CHECK(bare.mirror_owned_times);
  CHECK(bare.data.version == "1.0.0");
  CHECK(bare.data.server_json == rs.local_servers[0].json);
  CHECK(bare.data.official.status == model::status::active);
  CHECK(bare.data.official.published_at.us == now);
  CHECK_FALSE(bare.data.official.is_latest);

  // Its own official block is kept as given.
  const auto& enveloped = versions[1];
  CHECK(enveloped.source == model::source::local);
  CHECK_FALSE(enveloped.mirror_owned_times);
  CHECK(enveloped.data.server_json == R"({"name":"com.example/tools","description":"Local tools","version":"2.0.0"})");
  CHECK(enveloped.data.official.status == model::status::deprecated);
  CHECK(enveloped.data.official.status_message == "old");
  CHECK(enveloped.data.official.published_at.text == "2025-01-02T03:04:05Z");
  CHECK(enveloped.data.official.is_latest);

  // Through the view, rules apply to local versions as to upstream ones.
  const auto view = curation::curate_name(rules("rules:\n  - id: no-2\n    match: {version: \"2.*\"}\n    action: exclude\n"),
                                          versions, now);
  CHECK(served(view) == list{"1.0.0*"});
}

TEST_CASE("decode_local: the same name@version twice is an error naming the origin") {
  curation::rule_set rs;
  rs.local_servers = {
      {"local/a.json", R"({"name":"com.example/tools","description":"A","version":"1.0.0"})"},
      {"local/b.json", R"({"name":"com.example/tools","description":"B","version":"1.0.0"})"},
  };
  auto decoded = curation::decode_local(rs, t0);
  REQUIRE(std::holds_alternative<std::string>(decoded));
  CHECK(std::get<std::string>(decoded) == "local/b.json: com.example/tools@1.0.0 is also given by another local server");

  // The same name with other versions is fine.
  rs.local_servers[1].json = R"({"name":"com.example/tools","description":"B","version":"1.0.1"})";
  decoded = curation::decode_local(rs, t0);
  REQUIRE(std::holds_alternative<curation::local_catalog>(decoded));
  CHECK(std::get<curation::local_catalog>(decoded).by_name.at("com.example/tools").size() == 2);
}

TEST_CASE("decode_local: malformed documents and bad entries are errors naming the origin") {
  curation::rule_set rs;
  rs.local_servers = {{"local/ok.json", R"({"name":"com.example/ok","description":"d","version":"1.0.0"})"},
                      {"local/broken.json", R"({"name":"com.example/x","description":)"}};
  auto decoded = curation::decode_local(rs, t0);
  REQUIRE(std::holds_alternative<std::string>(decoded));
  CHECK(std::get<std::string>(decoded).starts_with("local/broken.json: "));

  rs.local_servers[1] = {"local/noname.json", R"({"description":"d","version":"1.0.0"})"};
  decoded = curation::decode_local(rs, t0);
  REQUIRE(std::holds_alternative<std::string>(decoded));
  CHECK(std::get<std::string>(decoded) == "local/noname.json: entry 0: server.name: missing");
}
