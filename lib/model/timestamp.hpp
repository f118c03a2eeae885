#pragma once
// RFC 3339 parsing and formatting with Go's `time.Parse(time.RFC3339, s)` acceptance rules,
// which is what the upstream applies to `updated_since` (docs/upstream-api.md: Request handling).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/server_version.hpp"

namespace mirror::model {

// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` exactly as Go's time.Parse(RFC3339) does
// (its strict fast path falls back to the laxer generic layout parser, so the union counts):
// 'T' and 'Z' upper-case only; four-digit year 0000–9999; two-digit month, day, minute and
// second, but a one- or two-digit hour ("T5:04:05Z" is accepted); fraction after '.' or ','
// with 1+ digits (digits past the 9th ignored); offset required, as sign, two digits, ':',
// two digits. Ranges: month 1–12, day valid for the month incl. leap years, hour < 24,
// minute < 60, second < 60 (no leap second); offset hour <= 24 and offset minute <= 60 — Go
// tests the offset with '>' on purpose, so "+24:00" and "+23:60" are accepted, "+25:00" not.
// Returns microseconds since the epoch in UTC, floored (fraction digits beyond 6 are
// truncated toward the past, also before 1970). nullopt on any error.
std::optional<std::int64_t> parse_rfc3339_us(std::string_view text);

// Formats microseconds as RFC 3339 UTC like Go's RFC3339Nano: "2025-09-29T12:00:00.5Z",
// trailing fraction zeros trimmed, no fraction when it is zero. Total over int64: years
// outside 0000–9999 are written as Go does ("-0001", "10000"), though they do not re-parse.
std::string format_rfc3339(std::int64_t us);

// parse_rfc3339_us + the original text; nullopt when the text does not parse.
std::optional<timestamp> make_timestamp(std::string_view text);
timestamp make_timestamp(std::int64_t us);

}  // namespace mirror::model
