// Retry-After values (upstream/retry_after): delta-seconds and the three HTTP-date forms.
// Properties: a wait is never negative; an HTTP-date that parses, printed back as an
// IMF-fixdate, parses to the same instant.
#include <chrono>
#include <cstdio>

#include "fuzz_check.hpp"
#include "upstream/retry_after.hpp"

using namespace mirror;

namespace {

std::string imf_fixdate(std::chrono::sys_seconds t) {
  namespace chr = std::chrono;
  static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = chr::floor<chr::days>(t);
  const chr::year_month_day ymd{day};
  const chr::hh_mm_ss hms{t - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d GMT",
                days[chr::weekday{day}.c_encoding()], static_cast<unsigned>(ymd.day()),
                months[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto value = fuzz::as_text(data, size);
  // 2025-09-29T12:00:00Z: fixed, so a crashing input reproduces as it is.
  const std::chrono::system_clock::time_point now{std::chrono::seconds{1'759'147'200}};
  if (const auto wait = upstream::parse_retry_after(value, now)) FUZZ_CHECK(wait->count() >= 0);

  if (const auto date = upstream::parse_http_date(value)) {
    const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(*date)};
    if (ymd.year() >= std::chrono::year{0} && ymd.year() <= std::chrono::year{9999})
      FUZZ_CHECK(upstream::parse_http_date(imf_fixdate(*date)) == date);
  }
  return 0;
}
