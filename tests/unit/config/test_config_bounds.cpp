// Hostile values in mirror.yaml: every integer is range-checked as 64 bits before it is narrowed,
// every duration is checked before it is multiplied, and both are capped, so nothing a file says
// can wrap into an accepted value (hardening issue §4).
#include <doctest/doctest.h>

#include "config/config.hpp"

using namespace mirror;

namespace {

config::error error_of(std::string_view yaml) {
  auto r = config::parse(yaml, "mirror.yaml");
  REQUIRE(std::holds_alternative<config::error>(r));
  return std::get<config::error>(r);
}

}  // namespace

TEST_CASE("integers that would wrap into range when cast to 32 bits are errors") {
  CHECK(error_of("http:\n  reader_threads: 4294967297\n").to_string() ==
        "mirror.yaml:2:19: http.reader_threads: must be between 1 and 64");
  CHECK(error_of("upstream:\n  jitter_percent: 4294967296\n").key == "upstream.jitter_percent");
  CHECK(error_of("upstream:\n  page_limit: 4294967396\n").message == "must be between 1 and 100");
  CHECK(error_of("snapshot:\n  min_share_percent: 4294967386\n").message == "must be between 0 and 100");
  CHECK(error_of("upstream:\n  max_attempts: 4294967297\n").message == "must be between 1 and 100");
  CHECK(error_of("http:\n  max_header_bytes: 4294968320\n").key == "http.max_header_bytes");
  CHECK(error_of("http:\n  max_connections: 0\n").key == "http.max_connections");
  CHECK(error_of("http:\n  max_connections_per_client: 0\n").key == "http.max_connections_per_client");
  CHECK(error_of("http:\n  max_queued_requests: 0\n").key == "http.max_queued_requests");
  // Past 64 bits: from_chars reports out of range, which is "too large", not "not an integer".
  CHECK(error_of("http:\n  cache_bytes: 18446744073709551616\n").message ==
        "\"18446744073709551616\" is too large");
}

TEST_CASE("durations that would overflow are errors, and every duration is capped") {
  CHECK(error_of("http:\n  read_timeout: 200000d\n").to_string() ==
        "mirror.yaml:2:17: http.read_timeout: \"200000d\" is longer than the maximum of 3650d");
  CHECK(error_of("http:\n  idle_timeout: 18446744073709551s\n").key == "http.idle_timeout");
  CHECK(error_of("http:\n  idle_timeout: 99999999999999999999999ms\n").key == "http.idle_timeout");
  CHECK(error_of("upstream:\n  run_deadline: 3651d\n").key == "upstream.run_deadline");
  auto ok = config::parse("http:\n  read_timeout: 3650d\nchanges:\n  retention: 87600h\n", "m.yaml");
  REQUIRE(std::holds_alternative<config::mirror_config>(ok));
  CHECK(std::get<config::mirror_config>(ok).http.read_timeout == std::chrono::hours(24 * 3650));
}
