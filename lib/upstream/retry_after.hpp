#pragma once
// Retry-After (RFC 9110 §10.2.3): delta-seconds or an HTTP-date. The upstream's ingress sends
// it with 429; what to do with it is the sync job's policy, not ours.
#include <chrono>
#include <optional>
#include <string_view>

namespace mirror::upstream {

// delta-seconds ("120") → that many seconds, saturating at about 31 years; an HTTP-date in any
// of the three forms RFC 9110 §5.6.7 obliges recipients to accept (IMF-fixdate
// "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT", asctime
// "Sun Nov  6 08:49:37 1994") → seconds from `now` until then, rounded up, 0 when it has passed.
// Surrounding whitespace is ignored; anything else → nullopt.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now);

// The HTTP-date part alone, as seconds since the epoch; nullopt when it does not parse.
std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view text);

}  // namespace mirror::upstream
