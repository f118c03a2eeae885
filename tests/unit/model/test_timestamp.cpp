#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>

#include "model/timestamp.hpp"

using namespace mirror::model;

namespace {
constexpr std::int64_t us_per_second = 1'000'000;
constexpr std::int64_t us_per_day = 86'400 * us_per_second;

// Independent reference: std::chrono's calendar (valid for years -32767..32767).
std::int64_t utc_us(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {
  using namespace std::chrono;
  const auto day = sys_days{year{y} / month{m} / std::chrono::day{d}};
  return (day.time_since_epoch().count() * 86'400LL + hh * 3600LL + mm * 60LL + ss) *
         us_per_second;
}

std::optional<std::int64_t> parse(std::string_view s) { return parse_rfc3339_us(s); }

std::string two(unsigned v) { return std::string{char('0' + v / 10), char('0' + v % 10)}; }

// Go's four-digit, sign-prefixed year: -0999, 0000, 2025.
std::string year_text(int y) {
  std::string digits = std::to_string(y < 0 ? -y : y);
  if (digits.size() < 4) digits.insert(0, 4 - digits.size(), '0');
  return (y < 0 ? "-" : "") + digits;
}
}  // namespace

// --- accepted forms ------------------------------------------------------------------------

TEST_CASE("RFC 3339 with Z parses to microseconds since the epoch") {
  CHECK(parse("1970-01-01T00:00:00Z") == 0);
  CHECK(parse("2025-09-29T12:00:00Z") == 1'759'147'200'000'000);
  CHECK(parse("2025-08-07T13:15:04.280Z") == 1'754'572'504'280'000);  // upstream's own example
  CHECK(parse("2025-09-29T12:00:00Z") == utc_us(2025, 9, 29, 12));
}

TEST_CASE("numeric offsets are subtracted to reach UTC") {
  CHECK(parse("2025-09-29T14:00:00+02:00") == utc_us(2025, 9, 29, 12));
  CHECK(parse("2025-09-29T06:30:00-05:30") == utc_us(2025, 9, 29, 12));
  CHECK(parse("2025-09-29T12:00:00+00:00") == utc_us(2025, 9, 29, 12));
  CHECK(parse("2025-09-29T12:00:00-00:00") == utc_us(2025, 9, 29, 12));
  // Crossing a day and a year boundary.
  CHECK(parse("2025-01-01T01:00:00+02:00") == utc_us(2024, 12, 31, 23));
  CHECK(parse("2024-12-31T23:00:00-02:00") == utc_us(2025, 1, 1, 1));
}

TEST_CASE("fractional seconds of any length are accepted and floored to microseconds") {
  const std::int64_t base = utc_us(2025, 9, 29, 12);
  CHECK(parse("2025-09-29T12:00:00.5Z") == base + 500'000);
  CHECK(parse("2025-09-29T12:00:00.123Z") == base + 123'000);
  CHECK(parse("2025-09-29T12:00:00.123456Z") == base + 123'456);
  CHECK(parse("2025-09-29T12:00:00.123456789Z") == base + 123'456);
  CHECK(parse("2025-09-29T12:00:00.123456999999Z") == base + 123'456);  // 12 digits
  CHECK(parse("2025-09-29T12:00:00.999999999999999999999Z") == base + 999'999);
  CHECK(parse("2025-09-29T12:00:00.000Z") == base);
  CHECK(parse("2025-09-29T14:00:00.25+02:00") == base + 250'000);
}

TEST_CASE("a comma is accepted as the fraction separator, as Go does") {
  CHECK(parse("2025-09-29T12:00:00,5Z") == utc_us(2025, 9, 29, 12) + 500'000);
  CHECK(parse("2025-09-29T12:00:00,123456789+01:00") == utc_us(2025, 9, 29, 11) + 123'456);
}

TEST_CASE("leap days exist only in leap years") {
  CHECK(parse("2024-02-29T00:00:00Z") == 1'709'164'800'000'000);
  CHECK(parse("2000-02-29T00:00:00Z") == utc_us(2000, 2, 29));
  CHECK_FALSE(parse("2025-02-29T00:00:00Z").has_value());
  CHECK_FALSE(parse("1900-02-29T00:00:00Z").has_value());
  CHECK_FALSE(parse("2024-02-30T00:00:00Z").has_value());
}

TEST_CASE("every month has its own last day") {
  const unsigned last[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  for (unsigned m = 1; m <= 12; ++m) {
    const std::string prefix = "2023-" + two(m) + "-";
    CAPTURE(prefix);
    CHECK(parse(prefix + two(last[m - 1]) + "T00:00:00Z") == utc_us(2023, m, last[m - 1]));
    CHECK_FALSE(parse(prefix + two(last[m - 1] + 1) + "T00:00:00Z").has_value());
  }
}

TEST_CASE("years 0000 through 9999 are accepted") {
  CHECK(parse("0000-01-01T00:00:00Z") == utc_us(0, 1, 1));
  CHECK(parse("0001-01-01T00:00:00Z") == -62'135'596'800'000'000);
  CHECK(parse("9999-12-31T23:59:59.999999Z") == 253'402'300'799'999'999);
  CHECK(parse("0000-01-01T00:00:00+01:00") == utc_us(0, 1, 1) - 3600 * us_per_second);
  CHECK(parse("1990-01-01T00:00:00Z") == utc_us(1990, 1, 1));
  CHECK(parse("2999-12-31T23:59:59Z") == utc_us(2999, 12, 31, 23, 59, 59));
}

TEST_CASE("Go's lax corners are accepted: one-digit hour, offsets up to 24:60") {
  // The generic layout parser reads "15" with a non-fixed width and range-checks zone offsets
  // with '>' ("some people do write offsets of 24 hours or 60 minutes"), so upstream answers
  // 200, not 400, to these; the mirror must too.
  CHECK(parse("2025-09-29T5:04:05Z") == utc_us(2025, 9, 29, 5, 4, 5));
  CHECK(parse("2025-09-29T12:00:00+24:00") == utc_us(2025, 9, 28, 12));
  CHECK(parse("2025-09-29T12:00:00+23:60") == utc_us(2025, 9, 28, 12));
  CHECK(parse("2025-09-29T12:00:00-24:60") == utc_us(2025, 9, 30, 13));
}

// --- rejected forms ------------------------------------------------------------------------

TEST_CASE("T and Z must be upper-case") {
  CHECK_FALSE(parse("2025-09-29t12:00:00Z").has_value());
  CHECK_FALSE(parse("2025-09-29T12:00:00z").has_value());
  CHECK_FALSE(parse("2025-09-29t12:00:00z").has_value());
}

TEST_CASE("the offset is required") {
  CHECK_FALSE(parse("2025-09-29T12:00:00").has_value());
  CHECK_FALSE(parse("2025-09-29T12:00:00.5").has_value());
  CHECK_FALSE(parse("2025-09-29").has_value());
  CHECK_FALSE(parse("2025-09-29T12:00").has_value());
}

TEST_CASE("offsets must be sign, two digits, colon, two digits, in Go's range") {
  CHECK_FALSE(parse("2025-09-29T12:00:00+25:00").has_value());
  CHECK_FALSE(parse("2025-09-29T12:00:00+00:61").has_value());
  CHECK_FALSE(parse("2025-09-29T12:00:00+99:99").has_value());
  CHECK_FALSE(parse("2025-09-29T12:00:00+0200").has_value());
  CHECK_FALSE(parse("2025-09-29T12:00:00+02").has_value());
  CHECK_FALSE(parse("2025-09-29T12:00:00+2:00").has_value());
  CHECK_FALSE(parse("2025-09-29T12:00:00 02:00").has_value());  // a form-decoded '+'
  CHECK_FALSE(parse("2025-09-29T12:00:00*02:00").has_value());
  CHECK_FALSE(parse("2025-09-29T12:00:00+02:00:00").has_value());
  CHECK_FALSE(parse("2025-09-29T12:00:00UTC").has_value());
}

TEST_CASE("time fields are range-checked") {
  CHECK_FALSE(parse("2025-09-29T24:00:00Z").has_value());
  CHECK_FALSE(parse("2025-09-29T12:60:00Z").has_value());
  CHECK_FALSE(parse("2025-09-29T12:00:60Z").has_value());  // no leap seconds
  CHECK_FALSE(parse("2016-12-31T23:59:60Z").has_value());
  CHECK_FALSE(parse("2025-13-01T00:00:00Z").has_value());
  CHECK_FALSE(parse("2025-00-01T00:00:00Z").has_value());
  CHECK_FALSE(parse("2025-01-00T00:00:00Z").has_value());
  CHECK_FALSE(parse("2025-01-32T00:00:00Z").has_value());
}

TEST_CASE("field widths are fixed except the hour") {
  CHECK_FALSE(parse("25-09-29T12:00:00Z").has_value());
  CHECK_FALSE(parse("12025-09-29T12:00:00Z").has_value());
  CHECK_FALSE(parse("2025-9-29T12:00:00Z").has_value());
  CHECK_FALSE(parse("2025-09-9T12:00:00Z").has_value());
  CHECK_FALSE(parse("2025-09-29T12:0:00Z").has_value());
  CHECK_FALSE(parse("2025-09-29T12:00:0Z").has_value());
  CHECK_FALSE(parse("2025-09-29T123:00:00Z").has_value());
  CHECK_FALSE(parse("2025-09-29T:00:00Z").has_value());
  CHECK_FALSE(parse("+2025-09-29T12:00:00Z").has_value());
  CHECK_FALSE(parse("-2025-09-29T12:00:00Z").has_value());
}

TEST_CASE("separators are exact") {
  CHECK_FALSE(parse("2025-09-29 12:00:00Z").has_value());  // space instead of T
  CHECK_FALSE(parse("2025/09/29T12:00:00Z").has_value());
  CHECK_FALSE(parse("2025-09-29T12.00.00Z").has_value());
  CHECK_FALSE(parse("20250929T120000Z").has_value());
}

TEST_CASE("a fraction needs at least one digit after its separator") {
  CHECK_FALSE(parse("2025-09-29T12:00:00.Z").has_value());
  CHECK_FALSE(parse("2025-09-29T12:00:00,Z").has_value());
  CHECK_FALSE(parse("2025-09-29T12:00:00.+02:00").has_value());
  CHECK_FALSE(parse("2025-09-29T12:00:00.5.5Z").has_value());
}

TEST_CASE("trailing or leading garbage and empty input are rejected") {
  CHECK_FALSE(parse("").has_value());
  CHECK_FALSE(parse("invalid").has_value());
  CHECK_FALSE(parse("2025-09-29T12:00:00Zx").has_value());
  CHECK_FALSE(parse("2025-09-29T12:00:00Z ").has_value());
  CHECK_FALSE(parse(" 2025-09-29T12:00:00Z").has_value());
  CHECK_FALSE(parse("2025-09-29T12:00:00+02:00x").has_value());
  CHECK_FALSE(parse("2025-09-29T12:00:00ZZ").has_value());
  CHECK_FALSE(parse(std::string_view("2025-09-29T12:00:00Z\0", 21)).has_value());
  CHECK_FALSE(parse("1754572504").has_value());
}

// --- floor semantics -----------------------------------------------------------------------

TEST_CASE("instants before the epoch floor toward the past") {
  CHECK(parse("1969-12-31T23:59:59.9999995Z") == -1);
  CHECK(parse("1969-12-31T23:59:59.999999999Z") == -1);
  CHECK(parse("1969-12-31T23:59:59.999999Z") == -1);
  CHECK(parse("1969-12-31T23:59:59Z") == -us_per_second);
  CHECK(parse("1969-12-31T23:59:59.0000001Z") == -us_per_second);
  CHECK(parse("1970-01-01T00:00:00.0000009Z") == 0);
  CHECK(parse("1970-01-01T00:00:00.0000019Z") == 1);
}

// --- formatting ----------------------------------------------------------------------------

TEST_CASE("format_rfc3339 writes UTC like Go's RFC3339Nano") {
  CHECK(format_rfc3339(0) == "1970-01-01T00:00:00Z");
  CHECK(format_rfc3339(utc_us(2025, 9, 29, 12)) == "2025-09-29T12:00:00Z");
  CHECK(format_rfc3339(utc_us(2025, 9, 29, 12) + 500'000) == "2025-09-29T12:00:00.5Z");
  CHECK(format_rfc3339(1'754'572'504'280'000) == "2025-08-07T13:15:04.28Z");
  CHECK(format_rfc3339(123'450) == "1970-01-01T00:00:00.12345Z");
  CHECK(format_rfc3339(1) == "1970-01-01T00:00:00.000001Z");
  CHECK(format_rfc3339(10) == "1970-01-01T00:00:00.00001Z");
  CHECK(format_rfc3339(999'999) == "1970-01-01T00:00:00.999999Z");
}

TEST_CASE("format_rfc3339 floors negative instants into the previous second and day") {
  CHECK(format_rfc3339(-1) == "1969-12-31T23:59:59.999999Z");
  CHECK(format_rfc3339(-us_per_second) == "1969-12-31T23:59:59Z");
  CHECK(format_rfc3339(-us_per_day) == "1969-12-31T00:00:00Z");
  CHECK(format_rfc3339(-us_per_day - 1) == "1969-12-30T23:59:59.999999Z");
}

TEST_CASE("format_rfc3339 pads years to four digits and signs years before 0000") {
  CHECK(format_rfc3339(utc_us(0, 1, 1)) == "0000-01-01T00:00:00Z");
  CHECK(format_rfc3339(utc_us(1, 1, 1)) == "0001-01-01T00:00:00Z");
  CHECK(format_rfc3339(utc_us(-1, 12, 31)) == "-0001-12-31T00:00:00Z");
  CHECK(format_rfc3339(utc_us(10000, 1, 1)) == "10000-01-01T00:00:00Z");
}

TEST_CASE("format_rfc3339 handles the whole int64 range") {
  CHECK(format_rfc3339(std::numeric_limits<std::int64_t>::max()) ==
        "294247-01-10T04:00:54.775807Z");
  CHECK(format_rfc3339(std::numeric_limits<std::int64_t>::min()) ==
        "-290308-12-21T19:59:05.224192Z");
}

TEST_CASE("format then parse round-trips every microsecond value in range") {
  for (std::int64_t us : {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1},
                          std::int64_t{1'759'147'200'123'456}, std::int64_t{-1'000'000},
                          std::int64_t{-86'400'000'001}, utc_us(0, 1, 1),
                          std::int64_t{253'402'300'799'999'999}, utc_us(2024, 2, 29, 23, 59, 59) + 7}) {
    CAPTURE(us);
    CHECK(parse(format_rfc3339(us)) == us);
  }
}

TEST_CASE("parse then format normalizes to UTC with trimmed fraction") {
  CHECK(format_rfc3339(*parse("2025-09-29T14:00:00.500+02:00")) == "2025-09-29T12:00:00.5Z");
  CHECK(format_rfc3339(*parse("2025-09-29T12:00:00,000000Z")) == "2025-09-29T12:00:00Z");
}

TEST_CASE("civil-date arithmetic agrees with std::chrono for every day of years -1000..3000") {
  using namespace std::chrono;
  const auto first = sys_days{year{-1000} / January / 1}.time_since_epoch().count();
  const auto last = sys_days{year{3000} / December / 31}.time_since_epoch().count();
  long mismatches = 0;
  for (std::int64_t d = first; d <= last; ++d) {
    const year_month_day ymd{sys_days{days{d}}};
    const int y = static_cast<int>(ymd.year());
    const std::string date = year_text(y) + "-" + two(static_cast<unsigned>(ymd.month())) + "-" +
                             two(static_cast<unsigned>(ymd.day()));
    const std::string text = date + "T00:00:00Z";
    if (format_rfc3339(d * us_per_day + 1) != date + "T00:00:00.000001Z") ++mismatches;
    if (y >= 0 && parse(text) != d * us_per_day) ++mismatches;
    if (y < 0 && parse(text).has_value()) ++mismatches;
  }
  CHECK(mismatches == 0);
}

// --- make_timestamp ------------------------------------------------------------------------

TEST_CASE("make_timestamp keeps the upstream text byte for byte") {
  const auto t = make_timestamp("2025-09-29T14:00:00.500+02:00");
  REQUIRE(t.has_value());
  CHECK(t->text == "2025-09-29T14:00:00.500+02:00");
  CHECK(t->us == utc_us(2025, 9, 29, 12) + 500'000);
  CHECK_FALSE(make_timestamp("2025-09-29T12:00:00").has_value());
}

TEST_CASE("make_timestamp from microseconds formats the text") {
  const timestamp t = make_timestamp(std::int64_t{1'754'572'504'280'000});
  CHECK(t.text == "2025-08-07T13:15:04.28Z");
  CHECK(t.us == 1'754'572'504'280'000);
}
