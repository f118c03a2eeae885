// curation::parse / load: every key lands in the rule set; every malformed file names the file,
// line, column and key path (H12); inline local servers become JSON; load reads the local-server
// directory in file-name order; the hash follows the text.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "curation/parse.hpp"
#include "curation/yaml_json.hpp"
#include "util/sha256.hpp"

using namespace mirror;
using namespace std::chrono_literals;

namespace {

curation::rule_set ok(std::string_view yaml) {
  auto r = curation::parse(yaml, "curation.yaml");
  if (auto* e = std::get_if<util::file_error>(&r)) FAIL(e->to_string());
  return std::get<curation::rule_set>(r);
}

util::file_error error_of(std::string_view yaml) {
  auto r = curation::parse(yaml, "curation.yaml");
  REQUIRE(std::holds_alternative<util::file_error>(r));
  auto e = std::get<util::file_error>(r);
  CHECK(e.file == "curation.yaml");
  return e;
}

// "line:column key" of the error, the part every malformed case pins down exactly.
std::string located(std::string_view yaml) {
  const auto e = error_of(yaml);
  return std::to_string(e.line) + ":" + std::to_string(e.column) + " " + e.key;
}

// A one-rule file: `body` is the rule's keys after `id: r`, indented by four spaces.
std::string rule(std::string_view body) { return "rules:\n  - id: r\n" + std::string(body); }

// An excluding rule with these `match` conditions (indented by six spaces; they start on line 5).
std::string match_rule(std::string_view conditions) {
  return rule("    action: exclude\n    match:\n" + std::string(conditions));
}

// A rule setting one icon with these keys beside its src (indented by ten; from line 6).
std::string icon_rule(std::string_view keys) {
  return rule("    set:\n      icons:\n        - src: https://a.example/i.png\n" + std::string(keys));
}

std::string to_json(std::string_view yaml) { return curation::yaml_to_json(YAML::Load(std::string(yaml))); }

// A fresh directory under the system temp dir, removed with the object.
struct temp_dir {
  std::filesystem::path path;
  temp_dir() {
    static int n = 0;
    path = std::filesystem::temp_directory_path() /
           ("curation-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~temp_dir() { std::filesystem::remove_all(path); }
  std::filesystem::path write(const std::string& name, std::string_view text) const {
    const auto p = path / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
};

}  // namespace

TEST_CASE("an empty document is an empty rule set that includes everything") {
  for (auto text : {"", "# only a comment\n", "---\n"}) {
    auto rs = ok(text);
    CHECK(rs.file == "curation.yaml");
    CHECK(rs.default_visibility == curation::visibility::include);
    CHECK(rs.rules.empty());
    CHECK(rs.local_servers.empty());
    CHECK(rs.local_dirs.empty());
    CHECK_FALSE(rs.time_dependent());
    CHECK(rs.hash == util::sha256_hex(text));
  }
}

TEST_CASE("every key is parsed into the rule set") {
  const std::string yaml = R"(default: exclude
rules:
  - id: all-of-it
    match:
      name: "io.github.acme/*"
      namespace: io.github.acme
      version: "1.*"
      registry_type: [npm, oci]
      transport: [stdio, streamable-http, sse]
      shape: [remote-only, package-only, both, neither]
      status: [active, deprecated, deleted]
      schema: ["2025-09-29", 2025-07-09]
      schema_before: "2025-09-29"
      published_older_than: 90d
      published_newer_than: 7d
    action: include
    deprecate: "Use io.github.acme/new instead"
    pin_latest: "1.2.3"
    set:
      title: Acme
      description: "Acme tools"
      website_url: https://acme.example/docs
      icons:
        - src: https://acme.example/i.png
          mimeType: image/png
          sizes: [48x48, any]
          theme: dark
        - {theme: light, src: "https://acme.example/\"q\".svg"}
    rewrite:
      - field: oci_host
        from: docker.io
        to: registry.internal.example
      - field: registry_base_url
        from: ""
        to: https://npm.internal.example
        registry_type: npm
      - field: package_identifier
        from: "@acme/"
        to: "@mirror/"
      - field: remote_url
        from: https://mcp.acme.example/
        to: https://gw.internal.example/
    env_defaults:
      LOG_LEVEL: info
      _PORT: 8080
  - id: second.rule_2
    action: exclude
local_servers:
  directory: local-servers
  inline:
    - {"name": "com.example.internal/tools", "version": "1.0.0", "description": "Internal tools"}
)";
  auto rs = ok(yaml);
  CHECK(rs.default_visibility == curation::visibility::exclude);
  REQUIRE(rs.rules.size() == 2);
  const auto& r = rs.rules[0];
  CHECK(r.id == "all-of-it");
  CHECK(r.line == 3);
  const auto& m = r.when;
  CHECK(m.names == std::vector<std::string>{"io.github.acme/*"});
  CHECK(m.namespaces == std::vector<std::string>{"io.github.acme"});
  CHECK(m.versions == std::vector<std::string>{"1.*"});
  CHECK(m.registry_types == std::vector<std::string>{"npm", "oci"});
  CHECK(m.transports == std::vector<std::string>{"stdio", "streamable-http", "sse"});
  CHECK(m.shapes == std::vector<curation::shape>{curation::shape::remote_only, curation::shape::package_only,
                                                 curation::shape::both, curation::shape::neither});
  CHECK(m.statuses ==
        std::vector<model::status>{model::status::active, model::status::deprecated, model::status::deleted});
  CHECK(m.schema_dates == std::vector<std::string>{"2025-09-29", "2025-07-09"});
  CHECK(m.schema_before == "2025-09-29");
  CHECK(m.published_older_than == std::chrono::milliseconds(90 * 24h));
  CHECK(m.published_newer_than == std::chrono::milliseconds(7 * 24h));
  CHECK_FALSE(m.empty());
  CHECK(r.action == curation::visibility::include);
  CHECK(r.deprecate == "Use io.github.acme/new instead");
  CHECK(r.pin_latest == "1.2.3");
  const auto& s = r.set;
  CHECK(s.title == "Acme");
  CHECK(s.description == "Acme tools");
  CHECK(s.website_url == "https://acme.example/docs");
  CHECK(
      s.icons_json ==
      R"([{"src":"https://acme.example/i.png","mimeType":"image/png","sizes":["48x48","any"],"theme":"dark"},)"
      R"({"src":"https://acme.example/\"q\".svg","theme":"light"}])");
  REQUIRE(s.rewrites.size() == 4);
  CHECK(s.rewrites[0].target == curation::rewrite::field::oci_host);
  CHECK(s.rewrites[0].from == "docker.io");
  CHECK(s.rewrites[0].to == "registry.internal.example");
  CHECK_FALSE(s.rewrites[0].registry_type);
  CHECK(s.rewrites[1].target == curation::rewrite::field::registry_base_url);
  CHECK(s.rewrites[1].from == "");
  CHECK(s.rewrites[1].to == "https://npm.internal.example");
  CHECK(s.rewrites[1].registry_type == "npm");
  CHECK(s.rewrites[2].target == curation::rewrite::field::package_identifier);
  CHECK(s.rewrites[2].from == "@acme/");
  CHECK(s.rewrites[3].target == curation::rewrite::field::remote_url);
  CHECK(s.env_defaults ==
        std::vector<std::pair<std::string, std::string>>{{"LOG_LEVEL", "info"}, {"_PORT", "8080"}});
  CHECK_FALSE(s.empty());
  CHECK(rs.time_dependent());

  const auto& plain = rs.rules[1];
  CHECK(plain.id == "second.rule_2");
  CHECK(plain.line == 46);
  CHECK(plain.when.empty());
  CHECK(plain.set.empty());
  CHECK(plain.action == curation::visibility::exclude);

  CHECK(rs.local_dirs == std::vector<std::filesystem::path>{"local-servers"});
  REQUIRE(rs.local_servers.size() == 1);
  CHECK(rs.local_servers[0].origin == "curation.yaml:51");
  CHECK(rs.local_servers[0].json ==
        R"({"name":"com.example.internal/tools","version":"1.0.0","description":"Internal tools"})");
  CHECK(rs.hash == util::sha256_hex(yaml + "curation.yaml:51" + '\0' + rs.local_servers[0].json + '\0'));
}

TEST_CASE("match conditions take one value or a list") {
  auto one =
      ok(match_rule("      name: a/*\n      transport: sse\n      status: deleted\n"
                    "      shape: neither\n      schema: 2025-09-29\n"));
  const auto& m1 = one.rules[0].when;
  CHECK(m1.names == std::vector<std::string>{"a/*"});
  CHECK(m1.transports == std::vector<std::string>{"sse"});
  CHECK(m1.statuses == std::vector<model::status>{model::status::deleted});
  CHECK(m1.shapes == std::vector<curation::shape>{curation::shape::neither});
  CHECK(m1.schema_dates == std::vector<std::string>{"2025-09-29"});
  auto many =
      ok(match_rule("      name:\n        - a/*\n        - b/?\n"
                    "      version: [\"1.*\", 2.0.0]\n      namespace: [com.example, io.github.a-b]\n"));
  const auto& m2 = many.rules[0].when;
  CHECK(m2.names == std::vector<std::string>{"a/*", "b/?"});
  CHECK(m2.versions == std::vector<std::string>{"1.*", "2.0.0"});
  CHECK(m2.namespaces == std::vector<std::string>{"com.example", "io.github.a-b"});
  CHECK_FALSE(many.time_dependent());
  // Only the published-age conditions depend on the clock.
  CHECK(ok(match_rule("      published_newer_than: 1h\n")).time_dependent());
}

TEST_CASE("a rule that only sets one override does something") {
  CHECK(ok(rule("    deprecate: gone\n")).rules[0].deprecate == "gone");
  CHECK(ok(rule("    pin_latest: 1.0.0\n")).rules[0].pin_latest == "1.0.0");
  CHECK(ok(rule("    set:\n      title: T\n")).rules[0].set.title == "T");
  CHECK(ok(rule("    set:\n      icons: []\n")).rules[0].set.icons_json == "[]");  // drop the icons
  CHECK(ok(rule("    env_defaults:\n      A: b\n")).rules[0].set.env_defaults.size() == 1);
  CHECK(ok(rule("    rewrite:\n      - {field: remote_url, from: a, to: b}\n")).rules[0].set.rewrites.size() ==
        1);
}

TEST_CASE("description and title are limited to 100 characters, not bytes") {
  std::string hundred_e_acute;
  for (int i = 0; i < 100; ++i) hundred_e_acute += "\xc3\xa9";
  CHECK(ok(rule("    set:\n      description: " + hundred_e_acute + "\n")).rules[0].set.description ==
        hundred_e_acute);
  const auto e = error_of(rule("    set:\n      description: " + std::string(101, 'x') + "\n"));
  CHECK(
      e.to_string() ==
      "curation.yaml:4:20: rules[0].set.description: at most 100 characters (server.json limit); this has 101");
  CHECK(located(rule("    set:\n      title: " + std::string(101, 'x') + "\n")) == "4:14 rules[0].set.title");
}

TEST_CASE("unknown keys are errors at every level") {
  CHECK(error_of("defaults: include\n").to_string() == "curation.yaml:1:1: defaults: unknown key");
  CHECK(located(rule("    actoin: exclude\n")) == "3:5 rules[0].actoin");
  CHECK(located(match_rule("      names: x\n")) == "5:7 rules[0].match.names");
  CHECK(located(rule("    set:\n      titel: X\n")) == "4:7 rules[0].set.titel");
  CHECK(located(rule("    rewrite:\n      - field: oci_host\n        form: x\n")) ==
        "5:9 rules[0].rewrite[0].form");
  CHECK(located(icon_rule("          size: [1x1]\n")) == "6:11 rules[0].set.icons[0].size");
  CHECK(located("local_servers:\n  dir: x\n") == "2:3 local_servers.dir");
}

TEST_CASE("repeated keys are errors, naming the first") {
  auto e = error_of(rule("    action: exclude\n    action: include\n"));
  CHECK(e.to_string() == "curation.yaml:4:5: rules[0].action: repeated key (first at line 3)");
  CHECK(located("default: include\ndefault: exclude\n") == "2:1 default");
  CHECK(located(rule("    env_defaults:\n      A: b\n      A: c\n")) == "5:7 rules[0].env_defaults.A");
}

TEST_CASE("bad values name the offending node") {
  CHECK(located("default: all\n") == "1:10 default");
  CHECK(error_of("default: all\n").message == "expected one of include, exclude; got \"all\"");
  CHECK(located(rule("    action: hide\n")) == "3:13 rules[0].action");
  CHECK(located(match_rule("      registry_type: [npm, Docker]\n")) == "5:28 rules[0].match.registry_type[1]");
  CHECK(located(match_rule("      transport: http\n")) == "5:18 rules[0].match.transport");
  CHECK(located(match_rule("      shape: [both, remote]\n")) == "5:21 rules[0].match.shape[1]");
  CHECK(located(match_rule("      status: Active\n")) == "5:15 rules[0].match.status");
  CHECK(located(match_rule("      published_older_than: 90 days\n")) ==
        "5:29 rules[0].match.published_older_than");
  CHECK(located(match_rule("      published_newer_than: -1d\n")) == "5:29 rules[0].match.published_newer_than");
  CHECK(located(match_rule("      schema: [2025-09-29, 2025-13-01]\n")) == "5:28 rules[0].match.schema[1]");
  CHECK(located(match_rule("      schema_before: 2025-02-30\n")) == "5:22 rules[0].match.schema_before");
  CHECK(located(match_rule("      schema: 25-09-29\n")) == "5:15 rules[0].match.schema");
  CHECK(located(match_rule("      namespace: io.github.acme/tools\n")) == "5:18 rules[0].match.namespace");
  CHECK(located(match_rule("      namespace: [io..github]\n")) == "5:19 rules[0].match.namespace[0]");
  CHECK(located(match_rule("      name: []\n")) == "5:13 rules[0].match.name");
  CHECK(located(rule("    deprecate: \"\"\n")) == "3:16 rules[0].deprecate");
  CHECK(located(rule("    set:\n      website_url: ftp://a.example/\n")) == "4:20 rules[0].set.website_url");
  CHECK(located(rule("    set:\n      icons:\n        - src: http://a.example/i.png\n")) ==
        "5:16 rules[0].set.icons[0].src");
  CHECK(located(icon_rule("          mimeType: image/gif\n")) == "6:21 rules[0].set.icons[0].mimeType");
  CHECK(located(icon_rule("          sizes: [48x48, big]\n")) == "6:26 rules[0].set.icons[0].sizes[1]");
  CHECK(located(icon_rule("          theme: blue\n")) == "6:18 rules[0].set.icons[0].theme");
  CHECK(located(rule("    set:\n      icons:\n        - theme: dark\n")) == "5:11 rules[0].set.icons[0].src");
  CHECK(located(rule("    env_defaults:\n      1BAD: x\n")) == "4:7 rules[0].env_defaults.1BAD");
  CHECK(located(rule("    env_defaults:\n      LOG-LEVEL: x\n")) == "4:7 rules[0].env_defaults.LOG-LEVEL");
  CHECK(located(rule("    env_defaults:\n      A: [x]\n")) == "4:10 rules[0].env_defaults.A");
}

TEST_CASE("rewrite checks: required keys, empty prefixes, registry_type") {
  CHECK(located(rule("    rewrite:\n      - field: oci_host\n        from: docker.io\n")) ==
        "4:9 rules[0].rewrite[0].to");
  CHECK(located(rule("    rewrite:\n      - field: host\n        from: a\n        to: b\n")) ==
        "4:16 rules[0].rewrite[0].field");
  CHECK(located(rule("    rewrite:\n      - field: oci_host\n        from: \"\"\n        to: b\n")) ==
        "5:15 rules[0].rewrite[0].from");
  CHECK(
      located(rule(
          "    rewrite:\n      - {field: remote_url, from: a, to: b}\n      - {field: x, from: a, to: b}\n")) ==
      "5:17 rules[0].rewrite[1].field");
  CHECK(located(rule("    rewrite:\n      - {field: remote_url, from: a, to: b, registry_type: npm}\n")) ==
        "4:60 rules[0].rewrite[0].registry_type");
  CHECK(located(rule("    rewrite:\n      field: remote_url\n")) == "4:7 rules[0].rewrite");
}

TEST_CASE("rule ids: required, well-formed, unique") {
  CHECK(located("rules:\n  - id: \"\"\n    action: exclude\n") == "2:9 rules[0].id");
  CHECK(error_of("rules:\n  - id: \"\"\n    action: exclude\n").message == "must not be empty");
  CHECK(located("rules:\n  - id: Hide_Me\n    action: exclude\n") == "2:9 rules[0].id");
  CHECK(located("rules:\n  - id: " + std::string(65, 'a') + "\n    action: exclude\n") == "2:9 rules[0].id");
  CHECK(ok("rules:\n  - id: " + std::string(64, 'a') + "\n    action: exclude\n").rules[0].id.size() == 64);
  CHECK(located("rules:\n  - action: exclude\n") == "2:5 rules[0].id");
  auto dup = error_of(
      "rules:\n  - id: a\n    action: exclude\n  - id: b\n    action: exclude\n  - id: a\n    action: "
      "include\n");
  CHECK(dup.to_string() == "curation.yaml:6:9: rules[2].id: duplicate id \"a\" (first at line 2)");
}

TEST_CASE("a rule that does nothing is an error") {
  auto e = error_of(rule("    match:\n      status: deleted\n"));
  CHECK(e.to_string() ==
        "curation.yaml:2:5: rules[0]: rule does nothing: give it an action, deprecate, pin_latest, set, "
        "rewrite or env_defaults");
  CHECK(located(rule("    set: {}\n")) == "2:5 rules[0]");
}

TEST_CASE("wrong shapes: list where a scalar belongs and the reverse") {
  CHECK(located("rules:\n  id: a\n") == "2:3 rules");
  CHECK(error_of("rules:\n  id: a\n").message == "expected a list");
  CHECK(located(rule("    deprecate: [a, b]\n")) == "3:16 rules[0].deprecate");
  CHECK(error_of(rule("    deprecate: [a, b]\n")).message == "expected a scalar value");
  CHECK(located(rule("    set: x\n")) == "3:10 rules[0].set");
  CHECK(located(rule("    action: exclude\n    match: [a]\n")) == "4:12 rules[0].match");
  CHECK(located(match_rule("      schema_before: [2025-09-29]\n")) == "5:22 rules[0].match.schema_before");
  CHECK(located("rules:\n  - just-a-string\n") == "2:5 rules[0]");
  CHECK(located("- a\n") == "1:1 (top level)");
  CHECK(located("local_servers: [x]\n") == "1:16 local_servers");
}

TEST_CASE("keys without a value, non-string keys and second documents") {
  // yaml-cpp places an empty value at the next token; the error points at the key instead.
  CHECK(error_of(rule("    deprecate:\n")).to_string() ==
        "curation.yaml:3:5: rules[0].deprecate: has no value");
  CHECK(located("rules:\n") == "1:1 rules");
  CHECK(located(rule("    env_defaults:\n      A:\n")) == "4:7 rules[0].env_defaults.A");
  CHECK(located("rules:\n  - {[a]: 1}\n") == "2:6 rules[0]");
  CHECK(error_of("rules:\n  - {[a]: 1}\n").message == "a key must be a string");
  CHECK(located("default: include\n---\ndefault: exclude\n") == "3:1 (top level)");
  CHECK(ok("---\ndefault: exclude\n").default_visibility == curation::visibility::exclude);
}

TEST_CASE("yaml syntax errors carry yaml-cpp's position") {
  auto e = error_of("rules:\n  - id: a\n    action: [exclude\n");
  CHECK(e.key == "(syntax)");
  CHECK(e.line == 4);
  CHECK(e.column == 1);
  CHECK(located("default: include: x\n") == "1:17 (syntax)");
}

TEST_CASE("inline local servers") {
  auto rs =
      ok("local_servers:\n  inline:\n    - name: com.example/a\n      version: \"1.0\"\n"
         "    - server:\n        name: com.example/b\n        version: 2.0.0\n      _meta: {}\n");
  REQUIRE(rs.local_servers.size() == 2);
  CHECK(rs.local_servers[0].origin == "curation.yaml:3");
  CHECK(rs.local_servers[0].json == R"({"name":"com.example/a","version":"1.0"})");
  CHECK(rs.local_servers[1].origin == "curation.yaml:5");
  CHECK(rs.local_servers[1].json == R"({"server":{"name":"com.example/b","version":"2.0.0"},"_meta":{}})");

  CHECK(located("local_servers:\n  inline:\n    - just a string\n") == "3:7 local_servers.inline[0]");
  CHECK(error_of("local_servers:\n  inline:\n    - just a string\n").message ==
        "expected a server.json document (a mapping)");
  CHECK(located("local_servers:\n  inline:\n    - version: \"1\"\n") == "3:7 local_servers.inline[0].name");
  CHECK(located("local_servers:\n  inline:\n    - server:\n        name: a/b\n") ==
        "4:9 local_servers.inline[0].server.version");
  // Unquoted 1.0 is a JSON number, which server.json does not allow for version.
  CHECK(located("local_servers:\n  inline:\n    - name: a/b\n      version: 1.0\n") ==
        "4:16 local_servers.inline[0].version");
  CHECK(located("local_servers:\n  inline:\n    - {name: a/b, version: \"1\", x: {y: 1, y: 2}}\n") ==
        "3:43 local_servers.inline[0].x.y");
  CHECK(located("local_servers:\n  inline: {name: a/b}\n") == "2:11 local_servers.inline");
}

TEST_CASE("yaml_to_json: only plain scalars are typed") {
  CHECK(to_json("a: true\nb: false\nc: null\nd: ~\ne:\nf: 12\ng: -0.5e+3\nh: 0\n") ==
        R"({"a":true,"b":false,"c":null,"d":null,"e":null,"f":12,"g":-0.5e+3,"h":0})");
  CHECK(to_json("a: \"true\"\nb: '12'\nc: 012\nd: 1.\ne: yes\nf: .5\ng: 0x1F\nh: !!str 7\ni: \"\"\n") ==
        R"({"a":"true","b":"12","c":"012","d":"1.","e":"yes","f":".5","g":"0x1F","h":"7","i":""})");
  CHECK(to_json("z: 1\na: [x, \"y\", {k: v}]\nm: |\n  two\n  lines\n") ==
        R"({"z":1,"a":["x","y",{"k":"v"}],"m":"two\nlines\n"})");
  CHECK(to_json(R"({"$schema": "https://example.com/s.json", "n": [1, 2.5, "3"], "o": {}})") ==
        R"({"$schema":"https://example.com/s.json","n":[1,2.5,"3"],"o":{}})");
  CHECK(to_json("- \"tab\\there\"\n- \"quote \\\" and \\\\\"\n") == R"(["tab\there","quote \" and \\"])");
  CHECK(curation::becomes_json_string(YAML::Load("\"1.0\"")));
  CHECK_FALSE(curation::becomes_json_string(YAML::Load("1.0")));
  CHECK_FALSE(curation::becomes_json_string(YAML::Load("[a]")));
}

TEST_CASE("the hash follows the text and the inline servers, and nothing else") {
  const std::string base = rule("    action: exclude\n");
  CHECK(ok(base).hash == ok(base).hash);
  CHECK(ok(base).hash == util::sha256_hex(base));
  CHECK(ok(base).hash != ok(base + "# a comment\n").hash);
  CHECK(ok(base).hash != ok(rule("    action: include\n")).hash);
  // The same text read under another name: inline origins name the file, so the hash differs.
  const std::string with_inline = "local_servers:\n  inline:\n    - {name: a/b, version: \"1\"}\n";
  auto a = curation::parse(with_inline, "a.yaml");
  auto b = curation::parse(with_inline, "b.yaml");
  CHECK(std::get<curation::rule_set>(a).hash != std::get<curation::rule_set>(b).hash);
  CHECK(std::get<curation::rule_set>(a).hash ==
        util::sha256_hex(with_inline + "a.yaml:3" + '\0' + R"({"name":"a/b","version":"1"})" + '\0'));
}

TEST_CASE("load reads the local-server directory in file-name order") {
  temp_dir dir;
  const std::string text =
      "rules:\n  - id: r\n    action: exclude\nlocal_servers:\n  directory: local\n"
      "  inline:\n    - {name: a/inline, version: \"1\"}\n";
  const auto file = dir.write("curation.yaml", text);
  const auto b = dir.write("local/b.json", R"({"name":"a/b","version":"1"})");
  const auto a = dir.write("local/a.json", R"({"name":"a/a","version":"1"})");
  dir.write("local/notes.txt", "not a server");
  dir.write("local/sub.json/c.json", "{}");  // a directory named *.json is not read, nor its files

  auto r = curation::load(file);
  if (auto* e = std::get_if<util::file_error>(&r)) FAIL(e->to_string());
  const auto& rs = std::get<curation::rule_set>(r);
  CHECK(rs.file == file.string());
  CHECK(rs.rules.size() == 1);
  CHECK(rs.local_dirs == std::vector<std::filesystem::path>{dir.path / "local"});
  REQUIRE(rs.local_servers.size() == 3);
  CHECK(rs.local_servers[0].origin == file.string() + ":7");
  CHECK(rs.local_servers[1].origin == a.string());
  CHECK(rs.local_servers[1].json == R"({"name":"a/a","version":"1"})");
  CHECK(rs.local_servers[2].origin == b.string());
  std::string expected = text;
  for (const auto& s : rs.local_servers) expected += s.origin + '\0' + s.json + '\0';
  CHECK(rs.hash == util::sha256_hex(expected));

  // Editing a local file changes the hash; the rules text is the same.
  dir.write("local/b.json", R"({"name":"a/b","version":"2"})");
  auto again = curation::load(file);
  REQUIRE(std::holds_alternative<curation::rule_set>(again));
  CHECK(std::get<curation::rule_set>(again).hash != rs.hash);
}

TEST_CASE("load errors: unreadable file, missing directory, oversized local file") {
  temp_dir dir;
  auto missing_file = curation::load(dir.path / "nope.yaml");
  REQUIRE(std::holds_alternative<util::file_error>(missing_file));
  CHECK(std::get<util::file_error>(missing_file).key == "(file)");
  CHECK(std::get<util::file_error>(missing_file).file == (dir.path / "nope.yaml").string());
  auto directory = curation::load(dir.path);  // opens fine and reads as "", which is not a file
  REQUIRE(std::holds_alternative<util::file_error>(directory));
  CHECK(std::get<util::file_error>(directory).key == "(file)");

  const auto file = dir.write("curation.yaml", "default: include\nlocal_servers:\n  directory: absent\n");
  auto missing_dir = curation::load(file);
  REQUIRE(std::holds_alternative<util::file_error>(missing_dir));
  const auto& e = std::get<util::file_error>(missing_dir);
  CHECK(e.to_string() == file.string() + ":3:14: local_servers.directory: " + (dir.path / "absent").string() +
                             ": no such directory");

  dir.write("absent", "a file, not a directory");
  auto not_dir = curation::load(file);
  REQUIRE(std::holds_alternative<util::file_error>(not_dir));
  CHECK(std::get<util::file_error>(not_dir).message == (dir.path / "absent").string() + ": not a directory");

  const auto big_file = dir.write("curation.yaml", "local_servers:\n  directory: big\n");
  const auto big = dir.write("big/huge.json", std::string(curation::max_local_file_bytes + 1, ' '));
  dir.write("big/small.json", "{}");
  auto too_big = curation::load(big_file);
  REQUIRE(std::holds_alternative<util::file_error>(too_big));
  CHECK(std::get<util::file_error>(too_big).to_string() ==
        big_file.string() + ":2:14: local_servers.directory: " + big.string() +
            ": larger than the 1 MiB a local server file may have");

  // parse errors come through load with the file's path.
  dir.write("curation.yaml", "defaults: x\n");
  auto parse_error = curation::load(file);
  REQUIRE(std::holds_alternative<util::file_error>(parse_error));
  CHECK(std::get<util::file_error>(parse_error).to_string() == file.string() + ":1:1: defaults: unknown key");
}

TEST_CASE("the shipped example parses") {
  const std::filesystem::path example = std::string(MIRROR_SOURCE_DIR) + "/config/curation.example.yaml";
  auto r = curation::load(example);
  if (auto* e = std::get_if<util::file_error>(&r)) FAIL(e->to_string());
  const auto& rs = std::get<curation::rule_set>(r);
  CHECK(rs.default_visibility == curation::visibility::include);
  REQUIRE(rs.rules.size() == 10);
  CHECK(rs.rules[0].id == "hide-deleted");
  CHECK(rs.rules[0].when.statuses == std::vector<model::status>{model::status::deleted});
  CHECK(rs.rules[0].action == curation::visibility::exclude);
  // Allow-list by exclusion: the include comes after the exclude, so it wins.
  CHECK(rs.rules[1].action == curation::visibility::exclude);
  CHECK(rs.rules[2].action == curation::visibility::include);
  CHECK(rs.rules[2].when.namespaces.size() == 2);
  const auto& oci = rs.rules[3].set.rewrites.at(0);
  CHECK(oci.target == curation::rewrite::field::oci_host);
  CHECK(oci.from == "docker.io");
  CHECK(oci.to == "registry.internal.example");
  const auto& npm = rs.rules[4].set.rewrites.at(0);
  CHECK(npm.target == curation::rewrite::field::registry_base_url);
  CHECK(npm.from.empty());
  CHECK(npm.registry_type == "npm");
  CHECK(rs.rules[5].set.rewrites.at(0).target == curation::rewrite::field::remote_url);
  CHECK(rs.rules[6].deprecate.has_value());
  CHECK(rs.rules[7].pin_latest == "1.4.2");
  CHECK(rs.rules[8].set.title == "Acme Search");
  CHECK(rs.rules[8].set.icons_json.has_value());
  CHECK(rs.rules[9].set.env_defaults.size() == 2);
  CHECK(rs.local_dirs.empty());
  REQUIRE(rs.local_servers.size() == 1);
  CHECK(rs.local_servers[0].json.find(R"("name":"com.example.internal/tools","version":"1.0.0")") !=
        std::string::npos);
  CHECK_FALSE(rs.time_dependent());
}
