// RFC 3339 with Go's acceptance rules (model/timestamp).
// Properties: whatever parses formats (UTC, Go's RFC3339Nano) to text that parses back to the
// same instant at microsecond precision; make_timestamp keeps the text verbatim.
#include "fuzz_check.hpp"
#include "model/timestamp.hpp"

using namespace mirror;

namespace {

// Years 0000..9999 are the only ones the parser takes back (format_rfc3339 writes others as Go).
bool formats_in_range(std::int64_t us) {
  constexpr std::int64_t year_0000 = -62'167'219'200'000'000;   // 0000-01-01T00:00:00Z
  constexpr std::int64_t year_10000 = 253'402'300'800'000'000;  // 10000-01-01T00:00:00Z
  return us >= year_0000 && us < year_10000;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::as_text(data, size);
  if (const auto us = model::parse_rfc3339_us(text)) {
    const auto ts = model::make_timestamp(text);
    FUZZ_CHECK(ts && ts->text == text && ts->us == *us);
    const auto formatted = model::format_rfc3339(*us);
    if (formats_in_range(*us)) FUZZ_CHECK(model::parse_rfc3339_us(formatted) == us);
  }

  // The formatter is total over int64: any 8 bytes are an instant.
  if (size >= 8) {
    std::int64_t us = 0;
    for (int i = 0; i < 8; ++i) us = static_cast<std::int64_t>(static_cast<std::uint64_t>(us) << 8 | data[i]);
    const auto formatted = model::format_rfc3339(us);
    if (formats_in_range(us)) FUZZ_CHECK(model::parse_rfc3339_us(formatted) == us);
  }
  return 0;
}
