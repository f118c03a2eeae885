#include <doctest/doctest.h>

#include "model/timestamp.hpp"
#include "upstream/targets.hpp"

using namespace mirror::upstream;

namespace {
page_request request(std::optional<std::string> cursor, std::optional<std::int64_t> since = {},
                     bool include_deleted = true, int limit = 100) {
  page_request r;
  r.cursor = std::move(cursor);
  r.updated_since_us = since;
  r.include_deleted = include_deleted;
  r.limit = limit;
  return r;
}
}  // namespace

TEST_CASE("upstream percent_encode keeps unreserved characters and encodes every other byte") {
  CHECK(percent_encode("a/b:1.0.0+build") == "a%2Fb%3A1.0.0%2Bbuild");
  CHECK(percent_encode("AZaz09-._~") == "AZaz09-._~");
  CHECK(percent_encode("") == "");
  CHECK(percent_encode(" %&=?#") == "%20%25%26%3D%3F%23");
  CHECK(percent_encode("\xC3\xA9") == "%C3%A9");  // UTF-8 bytes, upper-case hex
  CHECK(percent_encode(std::string_view("\0\x7f\xff", 3)) == "%00%7F%FF");
}

TEST_CASE("upstream servers_page_target puts the parameters in a fixed order") {
  CHECK(servers_page_target({}) == "/v0.1/servers?limit=100&include_deleted=true");
  CHECK(servers_page_target(request({}, {}, false, 30)) ==
        "/v0.1/servers?limit=30&include_deleted=false");
  CHECK(servers_page_target(request("io.github.x/y:1.0.0+20130313144700")) ==
        "/v0.1/servers?limit=100&include_deleted=true&cursor=io.github.x%2Fy%3A1.0.0%2B20130313144700");
}

TEST_CASE("upstream servers_page_target sends updated_since as encoded RFC 3339 UTC") {
  const auto us = mirror::model::parse_rfc3339_us("2025-09-29T12:00:00.5+02:00");
  REQUIRE(us);
  // Normalized to UTC with 'Z', so no '+' is left to encode; the ':' are encoded anyway.
  CHECK(servers_page_target(request({}, *us)) ==
        "/v0.1/servers?limit=100&include_deleted=true&updated_since=2025-09-29T10%3A00%3A00.5Z");
  CHECK(servers_page_target(request("a:1", 0, true, 5)) ==
        "/v0.1/servers?limit=5&include_deleted=true&updated_since=1970-01-01T00%3A00%3A00Z&cursor=a%3A1");
}

TEST_CASE("upstream versions_target encodes the name as one path segment") {
  CHECK(versions_target("io.github.user/weather") ==
        "/v0.1/servers/io.github.user%2Fweather/versions?include_deleted=true");
}
