// HTTP caching helpers: entity tags, If-None-Match, Accept-Encoding, gzip.
#include <doctest/doctest.h>

#include "http/conditional.hpp"
#include "upstream/gzip.hpp"

using namespace mirror::http;

TEST_CASE("entity tags are strong, name the representation and are bound to the URL") {
  // FNV-1a 64 (offset basis 0xcbf29ce484222325, prime 0x100000001b3), values computed
  // independently: a fixed function of the target, the same on every replica.
  CHECK(entity_tag(42, "", false) == "\"g42.cbf29ce484222325\"");
  const auto tag = entity_tag(42, "/v0.1/servers", false);
  CHECK(tag == "\"g42.0e578a82a09b3d22\"");
  CHECK(entity_tag(42, "/v0.1/servers", true) == tag.substr(0, tag.size() - 1) + "-gz\"");
  CHECK(entity_tag(42, "/v0.1/servers?limit=5", false) != tag);
  CHECK(entity_tag(43, "/v0.1/servers", false) != tag);
  CHECK(entity_tag(42, "/v0.1/servers", false) == tag);
}

TEST_CASE("If-None-Match: lists, *, weak comparison") {
  const std::string tag = "\"g42\"";
  CHECK(none_match_fails("\"g42\"", tag));
  CHECK(none_match_fails("*", tag));
  CHECK(none_match_fails(" W/\"g42\" ", tag));
  CHECK(none_match_fails("\"a\", \"b,c\" ,W/\"g42\"", tag));
  CHECK_FALSE(none_match_fails("\"g41\"", tag));
  CHECK_FALSE(none_match_fails("\"g42-gz\"", tag));
  CHECK_FALSE(none_match_fails("g42", tag));  // unquoted: malformed, no match
  CHECK_FALSE(none_match_fails("", tag));
}

TEST_CASE("Accept-Encoding: gzip with q-values") {
  CHECK(accepts_gzip("gzip"));
  CHECK(accepts_gzip("deflate, gzip;q=0.5, br"));
  CHECK(accepts_gzip("GZIP"));
  CHECK(accepts_gzip("x-gzip"));
  CHECK(accepts_gzip("*"));
  CHECK_FALSE(accepts_gzip(""));
  CHECK_FALSE(accepts_gzip("br, deflate"));
  CHECK_FALSE(accepts_gzip("gzip;q=0"));
  CHECK_FALSE(accepts_gzip("gzip; q=0.000"));
  CHECK_FALSE(accepts_gzip("*, gzip;q=0"));
  CHECK_FALSE(accepts_gzip("*;q=0"));
  CHECK(accepts_gzip("identity, gzip;q=1.0"));
}

TEST_CASE("gzip round-trips through the upstream client's gunzip") {
  std::string body;
  for (int i = 0; i < 500; ++i) body += "{\"name\":\"io.github.x/" + std::to_string(i) + "\"},";
  const auto gz = gzip(body);
  CHECK(gz.size() < body.size() / 3);
  auto back = mirror::upstream::gunzip(gz, 1 << 20);
  REQUIRE(back);
  CHECK(*back == body);
  CHECK(*mirror::upstream::gunzip(gzip(""), 16) == "");
}
