#pragma once
// What the API needs from the rest of the daemon beyond the store: sync state and control, the
// metrics text, a clock. All callables are thread-safe (handlers run on reader threads).
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/sync_status.hpp"

namespace mirror::api {

// How a curation reload job ended (app::curation_reload::outcome).
struct reload_outcome {
  bool ok = false;
  std::string error;  // "file:line:column: key: message" when rejected (old rules kept)
  std::string body;   // the job's status document
  // The file was valid but re-curating failed in the database (disk full, locked): the job
  // ends "failed", not "rejected" (not the file's fault). The old rules stay in force here too.
  bool store_failed = false;
};

struct mirror_hooks {
  // One per source with sync on, in precedence order. Empty: no sync configured.
  std::function<std::vector<model::sync_status>()> sync_status;
  std::function<void()> trigger_sync;                  // every source; empty: no sync configured
  std::string admin_token;  // bearer token for POST .../sync; "" turns the endpoint off
  std::function<std::string()> metrics_text;           // Prometheus exposition; empty: no /metrics
  // Starts a curation reload job (app::curation_reload) and returns its id at once. Empty:
  // the reload endpoints are off.
  std::function<std::uint64_t()> start_reload;
  // The status document (JSON) of reload job `id`; nullopt when there is no such job.
  std::function<std::optional<std::string>(std::uint64_t id)> reload_status;
  // The explain document of a name (curation::render_explain); nullopt: no such name/version.
  std::function<std::optional<std::string>(std::string_view name, std::optional<std::string_view> version)> explain;
  // True until the first sync run succeeds (upstream.hold_404_until_synced): lookups of names
  // the mirror does not hold answer 503 then. Empty: never.
  std::function<bool()> first_sync_pending;
  std::function<std::int64_t()> now_us;
};

}  // namespace mirror::api
