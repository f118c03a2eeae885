#pragma once
// What one sync run did; logged as the summary line, kept for sync-status and metrics.
#include <cstdint>
#include <string>

namespace mirror::sync {

struct run_report {
  bool ok = false;
  bool full = false;             // walked everything (first run or new upstream)
  std::string error;             // why the run failed; "" when ok
  std::int64_t started_us = 0;
  std::int64_t finished_us = 0;
  std::size_t pages = 0;
  std::size_t versions_seen = 0;
  std::size_t added = 0;
  std::size_t changed = 0;
  std::size_t status_changes = 0;
  std::size_t unchanged = 0;
  std::size_t latest_moved = 0;
  std::size_t removed_seed = 0;
  std::size_t latest_refetched = 0;  // names whose versions were re-read for isLatest
  std::size_t requests = 0;
  std::size_t retries = 0;
  std::size_t throttled = 0;  // 429 answers
  std::size_t skipped = 0;    // bad entries in upstream pages (logged, not stored)
};

std::string summary_line(const run_report& r);

}  // namespace mirror::sync
