// curation::render_explain: the JSON `explain` prints for a name — per version whether it is
// served and why (the deciding rule with its file and line, or the default), the rules that
// matched and what they changed, and how isLatest was resolved. Parsed with simdjson rather than
// compared as whole strings, so the tests pin meaning, not member order.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include <simdjson.h>

#include "curation/explain.hpp"
#include "curation/parse.hpp"
#include "curation/view.hpp"
#include "rules_fixture.hpp"
#include "support/json_view.hpp"
#include "support/rows.hpp"

using namespace mirror;
using test::rules;
using test::has_pointer;
using test::string_at;
using test::t0;

namespace {


std::vector<curation::input_version> versions_of_x(const std::vector<std::string>& versions,
                                                   const std::string& latest) {
  std::vector<curation::input_version> out;
  std::int64_t published = t0;
  for (const auto& v : versions)
    out.push_back({test::upstream_row("io.github.a/x", v, published++, v == latest).data});
  return out;
}

std::string explain(const curation::rule_set& rs, const std::vector<curation::input_version>& input,
                    std::optional<std::string_view> version = std::nullopt) {
  const auto view = curation::curate_name(rs, input, t0);
  auto out = curation::render_explain(rs, view, "io.github.a/x", version);
  REQUIRE(out);
  CHECK(out->ends_with("}\n"));
  return *out;
}

struct doc {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  explicit doc(const std::string& text) { root = parser.parse(simdjson::padded_string(text)); }
  simdjson::dom::element at(std::string_view pointer) { return root.at_pointer(pointer).value(); }
  bool flag(std::string_view pointer) { return at(pointer).get_bool().value(); }
  std::int64_t number(std::string_view pointer) { return at(pointer).get_int64().value(); }
  std::size_t size(std::string_view pointer) { return at(pointer).get_array().size(); }
  std::vector<std::string> strings(std::string_view pointer) {
    std::vector<std::string> out;
    for (auto s : at(pointer).get_array()) out.emplace_back(s.get_string().value());
    return out;
  }
  bool is_null(std::string_view pointer) { return at(pointer).is_null(); }
};

using list = std::vector<std::string>;

}  // namespace

TEST_CASE("explain: a hidden version names the excluding rule, its file and line") {
  const auto rs = rules(R"(rules:
  - id: brand
    set: {title: X}
  - id: no-v2
    match: {name: io.github.a/x, version: "2.*"}
    action: exclude
)");
  const auto text = explain(rs, versions_of_x({"1.0.0", "2.0.0"}, "2.0.0"));
  doc d(text);
  CHECK(string_at(text, "/name") == "io.github.a/x");
  CHECK(string_at(text, "/rules/file") == "curation.yaml");
  CHECK(string_at(text, "/rules/hash") == rs.hash);
  CHECK(d.number("/rules/count") == 2);
  CHECK(string_at(text, "/rules/default") == "include");
  REQUIRE(d.size("/versions") == 2);

  CHECK(string_at(text, "/versions/1/version") == "2.0.0");
  CHECK(string_at(text, "/versions/1/source") == "upstream");
  CHECK_FALSE(d.flag("/versions/1/served"));
  CHECK(rs.rules[1].line == 4);
  CHECK(string_at(text, "/versions/1/reason") ==
        "hidden: excluded by rule no-v2 (curation.yaml:4), the last matching include/exclude rule");
  REQUIRE(d.size("/versions/1/matched") == 2);
  CHECK(string_at(text, "/versions/1/matched/1/id") == "no-v2");
  CHECK(d.number("/versions/1/matched/1/line") == 4);
  CHECK(d.strings("/versions/1/matched/1/actions") == list{"exclude"});
  CHECK(d.strings("/versions/1/matched/0/actions") == list{"set"});
  CHECK(d.size("/versions/1/changed") == 0);  // hidden: nothing applied
  CHECK(string_at(text, "/versions/1/upstream/status") == "active");
  CHECK(d.flag("/versions/1/upstream/isLatest"));
  CHECK_FALSE(has_pointer(text, "/versions/1/servedAs"));

  // The upstream latest was hidden: the flag moved to 1.0.0 by the upstream's rule.
  CHECK(string_at(text, "/latest") == "1.0.0");
  CHECK(string_at(text, "/latestReason") == "the highest visible version");
  CHECK(d.flag("/versions/0/servedAs/isLatest"));
  CHECK_FALSE(d.flag("/versions/0/upstream/isLatest"));
}

TEST_CASE("explain: a served version lists what each rule changed and how it is served") {
  const auto rs = rules(R"(default: exclude
rules:
  - id: allow
    match: {namespace: io.github.a}
    action: include
  - id: old
    match: {version: "1.*"}
    deprecate: Use 2.x
    set: {title: Old X}
    env_defaults: {LOG_LEVEL: warn}
)");
  const auto text = explain(rs, versions_of_x({"1.0.0", "2.0.0"}, "2.0.0"), "1.0.0");
  doc d(text);
  CHECK(string_at(text, "/rules/default") == "exclude");
  REQUIRE(d.size("/versions") == 1);  // only the version asked for
  CHECK(string_at(text, "/versions/0/version") == "1.0.0");
  CHECK(d.flag("/versions/0/served"));
  CHECK(string_at(text, "/versions/0/reason") ==
        "served: included by rule allow (curation.yaml:3), the last matching include/exclude rule");
  REQUIRE(d.size("/versions/0/matched") == 2);
  CHECK(d.strings("/versions/0/matched/0/actions") == list{"include"});
  CHECK(string_at(text, "/versions/0/matched/1/id") == "old");
  CHECK(d.number("/versions/0/matched/1/line") == 6);
  CHECK(d.strings("/versions/0/matched/1/actions") == list{"deprecate", "set", "env_defaults"});
  // env_defaults had no package to work on: only the title and the official block changed.
  REQUIRE(d.size("/versions/0/changed") == 1);
  CHECK(string_at(text, "/versions/0/changed/0/id") == "old");
  CHECK(d.strings("/versions/0/changed/0/changed") == list{"title", "status", "statusMessage"});
  CHECK(string_at(text, "/versions/0/upstream/status") == "active");
  CHECK(string_at(text, "/versions/0/servedAs/status") == "deprecated");
  CHECK_FALSE(d.flag("/versions/0/servedAs/isLatest"));
  // The whole-name fields are there even when one version is asked for.
  CHECK(string_at(text, "/latest") == "2.0.0");
  CHECK(string_at(text, "/latestReason") == "the upstream's latest");
}

TEST_CASE("explain: the default decides when no include/exclude rule matches") {
  const auto text = explain(rules(""), versions_of_x({"1.0.0"}, "1.0.0"));
  doc d(text);
  CHECK(string_at(text, "/rules/file") == "curation.yaml");
  CHECK(d.number("/rules/count") == 0);
  CHECK(string_at(text, "/versions/0/reason") ==
        "served: no include/exclude rule matched, so the default (include) applies");
  CHECK(d.size("/versions/0/matched") == 0);
  CHECK(d.size("/versions/0/changed") == 0);

  const auto hidden = explain(rules("default: exclude\n"), versions_of_x({"1.0.0"}, "1.0.0"));
  doc h(hidden);
  CHECK(string_at(hidden, "/versions/0/reason") ==
        "hidden: no include/exclude rule matched, so the default (exclude) applies");
  CHECK(h.is_null("/latest"));
  CHECK(string_at(hidden, "/latestReason") == "no version is served");
}

TEST_CASE("explain: a pinned latest names the pinning rule") {
  const auto rs = rules(R"(rules:
  - id: pin
    pin_latest: "1.0.0"
)");
  const auto text = explain(rs, versions_of_x({"1.0.0", "2.0.0"}, "2.0.0"));
  doc d(text);
  CHECK(string_at(text, "/latest") == "1.0.0");
  CHECK(string_at(text, "/latestReason") == "pinned by rule pin");
  CHECK(d.strings("/versions/0/matched/0/actions") == list{"pin_latest 1.0.0"});
  CHECK(d.flag("/versions/0/servedAs/isLatest"));
  CHECK(d.strings("/versions/0/changed/0/changed") == list{"isLatest"});
  CHECK_FALSE(d.flag("/versions/1/servedAs/isLatest"));
  CHECK(d.flag("/versions/1/upstream/isLatest"));
  CHECK(string_at(text, "/versions/1/changed/0/id") == "pin");
}

TEST_CASE("explain: an unknown version is nullopt - a local source is named") {
  const auto rs = rules("");
  auto input = versions_of_x({"1.0.0"}, "1.0.0");
  const auto view = curation::curate_name(rs, input, t0);
  CHECK_FALSE(curation::render_explain(rs, view, "io.github.a/x", "9.9.9"));
  CHECK(curation::render_explain(rs, view, "io.github.a/x", "1.0.0"));
  CHECK(curation::render_explain(rs, view, "io.github.a/x", std::nullopt));

  input[0].source = model::source::local;
  const auto text = explain(rs, input);
  CHECK(string_at(text, "/versions/0/source") == "local");
}
