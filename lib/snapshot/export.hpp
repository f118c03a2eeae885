#pragma once
// `mcp-mirror export`: writes a snapshot directory (manifest.hpp) from a mirror's database.
// Everything is read inside one read transaction, so the rows, counts and watermark belong to
// the same commit even while `serve` keeps syncing.
//
// Raw (default): each line is the mirrored copy — the stored `server` bytes and the upstream's
// official block, nothing of this mirror's own, no curation rule applied — so `import` of the
// snapshot followed by `export` gives the same bytes. Curated: exactly what the API serves (the
// served view: exclusions, overrides, local servers), with this mirror's
// `_meta["<namespace>/mirror"]` and `_meta["<namespace>/curation"]` blocks.
#include <cstdint>
#include <filesystem>
#include <string>

#include "snapshot/manifest.hpp"

namespace mirror::snapshot {

struct export_options {
  bool curated = false;
  std::string mirror_meta_key;    // curated only: e.g. "io.github.mcp-mirror/mirror"
  std::string curation_meta_key;  // curated only: e.g. "io.github.mcp-mirror/curation"
  std::int64_t now_us = 0;      // createdAt
  // The source whose mirrored rows (not curated) and sync position are exported: the first
  // configured one (imports go there too).
  std::string source = "upstream";
};

// Writes <out_dir>/servers.jsonl then <out_dir>/manifest.json (each to a temporary name, then
// renamed, manifest last: a directory with a manifest is complete). Creates out_dir. Throws
// store::error / std::runtime_error.
manifest export_snapshot(const std::filesystem::path& database, const std::filesystem::path& out_dir,
                         const export_options& options);

}  // namespace mirror::snapshot
