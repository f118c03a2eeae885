#include "sync/run_report.hpp"

#include <fmt/format.h>

namespace mirror::sync {

std::string summary_line(const run_report& r) {
  const double seconds = static_cast<double>(r.finished_us - r.started_us) / 1e6;
  return fmt::format(
      "sync {} ({}{}){}: {} added, {} changed, {} status changes, {} unchanged, {} latest moved, "
      "{} {}, {} skipped | {} pages, {} requests, {} retries, {} throttled | {:.2f}s{}{}",
      r.ok ? "ok" : "FAILED", r.full ? "full" : "incremental", r.replica ? " replica" : "",
      r.source.empty() || r.source == "upstream" ? std::string() : " from " + r.source, r.added, r.changed, r.status_changes,
      r.unchanged, r.latest_moved, r.removed_seed, r.replica ? "removed" : "seed rows removed", r.skipped, r.pages, r.requests, r.retries,
      r.throttled, seconds, r.ok ? "" : " | error: ", r.error);
}

}  // namespace mirror::sync
