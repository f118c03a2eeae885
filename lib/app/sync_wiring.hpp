#pragma once
// Everything the sync job needs, built from the config and owned together: per configured source
// (config `sources:`, or `upstream:` as one source) an upstream client, a syncer, a scheduler and
// a status board; pages go to the writer shell it is given. Sources run independently: each has
// its own schedule, watermark, status and failures, so a failing source never blocks the others
// or touches their rows. Used by `serve` (scheduled runs) and `sync --once` (one run each).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "api/mirror_hooks.hpp"
#include "config/config.hpp"
#include "runtime/writer_shell.hpp"
#include "sync/scheduler.hpp"
#include "sync/status_board.hpp"
#include "sync/syncer.hpp"
#include "upstream/client.hpp"

namespace mirror::app {

class sync_wiring {
 public:
  // Reads each source's sync state into its status board; pages are applied through `writer`,
  // decoded on `decoder` (a thread joined before the io_context drops abandoned frames). Only
  // sources with sync on take part; `only` (non-empty) keeps just that source. Throws.
  sync_wiring(boost::asio::any_io_executor io, boost::asio::any_io_executor decoder,
              const config::mirror_config& cfg, runtime::writer_shell& writer, util::clock_fn now,
              std::function<void(const sync::run_report&)> on_run = {}, const std::string& only = {});
  ~sync_wiring();

  void start();  // spawns every source's scheduler on the io executor
  void stop();   // io thread
  // One run of every source, in order (`sync --once`).
  boost::asio::awaitable<std::vector<sync::run_report>> run_once();
  bool empty() const { return units_.empty(); }

  // API hooks: sync-status, POST .../sync (the app adds the admin token), staleness, readiness.
  api::mirror_hooks hooks(boost::asio::any_io_executor io);

 private:
  struct unit;
  boost::asio::any_io_executor io_;
  std::vector<std::unique_ptr<unit>> units_;
  util::clock_fn now_;
};

// Production environment: the given clock, and waiting on a steady_timer.
sync::environment real_environment(boost::asio::any_io_executor io, util::clock_fn now);

}  // namespace mirror::app
