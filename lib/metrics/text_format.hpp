#pragma once
// The Content-Type of `GET /metrics`. The exposition itself (text format 0.0.4) is written by
// prometheus-cpp's TextSerializer in registry.cpp; this constant stays ours because the HTTP
// layer sets the header and scrapers pick their parser from it.
#include <string_view>

namespace mirror::metrics {

inline constexpr std::string_view content_type = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace mirror::metrics
