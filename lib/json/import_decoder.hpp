#pragma once
// Decoding the files `mcp-mirror import` accepts and the upstream's ServerList pages into
// model::server_version values, with one forward simdjson On-Demand pass (docs/design-habits.md
// H10).
//
// Accepted shapes, detected from the bytes (never from the file name) after an optional UTF-8
// BOM and leading whitespace:
//   `[`  → 1./3. a JSON array; each item that is an object with a `server` object member is an
//          envelope `{server, _meta}`, any other object a bare server.json: the upstream seed
//          format, in the current camelCase shape or the old ones (2025-07-09 snake_case keys,
//          a top-level `status`, the official block embedded in `server._meta`;
//          docs/upstream-api.md: server.json shapes over time, Seed data);
//   `{`  → 2. a ServerList page `{"servers": [{server, _meta}, ...], "metadata": {...}}` when
//          the top-level object has a `servers` member; else one object filling the input
//          (pretty-printed or not) is a one-entry file; else it is 4.;
//   else → 4. JSON lines: one `{server, _meta}` (or bare server.json) object per line.
// Entry indexes are positions in the array / `servers`, or 0-based line numbers (blank lines
// counted) for JSON lines.
//
// Malformed file (decode_result.error, no batch) vs bad entry (decoded_batch.errors, skipped):
// a syntax error anywhere in an array or ServerList document — even in values the decoder
// ignores — rejects the file whole, as does a ServerList whose `servers` is not an array, whose
// `metadata` is not an object or whose `metadata.nextCursor` is not a string (or null). An
// item that is not an object, lacks a valid name/version/description, has a wrong-typed or
// invalid member (status, timestamps, ...) or a `server` larger than max_entry_bytes is a bad
// entry. A JSON line that is not a JSON object is a bad entry; a JSON-lines file with no
// object line at all is malformed.
//
// The stored `server` bytes are the input's bytes with insignificant whitespace removed (so an
// upstream page, which has none, is kept byte for byte); old shapes are rewritten to the current
// shape (snake_case keys renamed outside `_meta` subtrees, top-level `status` and the embedded
// official block removed, a `_meta` left empty dropped), keeping every scalar's bytes as
// written. Nothing is otherwise reordered or re-encoded. Official-block precedence and defaults:
// json/entry_builder.hpp.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/server_version.hpp"

namespace mirror::json {

struct decoded_entry {
  std::size_t index = 0;            // position in the file (0-based; line index for JSON lines)
  model::server_version version;
  bool has_official = false;        // false: the official block was made up (see decode_options)
};

struct entry_error {
  std::size_t index = 0;
  std::string reason;  // e.g. "server.name: missing", "_meta...status: unknown value \"gone\""
};

struct decoded_batch {
  std::vector<decoded_entry> entries;
  std::vector<entry_error> errors;  // bad entries, skipped
  std::optional<std::string> next_cursor;  // ServerList pages only: metadata.nextCursor
  std::size_t objects = 0;  // JSON lines only: lines that held a JSON object (good or bad entry)
};

struct decode_options {
  // Entries with no official block get status active and publishedAt = updatedAt =
  // statusChangedAt = now_us; is_latest false (the store decides it).
  std::int64_t now_us = 0;
  std::size_t max_entry_bytes = 1 << 20;  // a `server` object larger than this is a bad entry
  // Keep an envelope's `_meta` members other than the official block as the version's
  // relayed_meta (pages of a parent mcp-mirror that a replica copies exactly); at most
  // max_entry_bytes of them, else the entry is bad.
  bool keep_relayed_meta = false;
};

struct decode_result {
  std::optional<decoded_batch> batch;
  std::string error;  // set when the file as a whole is malformed (batch is then nullopt)
};

// Any of the four shapes above.
decode_result decode_import(std::string_view bytes, const decode_options& options);

// Streaming shape 4 (mcp-mirror import of a large file, import/stream_import.hpp):
// - starts_json_lines: whether a file whose first non-blank line is `line` (without its newline)
//   is JSON lines to decode_import, so that it may be decoded a part at a time: that line is a
//   JSON object on its own and not a ServerList (no `servers` member). Any other start (`[`, a
//   pretty-printed object's `{`, a one-line ServerList) needs the whole input.
// - decode_json_lines: whole lines of such a file, the first of them line `first_line` (0-based),
//   and its first byte at `first_byte` of the file, so that entry indexes and the byte positions
//   in messages are the file's. Never "malformed": a part without an object line is a batch
//   with objects == 0 (the caller decides at the end of the file).
bool starts_json_lines(std::string_view line);
decoded_batch decode_json_lines(std::string_view bytes, const decode_options& options, std::size_t first_line,
                                std::size_t first_byte);

// Only shape 2 (what the upstream and other mirrors answer to GET /v0.1/servers).
decode_result decode_server_list(std::string_view bytes, const decode_options& options);

// Per-entry checks shared with the sync path: name matches ^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$
// and is at most 200 bytes; version is 1–255 bytes, not "latest", no control characters;
// description is a string. Returns "" when valid, else the reason.
std::string validate_identity(std::string_view name, std::string_view version);

}  // namespace mirror::json
