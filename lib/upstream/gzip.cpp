#include "upstream/gzip.hpp"

#include <algorithm>
#include <memory>
#include <new>

#include <zlib.h>

#include "upstream/errors.hpp"

namespace mirror::upstream {

namespace {

struct inflate_end {
  void operator()(z_stream* z) const {
    inflateEnd(z);
    delete z;
  }
};

constexpr std::size_t chunk = 64 * 1024;

}  // namespace

boost::system::result<std::string> gunzip(std::string_view compressed, std::size_t max_bytes) {
  auto* raw = new z_stream{};
  // 16 + MAX_WBITS: expect a gzip header and trailer, not a raw zlib stream.
  if (inflateInit2(raw, 16 + MAX_WBITS) != Z_OK) {
    delete raw;
    throw std::bad_alloc();  // the only way inflateInit2 fails with valid arguments
  }
  std::unique_ptr<z_stream, inflate_end> z(raw);
  z->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  z->avail_in = static_cast<uInt>(compressed.size());  // bodies are capped far below 4 GiB

  std::string out;
  for (;;) {
    const std::size_t used = out.size();
    // Room for one more byte than allowed, so an over-long result is detected, not clipped.
    const std::size_t room = std::min(chunk, max_bytes + 1 - used);
    out.resize(used + room);
    z->next_out = reinterpret_cast<Bytef*>(out.data() + used);
    z->avail_out = static_cast<uInt>(room);
    const int rc = inflate(z.get(), Z_NO_FLUSH);
    out.resize(used + (room - z->avail_out));
    if (out.size() > max_bytes) return errc::response_too_large;
    if (rc == Z_STREAM_END) {
      if (z->avail_in == 0) return out;
      // Another member follows (or trailing garbage, which the next inflate rejects).
      if (inflateReset(z.get()) != Z_OK) return errc::bad_gzip;
      continue;
    }
    if (rc == Z_OK) continue;
    // Z_BUF_ERROR with input left means no progress was possible; with no input left the
    // stream ended before its trailer. Z_DATA_ERROR: corrupt data or a bad check value.
    if (rc == Z_BUF_ERROR && z->avail_in > 0 && z->avail_out == 0) continue;
    return errc::bad_gzip;
  }
}

}  // namespace mirror::upstream
