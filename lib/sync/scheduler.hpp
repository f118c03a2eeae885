#pragma once
// Runs the sync job: at start when the last success is older than the interval, then every
// interval (± jitter so a fleet of mirrors does not hit the upstream in the same second), and
// at once on trigger(). One run at a time; a trigger during a run is remembered and runs next.
#include <chrono>
#include <cstdint>
#include <functional>
#include <random>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "sync/status_board.hpp"
#include "sync/syncer.hpp"

namespace mirror::sync {

struct schedule_options {
  std::chrono::milliseconds interval{3'600'000};
  double jitter = 0.1;  // ± share of the interval
};

class scheduler {
 public:
  // `on_run` observes each finished run (metrics, logs); io thread.
  scheduler(boost::asio::any_io_executor executor, syncer& job, status_board& board,
            schedule_options options, util::clock_fn now,
            std::function<void(const run_report&)> on_run = {});

  // Loops until stop(). Reads the last success from `board` (fill it from the store first).
  boost::asio::awaitable<void> run();
  void trigger();  // io thread
  void stop();     // io thread

 private:
  std::int64_t next_after(std::int64_t last_success_us);
  boost::asio::steady_timer timer_;
  syncer& job_;
  status_board& board_;
  schedule_options opt_;
  util::clock_fn now_;
  std::function<void(const run_report&)> on_run_;
  std::mt19937_64 rng_{std::random_device{}()};
  bool triggered_ = false;
  bool stopped_ = false;
};

}  // namespace mirror::sync
