#include "model/timestamp.hpp"

#include <chrono>
#include <cstddef>

namespace mirror::model {
namespace {

constexpr std::int64_t us_per_second = 1'000'000;
constexpr std::int64_t seconds_per_day = 86'400;
constexpr std::int64_t us_per_day = seconds_per_day * us_per_second;

bool digit_at(std::string_view s, std::size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; }
int digit_value(char c) { return c - '0'; }

// Go's getnum(s, fixed=true): exactly two digits.
std::optional<int> two_digits(std::string_view s, std::size_t pos) {
  if (!digit_at(s, pos) || !digit_at(s, pos + 1)) return std::nullopt;
  return digit_value(s[pos]) * 10 + digit_value(s[pos + 1]);
}

// Floor division for a positive divisor: the day of a negative instant is the one before
// the epoch, never day 0 (truncation toward zero would put 1969-12-31T23:00Z on 1970-01-01).
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b < 0) ? q - 1 : q;
}

struct civil_date {
  std::int64_t year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};

// Howard Hinnant's civil_from_days (the algorithm behind std::chrono's calendar), written
// over int64 because std::chrono::year is 16-bit and format_rfc3339 accepts any int64.
constexpr civil_date civil_from_days(std::int64_t z) {
  z += 719'468;  // shift the epoch to 0000-03-01 so leap days fall at the end of a year
  const std::int64_t era = floor_div(z, 146'097);
  const std::int64_t doe = z - era * 146'097;                                     // [0, 146096]
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;  // [0, 399]
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const std::int64_t mp = (5 * doy + 2) / 153;                                      // [0, 11]
  const auto day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  const auto month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  return civil_date{yoe + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

void append_padded(std::string& out, std::int64_t value, int width) {
  // value >= 0 here; width is the minimum number of digits, as Go's appendInt pads.
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0);
  for (int i = n; i < width; ++i) out.push_back('0');
  while (n > 0) out.push_back(buf[--n]);
}

}  // namespace

std::optional<std::int64_t> parse_rfc3339_us(std::string_view s) {
  // Go's time.Parse(RFC3339) first tries a strict fast path and, when that fails, falls back
  // to the generic layout parser, which accepts strictly more. So the acceptance rules here
  // are the generic parser's for layout "2006-01-02T15:04:05Z07:00".
  std::size_t pos = 0;

  // "2006": exactly four digits.
  for (std::size_t i = 0; i < 4; ++i)
    if (!digit_at(s, i)) return std::nullopt;
  const int year = digit_value(s[0]) * 1000 + digit_value(s[1]) * 100 + digit_value(s[2]) * 10 +
                   digit_value(s[3]);
  pos = 4;

  auto literal = [&](char c) {
    if (pos >= s.size() || s[pos] != c) return false;  // case-sensitive, as Go's skip()
    ++pos;
    return true;
  };

  if (!literal('-')) return std::nullopt;
  const auto month = two_digits(s, pos);  // "01"
  if (!month || *month < 1 || *month > 12) return std::nullopt;
  pos += 2;

  if (!literal('-')) return std::nullopt;
  const auto day = two_digits(s, pos);  // "02"; checked against the month below
  if (!day) return std::nullopt;
  pos += 2;

  if (!literal('T')) return std::nullopt;
  // "15" is Go's non-fixed hour verb: one digit is accepted ("T5:04:05Z").
  if (!digit_at(s, pos)) return std::nullopt;
  int hour = digit_value(s[pos++]);
  if (digit_at(s, pos)) hour = hour * 10 + digit_value(s[pos++]);
  if (hour >= 24) return std::nullopt;

  if (!literal(':')) return std::nullopt;
  const auto minute = two_digits(s, pos);  // "04"
  if (!minute || *minute >= 60) return std::nullopt;
  pos += 2;

  if (!literal(':')) return std::nullopt;
  const auto second = two_digits(s, pos);  // "05"; no leap second
  if (!second || *second >= 60) return std::nullopt;
  pos += 2;

  // A fraction is accepted after the seconds even though the layout has none: '.' or ','
  // followed by at least one digit; every digit is consumed, only the first nine count.
  std::int64_t nanos = 0;
  if (pos + 1 < s.size() && (s[pos] == '.' || s[pos] == ',') && digit_at(s, pos + 1)) {
    ++pos;
    int used = 0;
    while (digit_at(s, pos)) {
      if (used < 9) {
        nanos = nanos * 10 + digit_value(s[pos]);
        ++used;
      }
      ++pos;
    }
    for (; used < 9; ++used) nanos *= 10;
  }

  // "Z07:00": upper-case 'Z', or ±HH:MM. Go range-checks the offset with '>' on purpose
  // ("some people do write offsets of 24 hours or 60 minutes"), so +24:00 and +23:60 pass
  // and only hour > 24 or minute > 60 fail.
  std::int64_t offset_seconds = 0;
  if (pos < s.size() && s[pos] == 'Z') {
    ++pos;
  } else {
    if (s.size() - pos < 6 || s[pos + 3] != ':') return std::nullopt;
    const auto off_hour = two_digits(s, pos + 1);
    const auto off_minute = two_digits(s, pos + 4);
    if (!off_hour || !off_minute || *off_hour > 24 || *off_minute > 60) return std::nullopt;
    if (s[pos] != '+' && s[pos] != '-') return std::nullopt;
    offset_seconds = (*off_hour * 60 + *off_minute) * 60;
    if (s[pos] == '-') offset_seconds = -offset_seconds;
    pos += 6;
  }
  if (pos != s.size()) return std::nullopt;  // "extra text"

  // Day-of-month last, as Go does: 2024-02-29 exists, 2025-02-29 does not.
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(*month)},
                                         std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok()) return std::nullopt;

  const std::int64_t days = std::chrono::sys_days{date}.time_since_epoch().count();
  const std::int64_t seconds =
      days * seconds_per_day + hour * 3600 + *minute * 60 + *second - offset_seconds;
  // nanos >= 0 and whole seconds are exact, so adding the floored sub-second microseconds
  // floors the total, also before the epoch (…59.9999995Z → -1 us, not 0).
  return seconds * us_per_second + nanos / 1000;
}

std::string format_rfc3339(std::int64_t us) {
  const std::int64_t days = floor_div(us, us_per_day);
  // The remainder, not us - days * us_per_day: that product overflows for the lowest int64.
  std::int64_t in_day = us % us_per_day;
  if (in_day < 0) in_day += us_per_day;  // [0, us_per_day)
  const civil_date date = civil_from_days(days);

  std::string out;
  out.reserve(32);
  // Go's appendInt(year, 4): a sign for years before 0000, at least four digits.
  if (date.year < 0) out.push_back('-');
  append_padded(out, date.year < 0 ? -date.year : date.year, 4);
  out.push_back('-');
  append_padded(out, date.month, 2);
  out.push_back('-');
  append_padded(out, date.day, 2);
  out.push_back('T');
  append_padded(out, in_day / (3600 * us_per_second), 2);
  in_day %= 3600 * us_per_second;
  out.push_back(':');
  append_padded(out, in_day / (60 * us_per_second), 2);
  in_day %= 60 * us_per_second;
  out.push_back(':');
  append_padded(out, in_day / us_per_second, 2);

  // RFC3339Nano's ".999999999": trailing zeros trimmed, no '.' for a whole second.
  std::int64_t fraction = in_day % us_per_second;
  if (fraction != 0) {
    int digits = 6;
    while (fraction % 10 == 0) {
      fraction /= 10;
      --digits;
    }
    out.push_back('.');
    append_padded(out, fraction, digits);
  }
  out.push_back('Z');
  return out;
}

std::optional<timestamp> make_timestamp(std::string_view text) {
  const auto us = parse_rfc3339_us(text);
  if (!us) return std::nullopt;
  return timestamp{std::string(text), *us};
}

timestamp make_timestamp(std::int64_t us) { return timestamp{format_rfc3339(us), us}; }

}  // namespace mirror::model
