// curation::decide and curation::apply_overrides: visibility precedence (default, last matching
// include/exclude wins), deprecate/pin (last wins), and what set / rewrite / env_defaults do to a
// server.json — only the edited values change, every other byte (escapes, number spellings, key
// order) comes back verbatim, and the effects name the changed paths.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "curation/decide.hpp"
#include "curation/facts.hpp"
#include "curation/parse.hpp"
#include "json/tree.hpp"
#include "rules_fixture.hpp"
#include "support/rows.hpp"

using namespace mirror;
using test::rules;

namespace {


// A server.json with escapes, a key spelled with an escape, a number spelled 1E-2 and a 30-digit
// integer: all of it must survive edits of other fields byte for byte.
const std::string base =
    R"({"$schema":"https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json",)"
    R"("name":"io.github.acme/tools","titl\u0065":"Old \"title\"","description":"D\u00e9j\u00e0 vu",)"
    R"("version":"1.0.0","websiteUrl":"https:\/\/acme.example\/",)"
    R"("packages":[{"registryType":"oci","identifier":"docker.io/acme/tools:1.0.0","transport":{"type":"stdio"}},)"
    R"({"registryType":"npm","identifier":"@acme/tools","version":"1.0.0","registryBaseUrl":"https://registry.npmjs.org",)"
    R"("transport":{"type":"stdio"},"environmentVariables":[{"name":"LOG_LEVEL","isRequired":false}]}],)"
    R"("remotes":[{"type":"streamable-http","url":"https://api.acme.example/mcp"},{"type":"sse","url":"https://other.example/sse"}],)"
    R"("_meta":{"x":1E-2,"big":123456789012345678901234567890,"esc":"a\/b\ud83d\ude00\n\u0041"}})";

// `text` with `from` (which must occur exactly once) replaced by `to`: the expected output of an
// edit, every other byte the same.
std::string replaced(const std::string& text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  REQUIRE_MESSAGE(text.find(from, at + 1) == std::string::npos, from);
  return text.substr(0, at) + to + text.substr(at + from.size());
}

struct applied {
  std::string json;
  std::vector<curation::effect> effects;
};

// decide + apply_overrides on `server_json`, as the view does for a visible version.
applied run_rules(const curation::rule_set& rs, const std::string& server_json, std::int64_t now_us = test::t0) {
  auto tree = json::parse_tree(server_json);
  REQUIRE_MESSAGE(tree.value, tree.error);
  model::server_version v;
  v.name = tree.value->find("name")->text().value();
  v.version = tree.value->find("version")->text().value();
  v.server_json = server_json;
  v.official.published_at.us = test::t0;
  const auto d = curation::decide(rs, curation::read_facts(v, *tree.value), now_us);
  applied out;
  out.effects = curation::apply_overrides(d, *tree.value);
  out.json = tree.value->to_string();
  return out;
}

using changes = std::vector<std::string>;

curation::facts facts_named(const std::string& name, model::status status = model::status::active) {
  curation::facts f;
  f.name = name;
  f.version = "1.0.0";
  f.status = status;
  f.published_us = test::t0;
  return f;
}

std::vector<std::string> ids(const std::vector<const curation::rule*>& rs) {
  std::vector<std::string> out;
  for (const auto* r : rs) out.push_back(r->id);
  return out;
}

}  // namespace

TEST_CASE("decide: the default applies when no include/exclude rule matches") {
  const auto include_all = rules("rules:\n  - id: t\n    match: {name: other/x}\n    action: exclude\n");
  auto d = curation::decide(include_all, facts_named("io.github.a/x"), test::t0);
  CHECK(d.visible);
  CHECK(d.visibility_rule == nullptr);
  CHECK(d.matched.empty());

  const auto exclude_all = rules("default: exclude\n");
  d = curation::decide(exclude_all, facts_named("io.github.a/x"), test::t0);
  CHECK_FALSE(d.visible);
  CHECK(d.visibility_rule == nullptr);

  const auto empty = rules("");
  CHECK(curation::decide(empty, facts_named("io.github.a/x"), test::t0).visible);
}

TEST_CASE("decide: the last matching include/exclude wins") {
  const auto rs = rules(R"(default: include
rules:
  - id: hide-github
    match: {namespace: io.github}
    action: exclude
  - id: allow-acme
    match: {namespace: io.github.acme}
    action: include
  - id: hide-acme-secret
    match: {name: io.github.acme/secret}
    action: exclude
  - id: never-matches
    match: {name: nothing/here}
    action: include
)");
  auto other = curation::decide(rs, facts_named("io.github.other/x"), test::t0);
  CHECK_FALSE(other.visible);
  REQUIRE(other.visibility_rule);
  CHECK(other.visibility_rule->id == "hide-github");

  auto acme = curation::decide(rs, facts_named("io.github.acme/x"), test::t0);
  CHECK(acme.visible);
  REQUIRE(acme.visibility_rule);
  CHECK(acme.visibility_rule->id == "allow-acme");
  CHECK(ids(acme.matched) == std::vector<std::string>{"hide-github", "allow-acme"});

  auto secret = curation::decide(rs, facts_named("io.github.acme/secret"), test::t0);
  CHECK_FALSE(secret.visible);
  CHECK(secret.visibility_rule->id == "hide-acme-secret");
  CHECK(ids(secret.matched) == std::vector<std::string>{"hide-github", "allow-acme", "hide-acme-secret"});

  auto outside = curation::decide(rs, facts_named("com.example/x"), test::t0);
  CHECK(outside.visible);
  CHECK(outside.visibility_rule == nullptr);

  // With default exclude, an include brings a version back; a later exclude hides it again.
  const auto allow_list = rules(R"(default: exclude
rules:
  - id: allow
    match: {namespace: io.github.acme}
    action: include
)");
  CHECK(curation::decide(allow_list, facts_named("io.github.acme/x"), test::t0).visible);
  CHECK_FALSE(curation::decide(allow_list, facts_named("io.github.other/x"), test::t0).visible);
}

TEST_CASE("decide: rules without include/exclude do not change visibility") {
  const auto rs = rules(R"(default: exclude
rules:
  - id: brand
    set: {title: Branded}
  - id: old
    deprecate: Old
  - id: pin
    pin_latest: "1.0.0"
)");
  const auto d = curation::decide(rs, facts_named("io.github.a/x"), test::t0);
  CHECK_FALSE(d.visible);
  CHECK(d.visibility_rule == nullptr);
  CHECK(ids(d.matched) == std::vector<std::string>{"brand", "old", "pin"});
}

TEST_CASE("decide: the last matching deprecate and pin_latest win") {
  const auto rs = rules(R"(rules:
  - id: dep-1
    deprecate: first
  - id: pin-1
    pin_latest: "1.0.0"
  - id: dep-2
    match: {name: io.github.a/*}
    deprecate: second
  - id: pin-2
    match: {name: io.github.a/*}
    pin_latest: "2.0.0"
  - id: dep-3
    match: {name: nothing/here}
    deprecate: never
)");
  auto d = curation::decide(rs, facts_named("io.github.a/x"), test::t0);
  REQUIRE(d.deprecate);
  CHECK(d.deprecate->id == "dep-2");
  REQUIRE(d.pin);
  CHECK(d.pin->id == "pin-2");
  d = curation::decide(rs, facts_named("com.example/x"), test::t0);
  REQUIRE(d.deprecate);
  CHECK(d.deprecate->id == "dep-1");
  REQUIRE(d.pin);
  CHECK(d.pin->id == "pin-1");
  CHECK(d.visible);
}

TEST_CASE("set: title, description, websiteUrl replace their values in place") {
  const auto rs = rules(R"(rules:
  - id: brand
    set:
      title: Acme "internal"
      description: Approved for internal use
      website_url: https://docs.internal.example/acme
)");
  const auto r = run_rules(rs, base);
  auto expected = replaced(base, R"("titl\u0065":"Old \"title\"")", R"("titl\u0065":"Acme \"internal\"")");
  expected = replaced(expected, R"("description":"D\u00e9j\u00e0 vu")", R"("description":"Approved for internal use")");
  expected = replaced(expected, R"("websiteUrl":"https:\/\/acme.example\/")",
                      R"("websiteUrl":"https://docs.internal.example/acme")");
  CHECK(r.json == expected);
  REQUIRE(r.effects.size() == 1);
  CHECK(r.effects[0].rule_id == "brand");
  CHECK(r.effects[0].changed == changes{"title", "description", "websiteUrl"});
}

TEST_CASE("set: a value already there (even spelled with escapes) changes nothing and reports no effect") {
  const auto rs = rules(R"(rules:
  - id: same
    set:
      title: Old "title"
      description: "Déjà vu"
      website_url: https://acme.example/
)");
  const auto r = run_rules(rs, base);
  CHECK(r.json == base);  // the escapes of the stored spelling stay
  CHECK(r.effects.empty());
}

TEST_CASE("set: a missing member is appended - a later rule's value wins over an earlier one") {
  const std::string plain = R"({"name":"io.github.a/x","description":"d","version":"1.0.0"})";
  const auto rs = rules(R"(rules:
  - id: first
    set: {title: First}
  - id: second
    set: {title: Second}
  - id: unrelated
    match: {name: other/x}
    set: {title: Never}
)");
  const auto r = run_rules(rs, plain);
  CHECK(r.json == R"({"name":"io.github.a/x","description":"d","version":"1.0.0","title":"Second"})");
  REQUIRE(r.effects.size() == 2);
  CHECK(r.effects[0].rule_id == "first");
  CHECK(r.effects[0].changed == changes{"title"});
  CHECK(r.effects[1].rule_id == "second");
  CHECK(r.effects[1].changed == changes{"title"});
}

TEST_CASE("set: icons are appended when absent, replaced when different, left alone when equal") {
  const auto rs = rules(R"(rules:
  - id: icons
    set:
      icons:
        - {src: "https://assets.example/a.png", mimeType: image/png, sizes: [48x48]}
)");
  const std::string icons = R"([{"src":"https://assets.example/a.png","mimeType":"image/png","sizes":["48x48"]}])";
  auto r = run_rules(rs, base);
  CHECK(r.json == base.substr(0, base.size() - 1) + R"(,"icons":)" + icons + "}");
  REQUIRE(r.effects.size() == 1);
  CHECK(r.effects[0].changed == changes{"icons"});

  // Applying again to the result: already there, nothing changes.
  const auto again = run_rules(rs, r.json);
  CHECK(again.json == r.json);
  CHECK(again.effects.empty());

  // Different icons in place: replaced where they stand.
  const std::string with_icons = replaced(base, R"("websiteUrl":)", R"("icons":[{"src":"https://x.example/i.svg"}],"websiteUrl":)");
  r = run_rules(rs, with_icons);
  CHECK(r.json == replaced(with_icons, R"([{"src":"https://x.example/i.svg"}])", icons));
  REQUIRE(r.effects.size() == 1);
  CHECK(r.effects[0].changed == changes{"icons"});
}

TEST_CASE("rewrite package_identifier: prefix, optionally only for one registryType") {
  auto r = run_rules(rules(R"(rules:
  - id: npm-scope
    rewrite:
      - {field: package_identifier, from: "@acme/", to: "@mirror/"}
)"),
                 base);
  CHECK(r.json == replaced(base, R"("identifier":"@acme/tools")", R"("identifier":"@mirror/tools")"));
  REQUIRE(r.effects.size() == 1);
  CHECK(r.effects[0].rule_id == "npm-scope");
  CHECK(r.effects[0].changed == changes{"packages[1].identifier"});

  // Limited to oci: the npm package is not touched, the oci one has no such prefix.
  r = run_rules(rules(R"(rules:
  - id: oci-only
    rewrite:
      - {field: package_identifier, from: "@acme/", to: "@mirror/", registry_type: oci}
)"),
            base);
  CHECK(r.json == base);
  CHECK(r.effects.empty());

  // Limited to oci and matching there: only packages[0].
  r = run_rules(rules(R"(rules:
  - id: oci-prefix
    rewrite:
      - {field: package_identifier, from: "docker.io/acme/", to: "mirror.example/acme/", registry_type: oci}
)"),
            base);
  CHECK(r.json == replaced(base, R"("identifier":"docker.io/acme/tools:1.0.0")",
                           R"("identifier":"mirror.example/acme/tools:1.0.0")"));
  REQUIRE(r.effects.size() == 1);
  CHECK(r.effects[0].changed == changes{"packages[0].identifier"});

  // A prefix that matches nothing: no change, no effect.
  r = run_rules(rules(R"(rules:
  - id: nothing
    rewrite:
      - {field: package_identifier, from: "@other/", to: "@mirror/"}
)"),
            base);
  CHECK(r.json == base);
  CHECK(r.effects.empty());
}

TEST_CASE("rewrite registry_base_url: prefix, and from \"\" sets it where absent and replaces it where present") {
  auto r = run_rules(rules(R"(rules:
  - id: npm-prefix
    rewrite:
      - {field: registry_base_url, from: "https://registry.npmjs.org", to: "https://npm.internal.example"}
)"),
                 base);
  CHECK(r.json == replaced(base, R"("registryBaseUrl":"https://registry.npmjs.org")",
                           R"("registryBaseUrl":"https://npm.internal.example")"));
  REQUIRE(r.effects.size() == 1);
  CHECK(r.effects[0].changed == changes{"packages[1].registryBaseUrl"});

  // from "" for npm only: the npm package's present value is replaced; the oci one is untouched.
  r = run_rules(rules(R"(rules:
  - id: npm-set
    rewrite:
      - {field: registry_base_url, from: "", to: "https://npm.internal.example", registry_type: npm}
)"),
            base);
  CHECK(r.json == replaced(base, R"("registryBaseUrl":"https://registry.npmjs.org")",
                           R"("registryBaseUrl":"https://npm.internal.example")"));
  REQUIRE(r.effects.size() == 1);
  CHECK(r.effects[0].changed == changes{"packages[1].registryBaseUrl"});

  // from "" for every package: the oci package, which has none, gets one appended.
  r = run_rules(rules(R"(rules:
  - id: all-set
    rewrite:
      - {field: registry_base_url, from: "", to: "https://registry.npmjs.org"}
)"),
            base);
  CHECK(r.json == replaced(base, R"("transport":{"type":"stdio"}},)",
                           R"("transport":{"type":"stdio"},"registryBaseUrl":"https://registry.npmjs.org"},)"));
  REQUIRE(r.effects.size() == 1);
  CHECK(r.effects[0].changed == changes{"packages[0].registryBaseUrl"});  // packages[1] had that value
}

TEST_CASE("rewrite oci_host: explicit and implicit Docker Hub hosts of oci packages, and their registryBaseUrl") {
  const std::string oci =
      R"({"name":"io.github.acme/images","description":"d","version":"1.0.0","packages":[)"
      R"({"registryType":"oci","identifier":"docker.io/foo/bar:1"},)"
      R"({"registryType":"oci","identifier":"foo/bar"},)"
      R"({"registryType":"oci","identifier":"nginx"},)"
      R"({"registryType":"oci","identifier":"ghcr.io/acme/x:2"},)"
      R"({"registryType":"oci","identifier":"acme/y","registryBaseUrl":"https://docker.io"},)"
      R"({"registryType":"npm","identifier":"docker.io/not/oci","registryBaseUrl":"https://docker.io"},)"
      R"({"registryType":"oci","identifier":"localhost:5000/z"},)"
      R"({"registryType":"oci","identifier":"quay.io/q/r","registryBaseUrl":"https://quay.io"}],"_meta":{"n":1E-2}})";
  const std::string expected =
      R"({"name":"io.github.acme/images","description":"d","version":"1.0.0","packages":[)"
      R"({"registryType":"oci","identifier":"registry.internal.example/foo/bar:1"},)"
      R"({"registryType":"oci","identifier":"registry.internal.example/foo/bar"},)"
      R"({"registryType":"oci","identifier":"registry.internal.example/library/nginx"},)"
      R"({"registryType":"oci","identifier":"ghcr.io/acme/x:2"},)"
      R"({"registryType":"oci","identifier":"registry.internal.example/acme/y","registryBaseUrl":"https://registry.internal.example"},)"
      R"({"registryType":"npm","identifier":"docker.io/not/oci","registryBaseUrl":"https://docker.io"},)"
      R"({"registryType":"oci","identifier":"localhost:5000/z"},)"
      R"({"registryType":"oci","identifier":"quay.io/q/r","registryBaseUrl":"https://quay.io"}],"_meta":{"n":1E-2}})";
  // The effect names the whole package: the identifier, the registryBaseUrl or both changed.
  const changes paths{"packages[0]", "packages[1]", "packages[2]", "packages[4]"};

  SUBCASE("host without slashes") {
    const auto r = run_rules(rules(R"(rules:
  - id: oci
    rewrite:
      - {field: oci_host, from: docker.io, to: registry.internal.example}
)"),
                         oci);
    CHECK(r.json == expected);
    REQUIRE(r.effects.size() == 1);
    CHECK(r.effects[0].changed == paths);
  }
  SUBCASE("trailing slashes in from and to mean the same") {
    const auto r = run_rules(rules(R"(rules:
  - id: oci
    rewrite:
      - {field: oci_host, from: docker.io/, to: registry.internal.example/}
)"),
                         oci);
    CHECK(r.json == expected);
    REQUIRE(r.effects.size() == 1);
    CHECK(r.effects[0].changed == paths);
  }
  SUBCASE("another explicit host: only that host, never the Docker Hub shorthand") {
    const auto r = run_rules(rules(R"(rules:
  - id: quay
    rewrite:
      - {field: oci_host, from: quay.io, to: quay.internal.example}
)"),
                         oci);
    CHECK(r.json == replaced(oci, R"("identifier":"quay.io/q/r","registryBaseUrl":"https://quay.io")",
                             R"("identifier":"quay.internal.example/q/r","registryBaseUrl":"https://quay.internal.example")"));
    REQUIRE(r.effects.size() == 1);
    CHECK(r.effects[0].changed == changes{"packages[7]"});
  }
  SUBCASE("a host with a port") {
    const auto r = run_rules(rules(R"(rules:
  - id: local
    rewrite:
      - {field: oci_host, from: "localhost:5000", to: registry.internal.example}
)"),
                         oci);
    CHECK(r.json == replaced(oci, R"("identifier":"localhost:5000/z")",
                             R"("identifier":"registry.internal.example/z")"));
    REQUIRE(r.effects.size() == 1);
    CHECK(r.effects[0].changed == changes{"packages[6]"});
  }
}

TEST_CASE("rewrite remote_url: prefix of remotes[].url") {
  auto r = run_rules(rules(R"(rules:
  - id: gateway
    rewrite:
      - {field: remote_url, from: "https://api.acme.example/", to: "https://gw.internal.example/acme/"}
)"),
                 base);
  CHECK(r.json == replaced(base, R"("url":"https://api.acme.example/mcp")", R"("url":"https://gw.internal.example/acme/mcp")"));
  REQUIRE(r.effects.size() == 1);
  CHECK(r.effects[0].rule_id == "gateway");
  CHECK(r.effects[0].changed == changes{"remotes[0].url"});

  // A remote_url rewrite never touches packages, even with a matching prefix there.
  r = run_rules(rules(R"(rules:
  - id: not-packages
    rewrite:
      - {field: remote_url, from: "https://registry.npmjs.org", to: "https://x.example"}
)"),
            base);
  CHECK(r.json == base);
  CHECK(r.effects.empty());
}

TEST_CASE("env_defaults: existing variables get a default, missing ones are added, arrays are created") {
  const auto rs = rules(R"(rules:
  - id: env
    env_defaults:
      LOG_LEVEL: warn
      REGION: eu-west-1
)");
  const auto r = run_rules(rs, base);
  auto expected = replaced(base, R"("environmentVariables":[{"name":"LOG_LEVEL","isRequired":false}])",
                           R"("environmentVariables":[{"name":"LOG_LEVEL","isRequired":false,"default":"warn"},)"
                           R"({"name":"REGION","default":"eu-west-1"}])");
  expected = replaced(expected, R"("transport":{"type":"stdio"}},)",
                      R"("transport":{"type":"stdio"},"environmentVariables":[{"name":"LOG_LEVEL","default":"warn"},)"
                      R"({"name":"REGION","default":"eu-west-1"}]},)");
  CHECK(r.json == expected);
  REQUIRE(r.effects.size() == 1);
  CHECK(r.effects[0].rule_id == "env");
  CHECK(r.effects[0].changed == changes{"packages[0].environmentVariables[0].default",
                                        "packages[1].environmentVariables[0].default",
                                        "packages[0].environmentVariables[1].default",
                                        "packages[1].environmentVariables[1].default"});

  // Applied again: every default is already there.
  const auto again = run_rules(rs, r.json);
  CHECK(again.json == r.json);
  CHECK(again.effects.empty());

  // A different existing default is replaced in place.
  const auto other = replaced(base, R"({"name":"LOG_LEVEL","isRequired":false})",
                              R"({"name":"LOG_LEVEL","default":"debug","isRequired":false})");
  const auto changed = run_rules(rules("rules:\n  - id: env\n    match: {registry_type: npm}\n    env_defaults: {LOG_LEVEL: warn}\n"),
                             other);
  CHECK(changed.json == replaced(replaced(other, R"("default":"debug")", R"("default":"warn")"),
                                 R"("transport":{"type":"stdio"}},)",
                                 R"("transport":{"type":"stdio"},"environmentVariables":[{"name":"LOG_LEVEL","default":"warn"}]},)"));
  REQUIRE(changed.effects.size() == 1);
  // The rule matched by registry_type, but env_defaults applies to every package of the version.
  CHECK(changed.effects[0].changed == changes{"packages[0].environmentVariables[0].default",
                                              "packages[1].environmentVariables[0].default"});
}

TEST_CASE("env_defaults: a version without packages is left alone") {
  const std::string remote_only =
      R"({"name":"io.github.a/x","description":"d","version":"1.0.0","remotes":[{"type":"sse","url":"https://a.example/"}]})";
  const auto r = run_rules(rules("rules:\n  - id: env\n    env_defaults: {LOG_LEVEL: warn}\n"), remote_only);
  CHECK(r.json == remote_only);
  CHECK(r.effects.empty());
}

TEST_CASE("overrides: several rules apply in file order, each reporting its own paths") {
  const auto rs = rules(R"(rules:
  - id: hide
    match: {name: nothing/x}
    action: exclude
  - id: visibility-only
    action: include
  - id: scope
    rewrite:
      - {field: package_identifier, from: "@acme/", to: "@mid/"}
  - id: rescope
    rewrite:
      - {field: package_identifier, from: "@mid/", to: "@final/"}
    set: {title: T}
)");
  const auto r = run_rules(rs, base);
  auto expected = replaced(base, R"("identifier":"@acme/tools")", R"("identifier":"@final/tools")");
  expected = replaced(expected, R"("titl\u0065":"Old \"title\"")", R"("titl\u0065":"T")");
  CHECK(r.json == expected);
  REQUIRE(r.effects.size() == 2);
  CHECK(r.effects[0].rule_id == "scope");
  CHECK(r.effects[0].changed == changes{"packages[1].identifier"});
  CHECK(r.effects[1].rule_id == "rescope");
  CHECK(r.effects[1].changed == changes{"title", "packages[1].identifier"});
}
