#pragma once
// One mirrored (name, version): the upstream `server` object as bytes plus the official
// `_meta` block. Timestamps keep the upstream's text (served back byte for byte) and a
// microsecond value for comparisons (Postgres keeps microseconds, docs/upstream-api.md: Responses).
#include <cstdint>
#include <optional>
#include <string>

#include "model/status.hpp"

namespace mirror::model {

struct timestamp {
  std::string text;     // RFC 3339 as received or as we formatted it
  std::int64_t us = 0;  // microseconds since the Unix epoch, UTC (floor)
  friend bool operator==(const timestamp&, const timestamp&) = default;
};

// The official block `_meta["io.modelcontextprotocol.registry/official"]`.
struct official_meta {
  model::status status = status::active;
  timestamp status_changed_at;
  std::optional<std::string> status_message;
  timestamp published_at;
  timestamp updated_at;
  bool is_latest = false;
  friend bool operator==(const official_meta&, const official_meta&) = default;
};

// Where a stored row came from; kept as local bookkeeping, never inside the official block.
// `local`: a server.json of the curation file's local servers (served rows only).
enum class source { upstream, import, seed, local };
std::string_view to_string(source s);

struct server_version {
  std::string name;
  std::string version;
  std::string server_json;  // the `server` object, insignificant whitespace removed
  official_meta official;
  // A parent mcp-mirror's own `_meta` members (everything but the official block), as minified
  // JSON members text, for rows replicated from its served view (0007_replicas.sql); served
  // back verbatim so the replica's bytes are its parent's. nullopt for every other row.
  std::optional<std::string> relayed_meta{};
  friend bool operator==(const server_version&, const server_version&) = default;
};

}  // namespace mirror::model
