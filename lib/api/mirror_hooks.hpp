#pragma once
// What the API needs from the rest of the daemon beyond the store: sync state and control, the
// metrics text, a clock. All callables are thread-safe (handlers run on reader threads).
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "sync/status_board.hpp"

namespace mirror::api {

struct mirror_hooks {
  std::function<sync::status_snapshot()> sync_status;  // empty: no sync configured
  std::function<void()> trigger_sync;                  // empty: no sync configured
  std::string admin_token;  // bearer token for POST .../sync; "" turns the endpoint off
  std::function<std::string()> metrics_text;           // Prometheus exposition; empty: no /metrics
  std::chrono::milliseconds staleness_limit{3 * 3'600'000};
  std::function<std::int64_t()> now_us;
};

}  // namespace mirror::api
