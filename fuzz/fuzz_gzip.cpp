// gzip inflation of upstream bodies (upstream/gzip, zlib).
// Properties: output never exceeds the limit; the input, gzipped with zlib and inflated again,
// comes back byte for byte (also as two concatenated members, RFC 1952 §2.2).
#include <zlib.h>

#include "fuzz_check.hpp"
#include "upstream/gzip.hpp"

using namespace mirror;

namespace {

constexpr std::size_t max_bytes = 1 << 16;

std::string gzip(std::string_view in) {
  z_stream z{};
  // A 512-byte window and the smallest memLevel: a few KiB of state instead of 256 KiB a call.
  FUZZ_CHECK(deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 9 + 16, 1, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&z, in.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  FUZZ_CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = fuzz::as_text(data, size);
  if (auto r = upstream::gunzip(bytes, max_bytes)) FUZZ_CHECK(r->size() <= max_bytes);

  const auto [first, second] = fuzz::split_at_nul(bytes);
  const auto one = upstream::gunzip(gzip(first), max_bytes);
  FUZZ_CHECK(one && *one == first);
  const auto two = upstream::gunzip(gzip(first) + gzip(second), max_bytes);
  FUZZ_CHECK(two && *two == std::string(first) + std::string(second));
  return 0;
}
