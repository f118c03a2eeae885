// Hostile YAML (hardening issue §4): alias bombs, self-referencing anchors, a stray `,` that
// yaml-cpp 0.7 turns into endless documents, and deep nesting. Each is a config error naming
// the line, column and key, reached in milliseconds and without building the expanded document,
// for mirror.yaml and for curation files alike (a reload must reject them and keep its rules).
#include <doctest/doctest.h>

#include <string>

#include "config/config.hpp"
#include "util/yaml_fields.hpp"
#include "util/yaml_load.hpp"
#include "curation/parse.hpp"

using namespace mirror;

namespace {

// Seven levels of ten aliases each: 10^7 copies of the innermost list once expanded.
std::string alias_bomb(const std::string& indent) {
  std::string y = indent + "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 7; ++i) {
    const auto prev = "*a" + std::to_string(i - 1);
    y += indent + "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) y += (j ? ", " : "") + prev;
    y += "]\n";
  }
  return y;
}

config::error curation_error(const std::string& yaml) {
  auto r = curation::parse(yaml, "curation.yaml");
  REQUIRE(std::holds_alternative<config::error>(r));
  return std::get<config::error>(r);
}

config::error mirror_error(const std::string& yaml) {
  auto r = config::parse(yaml, "mirror.yaml");
  REQUIRE(std::holds_alternative<config::error>(r));
  return std::get<config::error>(r);
}

}  // namespace

TEST_CASE("an alias bomb in an inline local server is an error, not gigabytes") {
  const auto yaml = "local_servers:\n  inline:\n    - name: com.example/bomb\n      version: \"1.0\"\n" +
                    alias_bomb("      ");
  const auto e = curation_error(yaml);
  CHECK(e.file == "curation.yaml");
  CHECK(e.line >= 10);
  CHECK(e.key.starts_with("local_servers.inline[0].a"));
  CHECK(e.message.find("once aliases are expanded") != std::string::npos);
}

TEST_CASE("an alias bomb in mirror.yaml is an error too") {
  const auto e = mirror_error("http:\n" + alias_bomb("  "));
  CHECK(e.message.find("once aliases are expanded") != std::string::npos);
  CHECK(e.key.starts_with("http.a"));
}

TEST_CASE("a self-referencing anchor is refused where the alias is") {
  const auto e = curation_error(
      "local_servers:\n  inline:\n    - &a\n      name: com.example/loop\n      version: \"1.0\"\n"
      "      loop: *a\n");
  CHECK(e.to_string() ==
        "curation.yaml:6:13: local_servers.inline[0].loop: a YAML alias refers to a node that contains it "
        "(an endless loop)");
  // The same in a sequence: [&s [*s]]
  CHECK(curation_error("rules: &s [*s]\n").message.find("endless loop") != std::string::npos);
}

TEST_CASE("a stray comma ends in an error instead of endless documents") {
  const auto e = curation_error(",");
  CHECK(e.line == 1);
  CHECK(e.message.find("more than one YAML document") != std::string::npos);
  CHECK(mirror_error(",").message.find("more than one YAML document") != std::string::npos);
  CHECK(curation_error("default: include\n---\nrules: []\n").line == 3);
}

TEST_CASE("nesting deeper than the limit is refused before yaml-cpp recurses further") {
  const std::string deep = "rules: " + std::string(100, '[') + std::string(100, ']') + "\n";
  const auto e = curation_error(deep);
  CHECK(e.message == "nested deeper than 64 levels");
  CHECK(e.line == 1);
}

TEST_CASE("the limits themselves: bytes, nodes, expanded text") {
  util::yaml_limits small{.max_bytes = 64, .max_depth = 4, .max_nodes = 10, .max_scalar_bytes = 20};
  CHECK_THROWS_AS(util::load_bounded(std::string(65, ' '), small), util::yaml_failure);
  CHECK_THROWS_AS(util::load_bounded("[1,2,3,4,5,6,7,8,9,10]", small), util::yaml_failure);
  CHECK_THROWS_AS(util::load_bounded("a: &x 0123456789\nb: *x\nc: *x\n", small), util::yaml_failure);
  const auto fine = util::load_bounded("a: &x [1, 2]\nb: *x\n", small);
  CHECK(fine["b"].size() == 2);
  CHECK(util::load_bounded("", small).IsNull());
}
