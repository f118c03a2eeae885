#pragma once
// The small pieces of the Prometheus text exposition format 0.0.4 that the registry renders
// with. Kept apart from the registry so each rule can be tested on its own and so the
// registry's render loop reads as structure, not as escaping.
#include <string>
#include <string_view>

namespace mirror::metrics {

// The Content-Type a `GET /metrics` response must carry; scrapers pick the parser from it.
inline constexpr std::string_view content_type = "text/plain; version=0.0.4; charset=utf-8";

// Appends a sample value the way Prometheus client libraries do, so output is stable across
// scrapes and diffs cleanly: "NaN", "+Inf", "-Inf"; an integral value below 1e21 as plain
// digits ("3", "1000000", never "1e+06" or "3.0"); anything else as the shortest text that
// round-trips, in fixed notation for decimal exponents -4..20 and scientific ("1e-05")
// outside, which is Go's strconv 'g' rule.
void append_value(std::string& out, double v);
std::string format_value(double v);

// Label values escape backslash, double quote and newline (the spec's three); HELP text
// escapes only backslash and newline, because a quote cannot end a HELP line.
void append_escaped_label_value(std::string& out, std::string_view v);
void append_escaped_help(std::string& out, std::string_view v);

// Name syntax from the data model. Checked once at registration so a typo fails at startup
// instead of producing an exposition that Prometheus rejects wholesale at scrape time.
bool valid_metric_name(std::string_view name);  // [a-zA-Z_:][a-zA-Z0-9_:]*
bool valid_label_name(std::string_view name);   // [a-zA-Z_][a-zA-Z0-9_]*, not "__" prefixed

}  // namespace mirror::metrics
