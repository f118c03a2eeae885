#include "sync/scheduler.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

namespace mirror::sync {

namespace asio = boost::asio;

scheduler::scheduler(asio::any_io_executor executor, syncer& job, status_board& board,
                     schedule_options options, util::clock_fn now,
                     std::function<void(const run_report&)> on_run)
    : timer_(executor), job_(job), board_(board), opt_(options), now_(std::move(now)), on_run_(std::move(on_run)) {}

std::int64_t scheduler::next_after(std::int64_t last_success_us) {
  const auto interval = opt_.interval.count() * 1000;
  const auto spread = static_cast<std::int64_t>(static_cast<double>(interval) * opt_.jitter);
  std::uniform_int_distribution<std::int64_t> jitter(-spread, spread);
  return last_success_us + interval + (spread > 0 ? jitter(rng_) : 0);
}

asio::awaitable<void> scheduler::run() {
  const auto last = board_.get().last_success_us;
  // Stale (or never synced): run now; else wait for the rest of the interval.
  std::int64_t next = last && now_() - *last < opt_.interval.count() * 1000 ? next_after(*last) : now_();
  while (!stopped_) {
    board_.update([&](status_snapshot& s) { s.next_run_us = next; });
    const auto wait = std::chrono::microseconds(std::max<std::int64_t>(0, next - now_()));
    if (!triggered_ && wait.count() > 0) {
      timer_.expires_after(wait);
      co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));  // cancelled by trigger/stop
    }
    if (stopped_) break;
    if (!triggered_ && now_() < next) continue;  // woken early without a trigger
    triggered_ = false;
    board_.update([&](status_snapshot& s) {
      s.running = true;
      s.next_run_us.reset();
      s.last_attempt_us = now_();
    });
    const auto report = co_await job_.run_once();
    spdlog::log(report.ok ? spdlog::level::info : spdlog::level::err, "{}", summary_line(report));
    board_.update([&](status_snapshot& s) {
      s.running = false;
      s.last_run = report;
      ++s.runs;
      if (report.ok) {
        s.last_success_us = report.finished_us;
        s.watermark_us = report.started_us;
        s.last_error.clear();
      } else {
        ++s.failures;
        s.last_error = report.error;
      }
    });
    if (on_run_) on_run_(report);
    // After a failure, try again after a tenth of the interval rather than a whole one.
    next = report.ok ? next_after(now_())
                     : now_() + std::max<std::int64_t>(opt_.interval.count() * 100, 1'000'000);
  }
}

void scheduler::trigger() {
  triggered_ = true;
  timer_.cancel();
}

void scheduler::stop() {
  stopped_ = true;
  job_.request_stop();
  timer_.cancel();
}

}  // namespace mirror::sync
