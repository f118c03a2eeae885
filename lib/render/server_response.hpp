#pragma once
// ServerResponse / ServerList bodies, shared by the API and `export` (a snapshot line is a
// ServerResponse) (docs/upstream-api.md: Responses): the stored `server` bytes
// embedded as they are, the official block rebuilt from columns in the upstream's key order
// (status, statusChangedAt, statusMessage?, publishedAt, updatedAt, isLatest), and the mirror's own
// data under a separate key of the response `_meta`, never inside the official block
// (docs/upstream-api.md: Responses).
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "json/writer.hpp"
#include "store/row.hpp"

namespace mirror::render {

inline constexpr std::string_view official_meta_key = "io.modelcontextprotocol.registry/official";

struct render_options {
  std::string mirror_meta_key;    // e.g. "io.github.mcp-mirror/mirror"; "" leaves it out
  std::string curation_meta_key;  // e.g. "io.github.mcp-mirror/curation"; "" leaves it out
};

void write_server_response(json::writer& w, const store::row& r, const render_options& options);

// Whole bodies, newline-terminated like Go's json.Encoder output.
std::string render_server_response(const store::row& r, const render_options& options);
std::string render_server_list(std::span<const store::row> rows,
                               const std::optional<std::string>& next_cursor,
                               const render_options& options);

}  // namespace mirror::render
