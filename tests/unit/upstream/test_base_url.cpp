#include <doctest/doctest.h>

#include "upstream/base_url.hpp"
#include "upstream/errors.hpp"

using namespace mirror::upstream;

TEST_CASE("upstream parse_base_url: the official registry") {
  const auto b = parse_base_url("https://registry.modelcontextprotocol.io");
  REQUIRE(b.has_value());
  CHECK(b->tls);
  CHECK(b->host == "registry.modelcontextprotocol.io");
  CHECK(b->port == "443");
  CHECK(b->host_header == "registry.modelcontextprotocol.io");
  CHECK(b->path_prefix == "");
  CHECK_FALSE(b->ip_literal);
}

TEST_CASE("upstream parse_base_url: ports, prefixes and version suffixes") {
  auto b = parse_base_url("http://127.0.0.1:8081/");
  REQUIRE(b.has_value());
  CHECK_FALSE(b->tls);
  CHECK(b->port == "8081");
  CHECK(b->host_header == "127.0.0.1:8081");
  CHECK(b->ip_literal);
  CHECK(b->path_prefix == "");

  b = parse_base_url("https://host.example:443/registry/v0.1/");
  REQUIRE(b.has_value());
  CHECK(b->host_header == "host.example");  // default port not repeated
  CHECK(b->path_prefix == "/registry");

  b = parse_base_url("https://host.example/a/b/v0");
  REQUIRE(b.has_value());
  CHECK(b->path_prefix == "/a/b");

  b = parse_base_url("https://host.example/v0.1");
  REQUIRE(b.has_value());
  CHECK(b->path_prefix == "");

  b = parse_base_url("https://host.example/v0.10");  // not a version suffix
  REQUIRE(b.has_value());
  CHECK(b->path_prefix == "/v0.10");

  b = parse_base_url("http://[::1]:8080/x%20y");
  REQUIRE(b.has_value());
  CHECK(b->host == "::1");
  CHECK(b->host_header == "[::1]:8080");
  CHECK(b->ip_literal);
  CHECK(b->path_prefix == "/x%20y");
}

TEST_CASE("upstream parse_base_url rejects what it cannot request") {
  for (const char* bad : {"", "/v0.1", "example.com", "ftp://example.com", "https://",
                          "https://u@example.com", "https://example.com/?a=b", "https://example.com/#x",
                          "http://example.com:0", "http://example.com:65536"}) {
    CAPTURE(bad);
    const auto b = parse_base_url(bad);
    REQUIRE_FALSE(b.has_value());
    CHECK(b.error() == errc::bad_base_url);
  }
}
