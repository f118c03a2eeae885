#pragma once
// What the sync job is doing, shared between the io thread (which updates it) and the reader
// threads answering /sync-status, /health and /metrics (which read snapshots). A mutex is fine:
// it is touched a few times per run and per status request.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "sync/run_report.hpp"

namespace mirror::sync {

using status_snapshot = model::sync_status;

class status_board {
 public:
  status_snapshot get() const {
    std::lock_guard lock(mutex_);
    return snapshot_;
  }
  template <class F>
  void update(F&& change) {
    std::lock_guard lock(mutex_);
    change(snapshot_);
  }

 private:
  mutable std::mutex mutex_;
  status_snapshot snapshot_;
};

}  // namespace mirror::sync
