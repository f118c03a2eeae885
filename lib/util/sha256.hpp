#pragma once
// SHA-256 of a byte string as 64 lower-case hex digits: snapshot data checksums and the
// curation rule-set hash (unchanged rules → no view rebuild).
#include <string>
#include <string_view>

namespace mirror::util {

// Throws std::runtime_error only when OpenSSL itself fails (out of memory).
std::string sha256_hex(std::string_view bytes);

}  // namespace mirror::util
