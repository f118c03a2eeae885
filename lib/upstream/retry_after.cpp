#include "upstream/retry_after.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

namespace mirror::upstream {

namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;
using std::chrono::system_clock;

constexpr std::int64_t max_delta = 1'000'000'000;  // ~31 years: "never" for a poller

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Reads exactly `n` digits at `pos` and advances; false when they are not there.
bool digits(std::string_view s, std::size_t& pos, std::size_t n, int& out) {
  if (pos + n > s.size() || !all_digits(s.substr(pos, n))) return false;
  out = 0;
  for (std::size_t i = 0; i < n; ++i) out = out * 10 + (s[pos + i] - '0');
  pos += n;
  return true;
}

bool literal(std::string_view s, std::size_t& pos, std::string_view text) {
  if (s.substr(pos, text.size()) != text) return false;
  pos += text.size();
  return true;
}

bool month_name(std::string_view s, std::size_t& pos, int& out) {
  static constexpr std::array<std::string_view, 12> names = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (s.substr(pos, 3) == names[i]) {
      out = static_cast<int>(i) + 1;
      pos += 3;
      return true;
    }
  }
  return false;
}

// "HH:MM:SS"
bool time_of_day(std::string_view s, std::size_t& pos, int& h, int& m, int& sec) {
  return digits(s, pos, 2, h) && literal(s, pos, ":") && digits(s, pos, 2, m) &&
         literal(s, pos, ":") && digits(s, pos, 2, sec) && h < 24 && m < 60 && sec <= 60;
}

// Skips the day name up to and including `after` (", " or " "); the weekday is not checked.
bool skip_day_name(std::string_view s, std::size_t& pos, std::string_view after) {
  const auto end = s.find(after);
  if (end == std::string_view::npos || end < 3 || end > 9) return false;
  pos = end + after.size();
  return true;
}

std::optional<sys_seconds> make(int y, int mo, int d, int h, int mi, int sec) {
  namespace chr = std::chrono;
  const chr::year_month_day ymd{chr::year{y}, chr::month{static_cast<unsigned>(mo)},
                                chr::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return chr::sys_days{ymd} + chr::hours{h} + chr::minutes{mi} + seconds{sec};
}

}  // namespace

std::optional<sys_seconds> parse_http_date(std::string_view text) {
  const std::string_view s = trim(text);
  std::size_t pos = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (s.size() >= 4 && s[3] == ',') {  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    if (skip_day_name(s, pos, ", ") && digits(s, pos, 2, d) && literal(s, pos, " ") &&
        month_name(s, pos, mo) && literal(s, pos, " ") && digits(s, pos, 4, y) && literal(s, pos, " ") &&
        time_of_day(s, pos, h, mi, sec) && literal(s, pos, " GMT") && pos == s.size())
      return make(y, mo, d, h, mi, sec);
    return std::nullopt;
  }
  if (s.find(',') != std::string_view::npos) {  // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
    if (skip_day_name(s, pos, ", ") && digits(s, pos, 2, d) && literal(s, pos, "-") &&
        month_name(s, pos, mo) && literal(s, pos, "-") && digits(s, pos, 2, y) && literal(s, pos, " ") &&
        time_of_day(s, pos, h, mi, sec) && literal(s, pos, " GMT") && pos == s.size()) {
      // RFC 9110: a two-digit year more than 50 years ahead is in the past century. Using
      // a fixed pivot keeps this pure; the form has been obsolete since 1999 anyway.
      y += y < 70 ? 2000 : 1900;
      return make(y, mo, d, h, mi, sec);
    }
    return std::nullopt;
  }
  // asctime: "Sun Nov  6 08:49:37 1994" (day padded with a space)
  if (skip_day_name(s, pos, " ") && month_name(s, pos, mo) && literal(s, pos, " ")) {
    if (pos < s.size() && s[pos] == ' ') {
      ++pos;
      if (!digits(s, pos, 1, d)) return std::nullopt;
    } else if (!digits(s, pos, 2, d)) {
      return std::nullopt;
    }
    if (literal(s, pos, " ") && time_of_day(s, pos, h, mi, sec) && literal(s, pos, " ") &&
        digits(s, pos, 4, y) && pos == s.size())
      return make(y, mo, d, h, mi, sec);
  }
  return std::nullopt;
}

std::optional<seconds> parse_retry_after(std::string_view value, system_clock::time_point now) {
  const std::string_view s = trim(value);
  if (all_digits(s)) {
    std::int64_t n = 0;
    for (char c : s) {
      n = n * 10 + (c - '0');
      if (n > max_delta) return seconds{max_delta};
    }
    return seconds{n};
  }
  const auto when = parse_http_date(s);
  if (!when) return std::nullopt;
  // In whole seconds: a date such as year 9923 is far outside what system_clock's nanoseconds
  // can hold, so the difference is taken in seconds and clamped like the delta form.
  const auto now_s = std::chrono::floor<seconds>(now.time_since_epoch()).count();
  const auto when_s = when->time_since_epoch().count();
  if (when_s <= now_s) return seconds{0};
  return seconds{std::min<std::int64_t>(when_s - now_s, max_delta)};
}

}  // namespace mirror::upstream
