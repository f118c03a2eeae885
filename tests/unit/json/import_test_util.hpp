#pragma once
// Shared helpers for the import decoder tests.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "json/import_decoder.hpp"

namespace mirror::json::test {

// 2025-09-29T12:00:00Z, the "now" made-up official blocks get.
inline constexpr std::int64_t now_us = 1759147200000000;

inline decode_options options(std::size_t max_entry_bytes = 1 << 20) {
  decode_options o;
  o.now_us = now_us;
  o.max_entry_bytes = max_entry_bytes;
  return o;
}

// Decodes with decode_import and requires a batch.
inline decoded_batch decode_ok(std::string_view bytes, const decode_options& o = options()) {
  decode_result r = decode_import(bytes, o);
  INFO("error: " << r.error);
  REQUIRE(r.batch.has_value());
  CHECK(r.error.empty());
  return std::move(*r.batch);
}

// Decodes with decode_import and requires the whole file to be rejected; returns the error.
inline std::string decode_fails(std::string_view bytes) {
  decode_result r = decode_import(bytes, options());
  CHECK_FALSE(r.batch.has_value());
  CHECK_FALSE(r.error.empty());
  return r.error;
}

inline bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

}  // namespace mirror::json::test
