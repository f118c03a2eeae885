#pragma once
// Property checks for the fuzz targets: a violated property is a crash libFuzzer records (with
// the input) exactly like a sanitizer report, so `check` prints what failed and aborts.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace mirror::fuzz {

[[noreturn]] inline void fail(const char* what, const char* file, int line) {
  std::fprintf(stderr, "fuzz property violated: %s (%s:%d)\n", what, file, line);
  std::abort();
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Splits the input at its first NUL byte: two independent strings from one input, so the
// corpus stays plain text (e.g. "1.0.0\0 2.0.0-rc.1"). No NUL: `second` is empty.
struct pair_of_strings {
  std::string_view first, second;
};
inline pair_of_strings split_at_nul(std::string_view text) {
  const auto nul = text.find('\0');
  if (nul == std::string_view::npos) return {text, {}};
  return {text.substr(0, nul), text.substr(nul + 1)};
}

}  // namespace mirror::fuzz

#define FUZZ_CHECK(cond) ((cond) ? (void)0 : ::mirror::fuzz::fail(#cond, __FILE__, __LINE__))
