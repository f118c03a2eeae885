// json::node / parse_tree: byte-exact round trips of minified JSON, strict rejection of invalid
// input, and in-place edits.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

#include <simdjson.h>

#include "json/tree.hpp"

using mirror::json::node;
using mirror::json::parse_tree;

namespace {

std::string round_trip(std::string_view json) {
  auto parsed = parse_tree(json);
  REQUIRE_MESSAGE(parsed.value.has_value(), parsed.error);
  CHECK(parsed.error.empty());
  return parsed.value->to_string();
}

node parse(std::string_view json) {
  auto parsed = parse_tree(json);
  REQUIRE_MESSAGE(parsed.value.has_value(), parsed.error);
  return std::move(*parsed.value);
}

std::string nested(int depth, char open, char close, std::string_view inner = "") {
  std::string out;
  for (int i = 0; i < depth; ++i) out += open == '{' ? std::string(R"({"k":)") : std::string(1, open);
  if (open == '{') {
    // the innermost object's value
    out += inner.empty() ? std::string("{}") : std::string(inner);
    for (int i = 0; i < depth; ++i) out += close;
    return out;
  }
  out += inner;
  for (int i = 0; i < depth; ++i) out += close;
  return out;
}

}  // namespace

TEST_CASE("parse_tree: minified JSON comes back byte for byte") {
  const char* cases[] = {
      "{}",
      "[]",
      R"({"a":1})",
      R"({"a":{"b":{"c":[1,2,{"d":[]}]}},"e":[[],[[]],{}]})",
      R"([1,"two",true,false,null,{"x":[-1]},[[{}]]])",
      R"({"caf\u00e9":"\u00e9t\u00E9","q\"k":"a \" quote","b\\s":"back\\slash","s\/l":"\/path\/"})",
      R"({"ctl":"\b\f\n\r\t\u0001\u001f","surrogates":"\uD83D\uDE00 \ud83d\ude00","lone":"\ud800"})",
      R"([-0,0,1.0,1e+10,1E-2,-2.5e-10,0.000001,123456789012345678901234567890,-98765432109876543210987654321])",
      R"([1.7976931348623157e309,5e-400,100000000000000000000000000000000000000000000.5])",
      "{\"unicode\":\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xE2\x80\xA8\",\"\xE6\x97\xA5\":\"\xE6\x9C\xAC\"}",
      R"({"dup":1,"dup":2,"":""})",
      R"({"name":"io.github.x/y","version":"1.0.0","packages":[{"registryType":"npm","identifier":"@x/y","environmentVariables":[{"name":"TOKEN","isSecret":true,"default":null}]}],"_meta":{"io.modelcontextprotocol.registry/publisher-provided":{"z":1,"a":2}}})",
      R"("")",
      R"("just a string with \"escapes\" \u00e9")",
      "0",
      "-0",
      "1E400",
      "true",
      "false",
      "null",
  };
  for (const char* json : cases) {
    CAPTURE(json);
    CHECK(round_trip(json) == json);
  }
}

TEST_CASE("parse_tree: nesting up to max_depth round-trips, one more is an error") {
  static_assert(node::max_depth == 256);
  const std::string arrays = nested(256, '[', ']');
  CHECK(round_trip(arrays) == arrays);
  const std::string objects = nested(255, '{', '}');  // 255 "k" levels + the innermost {}
  CHECK(round_trip(objects) == objects);
  const std::string mixed = nested(128, '[', ']', nested(127, '{', '}'));
  CHECK(round_trip(mixed) == mixed);

  for (const std::string& deep : {nested(257, '[', ']'), nested(256, '{', '}'),
                                  nested(129, '[', ']', nested(127, '{', '}')),
                                  nested(2000, '[', ']')}) {
    auto parsed = parse_tree(deep);
    CHECK_FALSE(parsed.value.has_value());
    CHECK(parsed.error.find("DEPTH_ERROR") != std::string::npos);
  }
}

TEST_CASE("parse_tree: whitespace is dropped, output is minified") {
  CHECK(round_trip(" \n\t{ \"a\" : [ 1 , 2 ,\r\n \"x y\" ] , \"b\" : { } , \"c\" : [ ] }\n ") ==
        R"({"a":[1,2,"x y"],"b":{},"c":[]})");
  CHECK(round_trip("  42  ") == "42");
  CHECK(round_trip("\n\"s\"\n") == R"("s")");
  CHECK(round_trip(" [ true , false , null ] ") == "[true,false,null]");
  CHECK(round_trip("{\"k\" :\t-1.5E+3 }") == R"({"k":-1.5E+3})");
}

TEST_CASE("parse_tree: invalid input is an error with no value") {
  const char* cases[] = {
      "",
      "   ",
      "{",
      "[",
      R"({"a":)",
      R"({"a":1)",
      R"({"a":1,)",
      R"([1,2)",
      R"({"a":"unterminated)",
      "tru",
      "nul",
      "[tru]",
      R"({"a":fals})",
      R"({"a":nulll})",
      R"({"a":1,})",
      "[1,]",
      "[,1]",
      "[1 2]",
      R"({"a" 1})",
      R"({"a":1 "b":2})",
      R"({1:2})",
      R"({"a"})",
      "{}}",
      "[]]",
      "{} {}",
      "[] x",
      "1 2",
      R"("a" "b")",
      R"("a"x)",
      "truex",
      "01",
      "-",
      "1.",
      ".5",
      "+1",
      "1e",
      "0x10",
      "NaN",
      "[Infinity]",
      R"({"a":-})",
      R"(["\q"])",
      R"(["\u00g0"])",
      R"({"k\x":1})",
      "[\"a\tb\"]",
      "{\"a\x01\":1}",
      "[\"\xC3\"]",          // truncated UTF-8
      "[\"\xFF\"]",          // invalid UTF-8
      "{\"\xED\xA0\x80\":1}",  // UTF-8-encoded surrogate
      "'a'",
      "[undefined]",
  };
  for (const char* json : cases) {
    CAPTURE(json);
    auto parsed = parse_tree(json);
    CHECK_FALSE(parsed.value.has_value());
    CHECK_FALSE(parsed.error.empty());
  }
}

TEST_CASE("parse_tree: errors say what and, when known, where") {
  auto bad_token = parse_tree(R"({"a":[1,tru]})");
  CHECK(bad_token.error == "invalid boolean at byte 8");
  auto trailing = parse_tree("{}  x");
  CHECK(trailing.error.rfind("TRAILING_CONTENT", 0) == 0);
  CHECK(trailing.error.find("at byte 4") != std::string::npos);
  auto trailing_scalar = parse_tree("1 2");
  CHECK(trailing_scalar.error.rfind("TRAILING_CONTENT", 0) == 0);
  CHECK(trailing_scalar.error.find("at byte 2") != std::string::npos);
}

TEST_CASE("parse_tree: a lone surrogate escape is accepted, text() gives U+FFFD") {
  const node n = parse(R"(["\ud800","\uDC00x"])");
  CHECK(n.to_string() == R"(["\ud800","\uDC00x"])");
  CHECK(n.items().at(0).text() == "\xEF\xBF\xBD");
  CHECK(n.items().at(1).text() == "\xEF\xBF\xBDx");
}

TEST_CASE("node: kinds, raw tokens and unescaped text") {
  const node n = parse(R"({"s":"a\"b\\c\/d\u00e9\n\uD83D\uDE00","n":-1.50e+2,"t":true,"f":false,"z":null,"o":{},"a":[]})");
  REQUIRE(n.is_object());
  CHECK(n.type() == node::kind::object);
  CHECK(n.members().size() == 7);
  CHECK(n.raw().empty());
  CHECK_FALSE(n.text().has_value());

  const node* s = n.find("s");
  REQUIRE(s != nullptr);
  CHECK(s->is_string());
  CHECK(s->raw() == R"("a\"b\\c\/d\u00e9\n\uD83D\uDE00")");
  CHECK(s->text() == "a\"b\\c/d\xC3\xA9\n\xF0\x9F\x98\x80");

  CHECK(n.find("n")->type() == node::kind::number);
  CHECK(n.find("n")->raw() == "-1.50e+2");
  CHECK_FALSE(n.find("n")->text().has_value());
  CHECK(n.find("t")->type() == node::kind::boolean);
  CHECK(n.find("t")->raw() == "true");
  CHECK(n.find("f")->raw() == "false");
  CHECK(n.find("z")->type() == node::kind::null);
  CHECK(n.find("z")->raw() == "null");
  CHECK(n.find("o")->is_object());
  CHECK(n.find("a")->is_array());
  CHECK(n.find("missing") == nullptr);
  CHECK(n.find("s")->find("x") == nullptr);  // not an object

  CHECK(node().type() == node::kind::null);
  CHECK(node().to_string() == "null");
}

TEST_CASE("node: keys are found unescaped and written as stored") {
  node n = parse(R"({"caf\u00e9":1,"a\"b":2,"x\/y":3,"dup":"first","dup":"second"})");
  REQUIRE(n.find("caf\xC3\xA9") != nullptr);
  CHECK(n.find("caf\xC3\xA9")->raw() == "1");
  CHECK(n.find("a\"b")->raw() == "2");
  CHECK(n.find("x/y")->raw() == "3");
  CHECK(n.find("caf\\u00e9") == nullptr);  // the escaped spelling is not the key
  CHECK(n.find("dup")->text() == "first");
  CHECK(n.members().at(0).key == "caf\xC3\xA9");
  CHECK(n.members().at(0).raw_key == R"("caf\u00e9")");

  n.set("caf\xC3\xA9", node::string("new"));
  CHECK(n.to_string() == R"({"caf\u00e9":"new","a\"b":2,"x\/y":3,"dup":"first","dup":"second"})");
}

TEST_CASE("node: set keeps position, appends new keys, erase removes") {
  node n = parse(R"({"name":"x","title":"Old","description":"d","version":"1"})");

  node& title = n.set("title", node::string("New \"title\""));
  CHECK(title.text() == "New \"title\"");
  CHECK(n.to_string() == R"({"name":"x","title":"New \"title\"","description":"d","version":"1"})");

  n.set("websiteUrl", node::string("https://example.com/a?b=<c>&d"));
  CHECK(n.to_string() ==
        R"({"name":"x","title":"New \"title\"","description":"d","version":"1","websiteUrl":"https://example.com/a?b=<c>&d"})");

  CHECK(n.erase("description"));
  CHECK_FALSE(n.erase("description"));
  CHECK_FALSE(n.erase("absent"));
  CHECK(n.to_string() ==
        R"({"name":"x","title":"New \"title\"","version":"1","websiteUrl":"https://example.com/a?b=<c>&d"})");

  n.set("version", node::raw_scalar(node::kind::number, "2"));
  n.set("flag", node::raw_scalar(node::kind::boolean, "false"));
  n.set("nothing", node::raw_scalar(node::kind::null, "null"));
  n.set("new key\n", node::object()).set("list", node::array()).items().push_back(node::string("i"));
  CHECK(n.to_string() ==
        R"({"name":"x","title":"New \"title\"","version":2,"websiteUrl":"https://example.com/a?b=<c>&d","flag":false,"nothing":null,"new key\n":{"list":["i"]}})");

  // The result parses back to the same bytes.
  CHECK(round_trip(n.to_string()) == n.to_string());
}

TEST_CASE("node: set on a duplicated key replaces the first and drops the others") {
  node n = parse(R"({"a":1,"b":2,"a":3,"c":4,"a":5})");
  n.set("a", node::string("x"));
  CHECK(n.to_string() == R"({"a":"x","b":2,"c":4})");
  node m = parse(R"({"a":1,"b":2,"a":3})");
  CHECK(m.erase("a"));
  CHECK(m.to_string() == R"({"b":2})");
}

TEST_CASE("node: set with a key viewing the tree itself") {
  node n = parse(R"({"a":1,"b":2,"a":3})");
  const std::string_view key = n.members().back().key;  // the later "a"
  n.set(key, node::string("v"));
  CHECK(n.to_string() == R"({"a":"v","b":2})");
  CHECK(n.erase(n.members().front().key));
  CHECK(n.to_string() == R"({"b":2})");
}

TEST_CASE("node: nested edits inside arrays and objects") {
  node n = parse(R"({"packages":[{"identifier":"@a/b","environmentVariables":[{"name":"T","default":"x"}]}],"remotes":[{"type":"sse","url":"https://a"}]})");
  node* pkg = &n.find("packages")->items().at(0);
  pkg->set("identifier", node::string("@mirror/b"));
  pkg->find("environmentVariables")->items().at(0).set("default", node::string("y"));
  n.find("remotes")->items().at(0).set("url", node::string("https://mirror/\u2028"));
  CHECK(n.to_string() ==
        R"({"packages":[{"identifier":"@mirror/b","environmentVariables":[{"name":"T","default":"y"}]}],"remotes":[{"type":"sse","url":"https://mirror/\u2028"}]})");
}

TEST_CASE("node::string escapes like json::writer, text() reverses it") {
  const std::string raw_text = std::string("q\" b\\ /\b\f\n\r\t\x01\x1f\x7f <>& caf\xC3\xA9 \xE2\x80\xA8") + '\0';
  const node s = node::string(raw_text);
  CHECK(s.is_string());
  CHECK(s.raw() == R"("q\" b\\ /\b\f\n\r\t\u0001\u001f)" "\x7f" R"( <>& caf)" "\xC3\xA9" R"( \u2028\u0000")");
  CHECK(s.text() == raw_text);
  CHECK(node::string("").to_string() == R"("")");
  CHECK(node::string("\xFF").text() == "\xEF\xBF\xBD");  // invalid UTF-8 becomes U+FFFD
}

TEST_CASE("node::raw_scalar accepts only valid tokens of its kind") {
  CHECK(node::raw_scalar(node::kind::number, "-0.5e10").to_string() == "-0.5e10");
  CHECK(node::raw_scalar(node::kind::boolean, "true").type() == node::kind::boolean);
  CHECK_THROWS_AS(node::raw_scalar(node::kind::number, "01"), std::invalid_argument);
  CHECK_THROWS_AS(node::raw_scalar(node::kind::number, ""), std::invalid_argument);
  CHECK_THROWS_AS(node::raw_scalar(node::kind::boolean, "True"), std::invalid_argument);
  CHECK_THROWS_AS(node::raw_scalar(node::kind::null, "nil"), std::invalid_argument);
  CHECK_THROWS_AS(node::raw_scalar(node::kind::string, R"("a")"), std::invalid_argument);
  CHECK_THROWS_AS(node::raw_scalar(node::kind::object, "{}"), std::invalid_argument);
}

TEST_CASE("node: set on a non-object makes it an object, erase/find there do nothing") {
  node a = parse("[1]");
  CHECK(a.find("x") == nullptr);
  CHECK_FALSE(a.erase("x"));
  a.set("x", node::string("y"));
  CHECK(a.to_string() == R"({"x":"y"})");
}

TEST_CASE("parse_tree: a 1,000-key object and a 10,000-element array round-trip") {
  std::string object = "{";
  for (int i = 0; i < 1000; ++i) {
    if (i) object += ',';
    object += "\"key" + std::to_string(i) + "\\u00e9\":";
    object += i % 3 == 0 ? "\"v" + std::to_string(i) + "\"" : i % 3 == 1 ? std::to_string(i) + ".0e-1" : "[true,null]";
  }
  object += '}';
  const node o = parse(object);
  CHECK(o.members().size() == 1000);
  CHECK(o.to_string() == object);
  CHECK(o.find("key999\xC3\xA9") != nullptr);

  std::string array = "[";
  for (int i = 0; i < 10000; ++i) {
    if (i) array += ',';
    array += i % 2 ? std::to_string(-i) : "{\"i\":\"" + std::to_string(i) + "\"}";
  }
  array += ']';
  const node a = parse(array);
  CHECK(a.items().size() == 10000);
  CHECK(a.to_string() == array);
}

TEST_CASE("parse_tree: every server of the upstream seed round-trips once minified") {
  const auto path = std::filesystem::path(__FILE__).parent_path() / "../../../config/seed-2025-09-29.json";
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string json = buffer.str();
  std::unique_ptr<char[]> out(new char[json.size()]);
  std::size_t size = 0;
  REQUIRE(simdjson::minify(json.data(), json.size(), out.get(), size) == simdjson::SUCCESS);
  const std::string minified(out.get(), size);

  const node seed = parse(json);  // pretty-printed input
  REQUIRE(seed.is_array());
  CHECK(seed.items().size() == 358);
  CHECK(seed.to_string() == minified);
  for (const node& server : seed.items()) {
    const std::string bytes = server.to_string();
    CHECK(round_trip(bytes) == bytes);
  }
}
