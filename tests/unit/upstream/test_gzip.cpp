#include <doctest/doctest.h>

#include "run_async.hpp"
#include "upstream/errors.hpp"
#include "upstream/gzip.hpp"

using namespace mirror::upstream;

TEST_CASE("upstream gunzip round-trips, also concatenated members") {
  const std::string text = R"({"servers":[{"server":{"name":"a/b"}}]})";
  auto r = gunzip(test::gzip(text), 1 << 20);
  REQUIRE(r);
  CHECK(*r == text);

  r = gunzip(test::gzip("abc") + test::gzip("def"), 1 << 20);
  REQUIRE(r);
  CHECK(*r == "abcdef");

  r = gunzip(test::gzip(""), 0);
  REQUIRE(r);
  CHECK(r->empty());
}

TEST_CASE("upstream gunzip enforces the output cap exactly") {
  const std::string packed = test::gzip(std::string(200'000, 'q'));  // a few hundred bytes
  CHECK(gunzip(packed, 200'000).has_value());
  auto r = gunzip(packed, 199'999);
  REQUIRE_FALSE(r);
  CHECK(r.error() == errc::response_too_large);
}

TEST_CASE("upstream gunzip rejects corrupt, truncated and trailing data") {
  const std::string packed = test::gzip(std::string(5000, 'w') + "tail");
  std::string bad_crc = packed;
  bad_crc[bad_crc.size() - 5] ^= 0x01;  // inside the CRC-32 of the trailer
  for (const std::string& bad : {bad_crc, packed.substr(0, packed.size() - 1), packed.substr(0, 10),
                                 packed + "junk", std::string("{}"), std::string()}) {
    const auto r = gunzip(bad, 1 << 20);
    REQUIRE_FALSE(r);
    CHECK(r.error() == errc::bad_gzip);
  }
}
