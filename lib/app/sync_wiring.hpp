#pragma once
// Everything the sync job needs, built from the config and owned together: the upstream client,
// the syncer, the scheduler and the status board; pages go to the writer shell it is given.
// Used by `serve` (scheduled runs) and `sync --once` (one run).
#include <cstdint>
#include <functional>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

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
  // Reads the sync state into the status board; pages are applied through `writer`, decoded on
  // `decoder` (a thread joined before the io_context drops abandoned frames). Throws.
  sync_wiring(boost::asio::any_io_executor io, boost::asio::any_io_executor decoder,
              const config::mirror_config& cfg, runtime::writer_shell& writer, util::clock_fn now,
              std::function<void(const sync::run_report&)> on_run = {});

  void start();  // spawns the scheduler on the io executor
  void stop();   // io thread
  boost::asio::awaitable<sync::run_report> run_once() { return syncer_->run_once(); }

  // API hooks: sync-status, POST .../sync (the app adds the admin token), staleness.
  api::mirror_hooks hooks(boost::asio::any_io_executor io);

  sync::status_board& board() { return board_; }

 private:
  boost::asio::any_io_executor io_;
  std::unique_ptr<upstream::client> client_;
  std::unique_ptr<sync::syncer> syncer_;
  std::unique_ptr<sync::scheduler> scheduler_;
  sync::status_board board_;
  std::chrono::milliseconds staleness_limit_;
  bool hold_404_until_synced_ = true;
  util::clock_fn now_;
};

// Production environment: the given clock, and waiting on a steady_timer.
sync::environment real_environment(boost::asio::any_io_executor io, util::clock_fn now);

}  // namespace mirror::app
