// The list cursor codec (model/cursor) and the request-side reading of it (api/list_params).
// Properties: parse_cursor splits at the first ':' and loses nothing (format_cursor gives the
// text back); format → parse is the identity for any name without ':'.
#include "api/list_params.hpp"
#include "fuzz_check.hpp"
#include "model/cursor.hpp"

using namespace mirror;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::as_text(data, size);

  const auto c = model::parse_cursor(text);
  if (c.version) {
    FUZZ_CHECK(c.name.find(':') == std::string::npos);
    FUZZ_CHECK(model::format_cursor(c.name, *c.version) == text);
  } else {
    FUZZ_CHECK(c.name == text);
  }

  // Two fields, the way the server writes them into nextCursor.
  const auto [name, version] = fuzz::split_at_nul(text);
  if (name.find(':') == std::string_view::npos) {
    const auto back = model::parse_cursor(model::format_cursor(name, version));
    FUZZ_CHECK(back.name == name && back.version && *back.version == version);
  }

  // A request cursor only turns spaces back into '+'; it never changes the split.
  const auto r = api::parse_request_cursor(text);
  FUZZ_CHECK(r.name.size() == c.name.size() && r.version.has_value() == c.version.has_value());
  return 0;
}
