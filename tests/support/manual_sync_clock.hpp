#pragma once
// The sync job's time in tests: a clock that only moves when told, and waits (pacing, backoff,
// Retry-After) that finish at once, are recorded, and move the clock by their length, so a test
// sees every delay without sleeping. Each wait still yields to the io_context once, as a real
// timer would.
#include <chrono>
#include <cstdint>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "sync/syncer.hpp"

namespace mirror::test {

struct manual_sync_clock {
  std::int64_t clock_us = 1'770'000'000'000'000;
  std::vector<std::chrono::microseconds> waits;

  // The environment of a syncer running on `ioc`; this object must outlive it.
  sync::environment environment(boost::asio::io_context& ioc, std::uint64_t seed = 1) {
    sync::environment env;
    env.now = [this] { return clock_us; };
    env.wait = [this, &ioc](std::chrono::microseconds d) -> boost::asio::awaitable<void> {
      waits.push_back(d);
      clock_us += d.count();
      co_await boost::asio::post(ioc, boost::asio::use_awaitable);
    };
    env.seed = seed;
    return env;
  }
};

}  // namespace mirror::test
