// The scheduler (lib/sync/scheduler): when it runs the syncer and what it leaves on the status
// board. Its interval wait is a real steady_timer (not injectable), so these tests drive only
// the paths that never wait on it: a stale mirror runs at once, trigger() and stop() cancel the
// wait, a trigger during a run is remembered. The interval elapsing by itself is not tested.
// io_context::run_for below is a bound that turns a hang into a failure, not a sleep: every
// test finishes as soon as run() returns.
#include <doctest/doctest.h>

#include <boost/asio/post.hpp>

#include "support/rows.hpp"
#include "sync/scheduler.hpp"
#include "sync/status_board.hpp"
#include "sync_fixture.hpp"

using namespace mirror;
using namespace mirror::test;

namespace {

constexpr std::int64_t hour_us = 3'600'000'000LL;

struct scheduled {
  sync_fixture f;
  sync::status_board board;
  std::vector<sync::run_report> runs;
  std::function<void(const sync::run_report&)> after_run;  // called after each run is recorded
  std::unique_ptr<sync::scheduler> s;

  scheduled() { publish_names(f.registry, 1, f.start_us - 1000); }

  // Builds the scheduler (interval 1 h, ±10 %), runs it until run() returns; false on a hang.
  bool run() {
    s = std::make_unique<sync::scheduler>(
        f.ioc.get_executor(), f.make_syncer(), board,
        sync::schedule_options{.interval = std::chrono::milliseconds(hour_us / 1000), .jitter = 0.1},
        [this] { return f.clock_us; },
        [this](const sync::run_report& r) {
          runs.push_back(r);
          if (after_run) after_run(r);
        });
    bool done = false;
    std::exception_ptr error;
    boost::asio::co_spawn(f.ioc, s->run(), [&](std::exception_ptr e) {
      done = true;
      error = e;
    });
    f.ioc.restart();
    f.ioc.run_for(std::chrono::seconds(20));
    if (!done) {  // end the coroutine before the scheduler it refers to goes away
      s->stop();
      f.ioc.restart();
      f.ioc.run_for(std::chrono::seconds(5));
    }
    if (error) std::rethrow_exception(error);
    CHECK(f.client.concurrent == 0);
    return done;
  }
  // Runs fn once the scheduler waits on its timer: next_run_us is set just before that wait and
  // cleared while a run is on, and a posted handler only runs while the coroutine is suspended.
  // Re-posts itself until then (a bounded number of times, never sleeping).
  void when_waiting(std::function<void()> fn, int hops = 10'000) {
    boost::asio::post(f.ioc, [this, fn = std::move(fn), hops]() mutable {
      if (board.get().next_run_us || hops == 0) return fn();
      when_waiting(std::move(fn), hops - 1);
    });
  }
};

}  // namespace

TEST_CASE("scheduler: a mirror never synced runs at once and the board shows the run") {
  scheduled t;
  t.after_run = [&](const sync::run_report&) { t.s->stop(); };
  REQUIRE(t.run());
  REQUIRE(t.runs.size() == 1);
  CHECK(t.runs[0].ok);
  const auto b = t.board.get();
  CHECK(b.runs == 1);
  CHECK(b.failures == 0);
  CHECK_FALSE(b.running);
  CHECK(b.last_attempt_us == t.f.start_us);
  CHECK(b.last_success_us == t.runs[0].finished_us);
  CHECK(b.watermark_us == t.runs[0].started_us);
  CHECK(b.last_error == "");
  REQUIRE(b.last_run.has_value());
  CHECK(b.last_run->requests == t.runs[0].requests);
  CHECK(t.f.state().watermark_us == t.f.start_us);
}

TEST_CASE("scheduler: after a recent success it waits for the interval and trigger runs at once") {
  scheduled t;
  const auto last = t.f.clock_us - 10 * 60'000'000LL;  // ten minutes ago
  t.board.update([&](sync::status_snapshot& s) { s.last_success_us = last; });
  std::optional<std::int64_t> planned;
  t.when_waiting([&] {
    planned = t.board.get().next_run_us;
    t.s->trigger();
  });
  t.after_run = [&](const sync::run_report&) { t.s->stop(); };
  REQUIRE(t.run());
  REQUIRE(planned.has_value());
  CHECK(*planned >= last + hour_us - hour_us / 10);
  CHECK(*planned <= last + hour_us + hour_us / 10);
  CHECK(t.runs.size() == 1);  // without the trigger nothing would run for ~50 minutes
}

TEST_CASE("scheduler: stop while waiting ends run() without a run") {
  scheduled t;
  const auto last = t.f.clock_us - 1;
  t.board.update([&](sync::status_snapshot& s) { s.last_success_us = last; });
  std::optional<std::int64_t> planned;
  t.when_waiting([&] {
    planned = t.board.get().next_run_us;
    t.s->stop();
  });
  REQUIRE(t.run());
  REQUIRE(planned.has_value());  // it was waiting for the next run when stopped
  CHECK(*planned >= last + hour_us - hour_us / 10);
  CHECK(t.runs.empty());
  CHECK(t.board.get().runs == 0);
  CHECK(t.f.client.targets.empty());
}

TEST_CASE("scheduler: a failed run is recorded and retried after a tenth of the interval") {
  scheduled t;
  t.f.client.script(answer::status(404));
  std::optional<std::int64_t> planned;
  std::int64_t failed_at = 0;
  t.after_run = [&](const sync::run_report&) {
    failed_at = t.f.clock_us;
    t.when_waiting([&] {
      planned = t.board.get().next_run_us;
      t.s->stop();
    });
  };
  REQUIRE(t.run());
  REQUIRE(t.runs.size() == 1);
  CHECK_FALSE(t.runs[0].ok);
  const auto b = t.board.get();
  CHECK(b.failures == 1);
  CHECK(b.runs == 1);
  CHECK(b.last_error == t.runs[0].error);
  CHECK_FALSE(b.last_success_us.has_value());
  REQUIRE(planned.has_value());
  CHECK(*planned == failed_at + hour_us / 10);  // no jitter on the failure path
}

TEST_CASE("scheduler: a trigger during a run is remembered and runs next") {
  scheduled t;
  bool triggered = false;
  t.f.client.on_get([&](const std::string&) {
    if (!triggered) t.s->trigger();
    triggered = true;
  });
  t.after_run = [&](const sync::run_report&) {
    if (t.runs.size() == 2) t.s->stop();
  };
  REQUIRE(t.run());
  REQUIRE(t.runs.size() == 2);  // the second would otherwise wait ~1 h
  CHECK(t.runs[0].ok);
  CHECK(t.runs[0].full);
  CHECK(t.runs[1].ok);
  CHECK_FALSE(t.runs[1].full);
  CHECK(t.board.get().runs == 2);
}
