#include "app/data_commands.hpp"

#include <filesystem>
#include <fstream>
#include <ostream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "curation/rules_curator.hpp"
#include "app/sync_once.hpp"
#include "import/stream_import.hpp"
#include "model/timestamp.hpp"
#include "snapshot/export.hpp"
#include "snapshot/import.hpp"
#include "store/error.hpp"

namespace mirror::app {
namespace {

// An import that changed nothing (rejected whole, or its one transaction rolled back on a
// store::error such as a full disk or a held lock): one line on stderr, exit 1.
int import_failed(std::ostream& err, std::string_view what, std::string_view verdict, std::string_view why) {
  err << fmt::format("mcp-mirror: import: {} {}, nothing changed: {}\n", what, verdict, why);
  return 1;
}

// A snapshot directory (or its manifest.json): verified whole, then one transaction.
int import_snapshot(const config::mirror_config& cfg, const std::string& path, bool force, std::ostream& out,
                    std::ostream& err, std::int64_t now_us) {
  auto writer = open_writer(cfg, now_us);
  snapshot::import_report report;
  try {
    report = snapshot::import_path(
        writer, path, {.min_share_percent = cfg.snapshot.min_share_percent, .force = force, .now_us = now_us});
  } catch (const store::error& e) {
    return import_failed(err, "snapshot " + path, "not imported", e.what());
  }
  if (report.rejected) return import_failed(err, "snapshot " + path, "rejected", report.error);
  const auto& a = report.applied;
  out << fmt::format("imported snapshot {}: {} versions, {} added, {} changed, {} unchanged, watermark {}\n", path,
                     report.info.counts.total, a.added, a.changed, a.unchanged,
                     report.info.watermark_us ? model::format_rfc3339(*report.info.watermark_us) : "none");
  return 0;
}

}  // namespace

int serve_command(const config::mirror_config& cfg, const build_info& info, std::ostream& out) {
  mirror_app mirror(cfg, info);
  const auto summary = mirror.open();
  const auto endpoint = mirror.listen();
  const auto url = fmt::format("http://{}:{}", endpoint.address().to_string(), endpoint.port());
  spdlog::info("mcp-mirror {} serving {} | {} versions of {} servers | data dir {}{}", info.version, url,
               summary.versions, summary.names, cfg.data_dir.string(),
               summary.seeded         ? " | first start: loaded the bundled seed"
               : summary.bootstrapped ? " | first start: imported the bootstrap snapshot"
                                      : "");
  // One machine-readable line for scripts and tests that await readiness, once signals are
  // handled (a SIGHUP right after it reloads instead of killing the daemon).
  mirror.run(true, [&out, &url] { out << "ready " << url << std::endl; });
  spdlog::info("stopped cleanly");
  return 0;
}

int import_command(const config::mirror_config& cfg, const std::string& path, bool force, std::ostream& out,
                   std::ostream& err, std::int64_t now_us) {
  if (snapshot::is_snapshot(path)) return import_snapshot(cfg, path, force, out, err, now_us);
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    // What an export killed before its last step leaves: the manifest is written last.
    err << "mcp-mirror: import: " << path
        << " is a directory without manifest.json (not a snapshot, or an incomplete export), nothing changed\n";
    return 1;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err << "mcp-mirror: import: cannot read " << path << "\n";
    return 1;
  }
  auto writer = open_writer(cfg, now_us);
  import::stream_report report;
  try {
    report = import::import_stream(writer, in, model::source::import, now_us);
  } catch (const std::exception& e) {  // store::error, or the file could not be read to its end
    return import_failed(err, path, "not imported", e.what());
  }
  if (report.rejected) return import_failed(err, path, "rejected", report.error);
  for (const auto& e : report.skipped)
    err << "mcp-mirror: import: " << path << ": entry " << e.index << " skipped: " << e.reason << "\n";
  const auto& a = report.applied;
  out << fmt::format(
      "imported {}: {} entries, {} added, {} changed, {} unchanged, {} skipped, latest moved for {} names\n", path,
      report.decoded, a.added, a.changed, a.unchanged, report.skipped.size(), a.latest_moved);
  return 0;
}

int export_command(const config::mirror_config& cfg, const std::string& out_dir, bool curated, std::ostream& out,
                   std::int64_t now_us) {
  snapshot::export_options o;
  o.source = config::sources(cfg).front().name;
  o.curated = curated;
  if (!cfg.meta_namespace.empty()) {
    o.mirror_meta_key = cfg.meta_namespace + "/mirror";
    o.curation_meta_key = cfg.meta_namespace + "/curation";
  }
  o.now_us = now_us;
  const auto m = snapshot::export_snapshot(database_path(cfg.data_dir), out_dir, o);
  out << fmt::format("exported {} versions ({} active, {} deprecated, {} deleted) to {}, sha256 {}\n",
                     m.counts.total, m.counts.active, m.counts.deprecated, m.counts.deleted, out_dir, m.data_sha256);
  return 0;
}

int sync_once_command(const config::mirror_config& cfg, const std::string& only, std::ostream& out) {
  const auto reports = sync_sources_once(cfg, util::system_now_us, only);
  bool ok = !reports.empty();
  for (const auto& r : reports) {
    out << sync::summary_line(r) << "\n";
    ok = ok && r.ok;
  }
  if (reports.empty()) out << "no source has sync on\n";
  return ok ? 0 : 1;
}

}  // namespace mirror::app
