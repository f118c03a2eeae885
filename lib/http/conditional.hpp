#pragma once
// HTTP caching helpers of the server (RFC 9110): the strong entity tag of a cacheable 200, the
// If-None-Match test, Accept-Encoding negotiation and gzip encoding (zlib).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mirror::http {

// Bodies below this size are always sent as they are: gzip would save little and cost a
// header, a CPU pass and a cache slot.
inline constexpr std::size_t gzip_min_bytes = 1024;

// `"g<generation>.<url>"`, `"g<generation>.<url>-gz"` for the gzip representation, where <url>
// is 16 hex digits of a hash (64-bit FNV-1a) of the request-target. A data response is a pure
// function of (request-target, generation), so the tag needs no hash of the body; the target is
// in it so that a tag one URL gave is never a match for another URL at the same generation
// (which a miss answers with 304 without running the handler). The same on every replica and
// across restarts: it depends on nothing but the target's bytes.
std::string entity_tag(std::uint64_t generation, std::string_view target, bool gzip);

// If-None-Match (RFC 9110 §13.1.2): true when `header` is `*` or lists a tag that matches `etag`
// under weak comparison (a `W/` prefix is ignored on either side).
bool none_match_fails(std::string_view header, std::string_view etag);

// Accept-Encoding (RFC 9110 §12.5.3): true when gzip (or x-gzip, or `*` without a gzip entry)
// has a non-zero q-value. `gzip;q=0` means no.
bool accepts_gzip(std::string_view header);

// One gzip member (RFC 1952) of `body`, zlib level 6.
std::string gzip(std::string_view body);

}  // namespace mirror::http
