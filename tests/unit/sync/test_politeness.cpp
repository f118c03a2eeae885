// Politeness (lib/sync/politeness): the rate limiter's spacing and the jittered, capped
// backoff, both as pure arithmetic and as the waits the syncer actually asks for, so a change
// that makes the mirror hammer the upstream fails here without a socket or a sleep.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "sync/politeness.hpp"
#include "sync_fixture.hpp"

using namespace mirror;
using namespace mirror::test;
using std::chrono::microseconds;
using std::chrono::milliseconds;

TEST_CASE("rate_limiter: spaces requests 1/rate apart and counts time already passed") {
  sync::rate_limiter limiter(4.0);  // 250 ms apart
  const std::int64_t t = 1'000'000'000;
  CHECK(limiter.delay_before(t) == microseconds(0));  // nothing sent yet
  limiter.record(t);
  CHECK(limiter.delay_before(t) == microseconds(250'000));
  CHECK(limiter.delay_before(t + 100'000) == microseconds(150'000));
  CHECK(limiter.delay_before(t + 250'000) == microseconds(0));
  CHECK(limiter.delay_before(t + 5'000'000) == microseconds(0));
  CHECK(sync::rate_limiter(3.0).delay_before(t) == microseconds(0));

  sync::rate_limiter three(3.0);
  three.record(t);
  CHECK(three.delay_before(t) == microseconds(333'333));
  sync::rate_limiter off(0.0);  // no limit configured
  off.record(t);
  CHECK(off.delay_before(t) == microseconds(0));
}

TEST_CASE("backoff: attempt n waits between d/2 and d with d = min(cap, initial x 2^n)") {
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    sync::backoff b(milliseconds(1000), milliseconds(8000), seed);
    for (int attempt = 0; attempt < 40; ++attempt) {
      const auto d = std::min<std::int64_t>(8000, attempt < 4 ? 1000LL << attempt : 8000);
      const auto w = b.next(attempt).count();
      CAPTURE(seed);
      CAPTURE(attempt);
      CHECK(w >= d - d / 2);
      CHECK(w <= d);
    }
  }
  sync::backoff huge(milliseconds(1000), milliseconds(60'000), 7);
  CHECK(huge.next(1'000'000).count() <= 60'000);  // the shift is clamped, no overflow
  CHECK(huge.next(-3).count() <= 1000);           // a negative attempt counts as the first
}

TEST_CASE("backoff: jitter spreads the waits and a seed replays them") {
  sync::backoff a(milliseconds(1000), milliseconds(60'000), 42);
  sync::backoff b(milliseconds(1000), milliseconds(60'000), 42);
  sync::backoff other(milliseconds(1000), milliseconds(60'000), 43);
  std::set<std::int64_t> seen;
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const auto w = a.next(2);
    CHECK(w == b.next(2));
    differs = differs || w != other.next(2);
    seen.insert(w.count());
  }
  CHECK(differs);
  CHECK(seen.size() > 50);  // 2001 possible values in [2000, 4000]
  CHECK(*seen.begin() >= 2000);
  CHECK(*seen.rbegin() <= 4000);
}

TEST_CASE("syncer pacing: the waits between page requests follow max_requests_per_second") {
  sync_fixture f;
  publish_names(f.registry, 5, f.start_us - 1000);  // pages of 2: three requests
  f.options.max_requests_per_second = 4.0;
  auto r = f.run();
  REQUIRE(r.ok);
  CHECK(r.requests == 3);
  CHECK(f.waits == std::vector<microseconds>{microseconds(250'000), microseconds(250'000)});
  REQUIRE(f.client.times.size() == 3);
  CHECK(f.client.times[1] - f.client.times[0] == 250'000);
  CHECK(f.client.times[2] - f.client.times[1] == 250'000);
}

TEST_CASE("syncer pacing: time spent on a slow answer counts toward the spacing") {
  sync_fixture f;
  publish_names(f.registry, 5, f.start_us - 1000);
  f.options.max_requests_per_second = 4.0;
  f.client.on_get([&](const std::string&) { f.clock_us += 100'000; });  // each answer takes 100 ms
  auto r = f.run();
  REQUIRE(r.ok);
  CHECK(f.waits == std::vector<microseconds>{microseconds(150'000), microseconds(150'000)});
  REQUIRE(f.client.times.size() == 3);
  CHECK(f.client.times[1] - f.client.times[0] == 250'000);
  CHECK(f.client.times[2] - f.client.times[1] == 250'000);
}

TEST_CASE("syncer backoff: retry waits grow from backoff_initial and stop at backoff_max") {
  sync_fixture f;
  f.options.backoff_initial = milliseconds(100);
  f.options.backoff_max = milliseconds(400);
  f.options.max_attempts = 6;
  f.client.script(answer::status(503), 6);
  auto r = f.run();
  CHECK_FALSE(r.ok);
  CHECK(r.retries == 5);
  // Only backoff waits: each is far longer than the 1 ms pacing interval.
  REQUIRE(f.waits.size() == 5);
  const std::int64_t cap_us[] = {100'000, 200'000, 400'000, 400'000, 400'000};
  for (std::size_t i = 0; i < 5; ++i) {
    CAPTURE(i);
    CHECK(f.waits[i].count() >= cap_us[i] / 2);
    CHECK(f.waits[i].count() <= cap_us[i]);
  }
  CHECK(f.waits[2] > f.waits[0]);  // [200, 400] ms after [50, 100] ms
}
