// snapshot::parse_manifest's counts check: four non-negative int64 values whose sum could
// overflow (found by fuzz/fuzz_manifest.cpp).
#include <doctest/doctest.h>

#include <string>
#include <variant>

#include "snapshot/manifest.hpp"

using namespace mirror;

namespace {

std::variant<snapshot::manifest, std::string> parse_with_counts(const std::string& counts) {
  return snapshot::parse_manifest(
      R"({"format":"mcp-mirror-snapshot/1","createdAt":"2025-09-29T12:00:00Z","upstream":null,)"
      R"("watermark":null,"curated":false,"counts":)" + counts +
      R"(,"data":{"file":"servers.jsonl","bytes":1,"sha256":")" + std::string(64, 'a') + R"("}})");
}

}  // namespace

TEST_CASE("snapshot manifest: counts whose sum overflows int64 are rejected, not wrapped") {
  // 2 * INT64_MAX + 2 is 0 modulo 2^64: a plain sum accepted this as a total of 0.
  auto r = parse_with_counts(
      R"({"active":9223372036854775807,"deprecated":9223372036854775807,"deleted":2,"total":0})");
  REQUIRE(std::holds_alternative<std::string>(r));
  CHECK(std::get<std::string>(r) == "counts: total is not active + deprecated + deleted");

  r = parse_with_counts(R"({"active":9223372036854775807,"deprecated":1,"deleted":0,"total":9223372036854775807})");
  REQUIRE(std::holds_alternative<std::string>(r));
  CHECK(std::get<std::string>(r) == "counts: total is not active + deprecated + deleted");
}

TEST_CASE("snapshot manifest: the largest consistent counts parse and render back") {
  auto r = parse_with_counts(
      R"({"active":9223372036854775800,"deprecated":5,"deleted":2,"total":9223372036854775807})");
  REQUIRE(std::holds_alternative<snapshot::manifest>(r));
  const auto& m = std::get<snapshot::manifest>(r);
  CHECK(m.counts.total == 9223372036854775807);
  const auto again = snapshot::parse_manifest(snapshot::render_manifest(m));
  REQUIRE(std::holds_alternative<snapshot::manifest>(again));
  CHECK(std::get<snapshot::manifest>(again) == m);
}
