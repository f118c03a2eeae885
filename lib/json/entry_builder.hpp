#pragma once
// From what the walk captured (server_rewrite.hpp) to a decoded_entry or the reason it is bad.
// Where the official block comes from, in order:
//   1. the envelope's `_meta["io.modelcontextprotocol.registry/official"]` (has_official);
//   2. the old embedded `server._meta[...official]` plus the old top-level `server.status`
//      (has_official);
//   3. made up from decode_options::now_us, status = the old `server.status` if present, else
//      active (has_official = false).
// Reasons name the JSON path relative to the entry; the server object is called `server`
// whatever the shape (for a bare server.json element it is the element itself).
#include <cstddef>
#include <variant>

#include "json/import_decoder.hpp"
#include "json/server_rewrite.hpp"

namespace mirror::json::detail {

// `require_envelope`: ServerList items must be `{server, _meta}`; array items and JSON lines
// may also be bare server.json objects.
std::variant<decoded_entry, entry_error> build_entry(std::size_t index, element_capture&& element,
                                                     bool require_envelope,
                                                     const decode_options& options);

}  // namespace mirror::json::detail
