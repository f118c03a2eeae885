#include <doctest/doctest.h>

#include "model/cursor.hpp"

using namespace mirror::model;

TEST_CASE("a cursor splits at the first colon, so versions keep theirs") {
  const cursor c = parse_cursor("a/b:1.0:x");
  CHECK(c.name == "a/b");
  REQUIRE(c.version.has_value());
  CHECK(*c.version == "1.0:x");
}

TEST_CASE("a typical nextCursor parses into name and version") {
  CHECK(parse_cursor("com.example/my-server:1.0.0") ==
        cursor{"com.example/my-server", std::string("1.0.0")});
  CHECK(parse_cursor("io.github.x/y:1.0.0+20130313144700") ==
        cursor{"io.github.x/y", std::string("1.0.0+20130313144700")});
}

TEST_CASE("a cursor without a colon is a name-only seek") {
  const cursor c = parse_cursor("com.example/my-server");
  CHECK(c.name == "com.example/my-server");
  CHECK_FALSE(c.version.has_value());
}

TEST_CASE("garbage cursors never fail, they just seek") {
  CHECK(parse_cursor("zzz") == cursor{"zzz", std::nullopt});
  CHECK(parse_cursor("") == cursor{"", std::nullopt});
  // A trailing colon is an empty version, not a name-only seek.
  CHECK(parse_cursor("a/b:") == cursor{"a/b", std::string()});
  CHECK(parse_cursor(":1.0.0") == cursor{"", std::string("1.0.0")});
}

TEST_CASE("format_cursor joins name and version with one colon") {
  CHECK(format_cursor("com.example/my-server", "1.0.0") == "com.example/my-server:1.0.0");
  CHECK(format_cursor("a/b", "") == "a/b:");
}

TEST_CASE("format_cursor and parse_cursor round-trip, also with colons in the version") {
  for (std::string_view version : {"1.0.0", "1.0:x", "::", "", "1.0.0-rc.1+build.5"}) {
    CAPTURE(version);
    const cursor c = parse_cursor(format_cursor("io.github.user/weather", version));
    CHECK(c.name == "io.github.user/weather");
    REQUIRE(c.version.has_value());
    CHECK(*c.version == version);
  }
}
