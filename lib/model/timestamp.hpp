#pragma once
// RFC 3339 parsing and formatting with Go's `time.Parse(time.RFC3339, s)` acceptance rules,
// which is what the upstream applies to `updated_since` (official-registry.md §3).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/server_version.hpp"

namespace mirror::model {

// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` as Go's RFC3339 layout does:
// 'T' and 'Z' upper-case only, fraction after '.' or ',' with 1+ digits (digits past the 9th
// ignored), offset required, ranges checked
// (month 1–12, day valid for the month incl. leap years, hour < 24, minute < 60, second < 60,
// offset hour < 24 and minute < 60). Returns microseconds since the epoch in UTC,
// floored (fraction digits beyond 6 are truncated toward the past). nullopt on any error.
std::optional<std::int64_t> parse_rfc3339_us(std::string_view text);

// Formats microseconds as RFC 3339 UTC like Go's RFC3339Nano: "2025-09-29T12:00:00.5Z",
// trailing fraction zeros trimmed, no fraction when it is zero.
std::string format_rfc3339(std::int64_t us);

// parse_rfc3339_us + the original text; nullopt when the text does not parse.
std::optional<timestamp> make_timestamp(std::string_view text);
timestamp make_timestamp(std::int64_t us);

}  // namespace mirror::model
