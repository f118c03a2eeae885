#pragma once
// `mcp-mirror import SNAPSHOT`: checks a snapshot (manifest.hpp) completely before writing
// anything — format, data size, sha256, every line decodes with its official block, counts per
// status match — then applies every version in ONE writer transaction together with the
// manifest's watermark and upstream (mirror_state sync.*), so the next sync continues
// incrementally from where the exporting mirror stood. A corrupted or truncated snapshot is
// rejected and nothing changes.
//
// Quality gate: a snapshot holding fewer than `min_share_percent` % of the versions the mirror
// already holds (bundled seed placeholders not counted) is refused unless forced; it is more
// likely a broken export than a real shrink (the registry never removes versions).
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "snapshot/manifest.hpp"
#include "store/writer.hpp"

namespace mirror::snapshot {

struct import_options {
  unsigned min_share_percent = 90;  // 0 disables the gate
  bool force = false;               // skip the gate (never the integrity checks)
  std::int64_t now_us = 0;
};

struct import_report {
  bool rejected = false;
  std::string error;          // why, when rejected (nothing was changed)
  bool gated = false;         // rejected by the quality gate (not an integrity problem)
  manifest info;              // the manifest, once parsed
  std::int64_t stored_before = 0;  // versions the mirror held (seed rows not counted)
  store::apply_result applied;
};

// A verified snapshot, ready to apply.
struct verified {
  manifest info;
  std::vector<store::incoming> rows;
};

// Integrity checks only (no database): manifest shape, size, sha256, lines, counts.
std::variant<verified, std::string> verify(std::string_view manifest_bytes, std::string_view data_bytes,
                                           std::int64_t now_us);

// Quality gate, then one transaction.
import_report apply(store::writer& db, verified snapshot, const import_options& options);

// verify + apply.
import_report import_bytes(store::writer& db, std::string_view manifest_bytes,
                           std::string_view data_bytes, const import_options& options);

// `path` names a snapshot when it is a directory holding manifest.json, or a file named
// manifest.json; otherwise it is a plain import file (import/importer.hpp).
bool is_snapshot(const std::filesystem::path& path);

// Reads the snapshot at `path` (directory or its manifest.json) and imports it. Unreadable
// files are a rejection too.
import_report import_path(store::writer& db, const std::filesystem::path& path,
                          const import_options& options);

}  // namespace mirror::snapshot
