#pragma once
// What the sync job reports, as plain values: one run (logged, kept for sync-status and the
// metrics) and the job's standing (served by /health, sync-status, /metrics). They live in model
// so the API renders them without knowing the sync module; sync fills them in.
#include <cstdint>
#include <optional>
#include <string>

namespace mirror::model {

struct sync_run {
  std::string source;            // the configured source's name
  bool ok = false;
  bool full = false;             // walked everything (first run or new upstream)
  bool replica = false;          // the upstream is an mcp-mirror, copied exactly (sync/replica.cpp)
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
  std::size_t removed_seed = 0;     // seed placeholders dropped, and (replica) versions the parent no longer serves
  std::size_t latest_refetched = 0;  // names whose versions were re-read for isLatest
  std::size_t requests = 0;
  std::size_t retries = 0;
  std::size_t throttled = 0;  // 429 answers
  std::size_t skipped = 0;    // bad entries in upstream pages (logged, not stored)
};

struct sync_status {
  bool enabled = false;
  std::string source;  // the configured source's name
  std::string upstream;
  std::int64_t staleness_limit_us = 0;  // /health says "stale" when the last success is older
  std::string parent_id;                // the parent mcp-mirror's instance id when replicating
  bool running = false;
  std::optional<std::int64_t> last_attempt_us;
  std::optional<std::int64_t> last_success_us;
  std::optional<std::int64_t> watermark_us;
  std::optional<std::int64_t> next_run_us;
  std::string last_error;
  std::optional<sync_run> last_run;
  std::uint64_t runs = 0;
  std::uint64_t failures = 0;
};

}  // namespace mirror::model
