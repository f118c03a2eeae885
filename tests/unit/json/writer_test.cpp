#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>

#include <simdjson.h>

#include "json/writer.hpp"

using mirror::json::append_escaped;
using mirror::json::writer;

namespace {

std::string escaped(std::string_view s) {
  std::string out;
  append_escaped(out, s);
  return out;
}

// What Go 1.22+ encoding/json (SetEscapeHTML(false)) writes for one control byte.
std::string go_control_escape(unsigned char c) {
  switch (c) {
    case '\b': return "\\b";
    case '\t': return "\\t";
    case '\n': return "\\n";
    case '\f': return "\\f";
    case '\r': return "\\r";
    default: {
      constexpr char hex[] = "0123456789abcdef";
      return std::string("\\u00") + hex[c >> 4] + hex[c & 0xf];
    }
  }
}

// Parses `json` (one string value) with simdjson and returns the unescaped string.
std::string parse_string(const std::string& json) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(json);
  auto doc = parser.iterate(padded);
  std::string_view value;
  REQUIRE(doc.get_string().get(value) == simdjson::SUCCESS);
  return std::string(value);
}

}  // namespace

TEST_CASE("append_escaped: quotes and backslash") {
  CHECK(escaped("") == "\"\"");
  CHECK(escaped("plain") == "\"plain\"");
  CHECK(escaped("a\"b") == "\"a\\\"b\"");
  CHECK(escaped("a\\b") == "\"a\\\\b\"");
  CHECK(escaped("C:\\Documents\\t2itest.json") == "\"C:\\\\Documents\\\\t2itest.json\"");
  CHECK(escaped("/") == "\"/\"");  // Go does not escape the solidus
}

TEST_CASE("append_escaped: every control character 0x00-0x1f as Go writes it") {
  for (unsigned c = 0; c < 0x20; ++c) {
    CAPTURE(c);
    const std::string in(1, static_cast<char>(c));
    CHECK(escaped(in) == "\"" + go_control_escape(static_cast<unsigned char>(c)) + "\"");
  }
  CHECK(escaped(std::string("\0", 1)) == "\"\\u0000\"");
  CHECK(escaped("\x1f") == "\"\\u001f\"");
  CHECK(escaped("\x0b") == "\"\\u000b\"");
  CHECK(escaped("a\nb\tc") == "\"a\\nb\\tc\"");
}

TEST_CASE("append_escaped: HTML characters and DEL stay raw (escapeHTML off)") {
  CHECK(escaped("<a href=\"x\">&</a>") == "\"<a href=\\\"x\\\">&</a>\"");
  CHECK(escaped("\x7f") == "\"\x7f\"");
}

TEST_CASE("append_escaped: U+2028 and U+2029 are escaped") {
  CHECK(escaped("a\xE2\x80\xA8" "b") == "\"a\\u2028b\"");
  CHECK(escaped("\xE2\x80\xA9") == "\"\\u2029\"");
  CHECK(escaped("\xE2\x80\xA7") == "\"\xE2\x80\xA7\"");  // U+2027 is not special
}

TEST_CASE("append_escaped: non-ASCII kept raw") {
  CHECK(escaped("caf\xC3\xA9") == "\"caf\xC3\xA9\"");                 // é
  CHECK(escaped("\xE6\x97\xA5\xE6\x9C\xAC") == "\"\xE6\x97\xA5\xE6\x9C\xAC\"");  // 日本
  CHECK(escaped("\xF0\x9F\x98\x80") == "\"\xF0\x9F\x98\x80\"");       // 😀
  CHECK(escaped("\xEF\xBF\xBD") == "\"\xEF\xBF\xBD\"");               // U+FFFD itself
}

TEST_CASE("append_escaped: invalid UTF-8 becomes \\ufffd, one per bad byte (Go)") {
  CHECK(escaped("\xff") == "\"\\ufffd\"");
  CHECK(escaped("a\x80z") == "\"a\\ufffdz\"");              // stray continuation byte
  CHECK(escaped("\xC3") == "\"\\ufffd\"");                  // truncated 2-byte sequence
  CHECK(escaped("\xE2\x82") == "\"\\ufffd\\ufffd\"");       // truncated 3-byte sequence
  CHECK(escaped("\xC0\xAF") == "\"\\ufffd\\ufffd\"");       // overlong '/'
  CHECK(escaped("\xED\xA0\x80") == "\"\\ufffd\\ufffd\\ufffd\"");  // UTF-8 encoded surrogate
  CHECK(escaped("\xF4\x90\x80\x80") == "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");  // > U+10FFFF
  CHECK(escaped("\xC3\xA9\xff\xC3\xA9") == "\"\xC3\xA9\\ufffd\xC3\xA9\"");
}

TEST_CASE("writer: commas, nesting, members") {
  std::string out;
  writer w(out);
  w.begin_object();
  w.member("name", "io.github.a/b").member("count", 2).member("ok", true);
  w.key("list").begin_array();
  w.number(1).string("two").null().boolean(false);
  w.begin_object().end_object();
  w.begin_array().end_array();
  w.begin_array().number(-3).begin_object().member("x", std::int64_t{4}).end_object().end_array();
  w.end_array();
  w.key("empty").begin_object().end_object();
  w.key("raw").raw(R"({"a":[1.0,1e3,"\u00e9"]})");
  w.key("after").raw("null");
  w.end_object();
  CHECK(out ==
        R"({"name":"io.github.a/b","count":2,"ok":true,"list":[1,"two",null,false,{},[],[-3,{"x":4}]],)"
        R"("empty":{},"raw":{"a":[1.0,1e3,"\u00e9"]},"after":null})");
}

TEST_CASE("writer: appends to existing content, top-level scalars, integer limits") {
  std::string out = "prefix:";
  writer w(out);
  w.number(std::numeric_limits<std::int64_t>::min());
  CHECK(out == "prefix:-9223372036854775808");

  std::string out2;
  writer(out2).begin_array().number(std::numeric_limits<std::int64_t>::max()).number(0).end_array();
  CHECK(out2 == "[9223372036854775807,0]");

  std::string out3;
  writer(out3).begin_object().key("k\"ey").string("v").end_object();
  CHECK(out3 == R"({"k\"ey":"v"})");
}

TEST_CASE("writer output round-trips through simdjson") {
  std::string all_bytes;
  for (int c = 1; c < 0x80; ++c) all_bytes += static_cast<char>(c);
  all_bytes += std::string("\0", 1);
  const std::string samples[] = {
      all_bytes,
      "caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80",
      "line\xE2\x80\xA8sep\xE2\x80\xA9para",
      "quote \" backslash \\ slash / tab \t",
      "",
  };
  for (const auto& s : samples) {
    CHECK(parse_string(escaped(s)) == s);
  }
  CHECK(parse_string(escaped("bad\xff" "byte")) == "bad\xEF\xBF\xBD" "byte");

  std::string out;
  writer w(out);
  w.begin_object().key(all_bytes).string(samples[1]).key("n").number(-42);
  w.key("nested").begin_array().begin_object().member("a", samples[2]).end_object().end_array();
  w.end_object();
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(out);
  auto doc = parser.iterate(padded);
  simdjson::ondemand::object object;
  REQUIRE(doc.get_object().get(object) == simdjson::SUCCESS);
  int fields = 0;
  for (auto field : object) {
    std::string_view key;
    REQUIRE(field.unescaped_key().get(key) == simdjson::SUCCESS);
    if (fields == 0) {
      CHECK(key == all_bytes);
      std::string_view value;
      REQUIRE(field.value().get_string().get(value) == simdjson::SUCCESS);
      CHECK(value == samples[1]);
    } else if (fields == 1) {
      std::int64_t n = 0;
      REQUIRE(field.value().get_int64().get(n) == simdjson::SUCCESS);
      CHECK(n == -42);
    } else {
      std::string_view a;
      REQUIRE(field.value().at(0)["a"].get_string().get(a) == simdjson::SUCCESS);
      CHECK(a == samples[2]);
    }
    ++fields;
  }
  CHECK(fields == 3);
}
