#include "snapshot/import.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "json/import_decoder.hpp"
#include "util/sha256.hpp"

namespace mirror::snapshot {

std::variant<verified, std::string> verify(std::string_view manifest_bytes, std::string_view data_bytes,
                                           std::int64_t now_us) {
  auto parsed = parse_manifest(manifest_bytes);
  if (auto* e = std::get_if<std::string>(&parsed)) return "manifest: " + *e;
  verified out;
  out.info = std::move(std::get<manifest>(parsed));
  const auto& m = out.info;
  if (data_bytes.size() != m.data_bytes)
    return fmt::format("{}: {} bytes, the manifest says {} (truncated or altered)", m.data_file,
                       data_bytes.size(), m.data_bytes);
  if (util::sha256_hex(data_bytes) != m.data_sha256)
    return fmt::format("{}: sha256 does not match the manifest (corrupted)", m.data_file);
  status_counts counts;
  if (!data_bytes.empty()) {
    if (data_bytes.back() != '\n') return m.data_file + ": does not end with a newline (truncated)";
    auto decoded = json::decode_import(data_bytes, {.now_us = now_us});
    if (!decoded.batch) return m.data_file + ": " + decoded.error;
    if (!decoded.batch->errors.empty()) {
      const auto& e = decoded.batch->errors.front();
      return fmt::format("{}: line {}: {}", m.data_file, e.index + 1, e.reason);
    }
    out.rows.reserve(decoded.batch->entries.size());
    for (auto& e : decoded.batch->entries) {
      if (!e.has_official)
        return fmt::format("{}: line {}: no official _meta block", m.data_file, e.index + 1);
      counts.add(e.version.official.status);
      out.rows.push_back({std::move(e.version), true});
    }
  }
  if (counts != m.counts)
    return fmt::format(
        "{}: holds {} versions ({} active, {} deprecated, {} deleted), the manifest says {} ({}, {}, {})",
        m.data_file, counts.total, counts.active, counts.deprecated, counts.deleted, m.counts.total,
        m.counts.active, m.counts.deprecated, m.counts.deleted);
  return out;
}

import_report apply(store::writer& db, verified snapshot, const import_options& options) {
  import_report report;
  report.info = snapshot.info;
  report.stored_before = db.count_non_seed_versions();
  const auto total = snapshot.info.counts.total;
  if (!options.force && options.min_share_percent > 0 &&
      total * 100 < report.stored_before * static_cast<std::int64_t>(options.min_share_percent)) {
    report.rejected = report.gated = true;
    report.error = fmt::format(
        "the snapshot holds {} versions, less than {}% of the {} this mirror holds (use --force to "
        "import anyway)",
        total, options.min_share_percent, report.stored_before);
    return report;
  }
  store::apply_options apply;
  const auto& m = snapshot.info;
  if (m.watermark_us && m.upstream) {
    // The exporting mirror's sync position: the next sync here asks that upstream for what
    // changed since then. Its seed placeholders were gone after its first full sync.
    apply.sync.watermark_us = m.watermark_us;
    apply.sync.upstream = m.upstream;
    apply.sync.last_success_us = m.watermark_us;
    apply.drop_seed_rows = true;
  }
  report.applied = db.apply(snapshot.rows, model::source::import, options.now_us, apply);
  return report;
}

import_report import_bytes(store::writer& db, std::string_view manifest_bytes,
                           std::string_view data_bytes, const import_options& options) {
  auto v = verify(manifest_bytes, data_bytes, options.now_us);
  if (auto* e = std::get_if<std::string>(&v)) {
    import_report report;
    report.rejected = true;
    report.error = *e;
    return report;
  }
  return apply(db, std::move(std::get<verified>(v)), options);
}

namespace {

std::optional<std::string> read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(bytes).str();
}

}  // namespace

bool is_snapshot(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return std::filesystem::is_regular_file(path / std::string(manifest_file), ec);
  return path.filename() == manifest_file;
}

import_report import_path(store::writer& db, const std::filesystem::path& path,
                          const import_options& options) {
  import_report report;
  report.rejected = true;
  const auto manifest_path =
      std::filesystem::is_directory(path) ? path / std::string(manifest_file) : path;
  const auto manifest_bytes = read_file(manifest_path);
  if (!manifest_bytes) {
    report.error = "cannot read " + manifest_path.string();
    return report;
  }
  auto parsed = parse_manifest(*manifest_bytes);
  if (auto* e = std::get_if<std::string>(&parsed)) {
    report.error = "manifest: " + *e;
    return report;
  }
  const auto data_path = manifest_path.parent_path() / std::get<manifest>(parsed).data_file;
  const auto data_bytes = read_file(data_path);
  if (!data_bytes) {
    report.error = "cannot read " + data_path.string();
    return report;
  }
  return import_bytes(db, *manifest_bytes, *data_bytes, options);
}

}  // namespace mirror::snapshot
