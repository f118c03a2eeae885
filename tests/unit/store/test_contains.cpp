// mirror_contains: the upstream's ILIKE '%term%' with literal wildcards, ASCII case folding.
#include <doctest/doctest.h>

#include "store/contains_function.hpp"

using mirror::store::contains_ascii_ci;

TEST_CASE("contains: ASCII case-insensitive substring, wildcards literal, empty matches") {
  CHECK(contains_ascii_ci("io.github.User/Weather", "user/wea"));
  CHECK(contains_ascii_ci("io.github.user/weather", "WEATHER"));
  CHECK(contains_ascii_ci("anything", ""));
  CHECK_FALSE(contains_ascii_ci("io.github.user/weather", "%"));
  CHECK_FALSE(contains_ascii_ci("io.github.user/weather", "w_ather"));
  CHECK(contains_ascii_ci("a_b", "_"));
  CHECK_FALSE(contains_ascii_ci("short", "longer than it"));
  // Non-ASCII bytes compare exactly (no Unicode folding, as with a C ctype).
  CHECK(contains_ascii_ci("x\xc3\xa9y", "\xc3\xa9"));
  CHECK_FALSE(contains_ascii_ci("x\xc3\xa9y", "\xc3\x89"));
}
