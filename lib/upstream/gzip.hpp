#pragma once
// Inflating a gzip response body (Content-Encoding: gzip) with zlib.
#include <cstddef>
#include <string>
#include <string_view>

#include <boost/system/result.hpp>

namespace mirror::upstream {

// Inflates one gzip stream, or several concatenated members (RFC 1952 §2.2). Returns
// errc::bad_gzip when the data is not gzip, is corrupt (CRC or length mismatch), ends early,
// or has trailing bytes that are not another member; errc::response_too_large as soon as the
// output would exceed `max_bytes`, so a gzip bomb costs at most `max_bytes` of memory.
boost::system::result<std::string> gunzip(std::string_view compressed, std::size_t max_bytes);

}  // namespace mirror::upstream
