#pragma once
// Offline snapshots (`mcp-mirror export` / `import SNAPSHOT`): a directory holding
//   servers.jsonl  one `{server, _meta}` per line, every version (deleted ones too) in
//                  (name, version) byte order, written exactly like a ServerResponse;
//   manifest.json  what the data file is and where it came from:
//     {"format":"mcp-mirror-snapshot/1","createdAt":RFC3339,"upstream":URL|null,
//      "watermark":RFC3339|null,"curated":bool,
//      "counts":{"active":N,"deprecated":N,"deleted":N,"total":N},
//      "data":{"file":"servers.jsonl","bytes":N,"sha256":"<64 lower-case hex>"}}
// The manifest is checked before anything is written: format, size, checksum and counts.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "model/status.hpp"

namespace mirror::snapshot {

inline constexpr std::string_view format_id = "mcp-mirror-snapshot/1";
inline constexpr std::string_view manifest_file = "manifest.json";
inline constexpr std::string_view data_file = "servers.jsonl";

struct status_counts {
  std::int64_t active = 0;
  std::int64_t deprecated = 0;
  std::int64_t deleted = 0;
  std::int64_t total = 0;
  void add(model::status s);
  friend bool operator==(const status_counts&, const status_counts&) = default;
};

struct manifest {
  std::string format = std::string(format_id);
  std::string created_at;                 // RFC 3339 (UTC)
  std::optional<std::string> upstream;    // the URL the watermark is for; null: never synced
  std::optional<std::int64_t> watermark_us;  // sync.watermark_us of the exporting mirror
  bool curated = false;                   // true: what the mirror serves, not the raw copy
  status_counts counts;
  std::string data_file = std::string(snapshot::data_file);
  std::uint64_t data_bytes = 0;
  std::string data_sha256;                // lower-case hex
  friend bool operator==(const manifest&, const manifest&) = default;
};

// The manifest as JSON (json::writer), newline-terminated.
std::string render_manifest(const manifest& m);

// Parses and checks the manifest's shape (every member present and well-typed, format known,
// data file a plain file name, sha256 64 hex digits). Returns the error text on failure.
std::variant<manifest, std::string> parse_manifest(std::string_view bytes);

}  // namespace mirror::snapshot
