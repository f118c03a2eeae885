#include <doctest/doctest.h>

#include "upstream/retry_after.hpp"

using namespace mirror::upstream;
using namespace std::chrono;

namespace {
// Sun, 06 Nov 1994 08:49:37 GMT
const sys_seconds rfc_example = sys_days{1994y / November / 6} + 8h + 49min + 37s;
}

TEST_CASE("upstream Retry-After as delta-seconds") {
  const auto now = system_clock::now();
  CHECK(parse_retry_after("7", now) == seconds(7));
  CHECK(parse_retry_after(" 0 ", now) == seconds(0));
  CHECK(parse_retry_after("99999999999999999999999", now) == seconds(1'000'000'000));
  CHECK_FALSE(parse_retry_after("", now));
  CHECK_FALSE(parse_retry_after("-1", now));
  CHECK_FALSE(parse_retry_after("1.5", now));
  CHECK_FALSE(parse_retry_after("7s", now));
}

TEST_CASE("upstream Retry-After as an HTTP-date, in all three forms") {
  CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == rfc_example);
  CHECK(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT") == rfc_example);
  CHECK(parse_http_date("Sun Nov  6 08:49:37 1994") == rfc_example);
  CHECK(parse_http_date("Sun Nov 16 08:49:37 1994") == rfc_example + days(10));

  const auto now = rfc_example - 120s;
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now) == seconds(120));
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now + 500ms) == seconds(120));  // rounded up
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", rfc_example + 1h) == seconds(0));
}

TEST_CASE("upstream Retry-After rejects malformed dates") {
  for (const char* bad : {"Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 6 Nov 1994 08:49:37 GMT",
                          "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
                          "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT x",
                          "2025-09-29T12:00:00Z", "tomorrow"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_http_date(bad));
    CHECK_FALSE(parse_retry_after(bad, system_clock::now()));
  }
}

TEST_CASE("upstream Retry-After: a date beyond system_clock's range clamps instead of overflowing") {
  // Year 9923 in nanoseconds does not fit in 64 bits; the delay must come out as the cap, not
  // as a wrapped (negative, "retry at once") value.
  const auto now = system_clock::now();
  CHECK(parse_retry_after("Sun, 06 Nov 9923 08:49:37 GMT", now) == seconds(1'000'000'000));
  CHECK(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now) == seconds(1'000'000'000));
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now) == seconds(0));
}
