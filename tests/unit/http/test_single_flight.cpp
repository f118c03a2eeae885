// http::single_flight on its own: one computation per key among concurrent callers, every
// caller gets the result, keys are free again afterwards (also when many flights grow the map
// while others are in the air), and a leader's failure leaves its waiters to compute alone.
#include <doctest/doctest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "http/single_flight.hpp"

namespace asio = boost::asio;
using mirror::http::single_flight;

namespace {

// Every computation waits on `gate` until the test opens it, so all callers overlap.
struct world {
  asio::io_context ioc;
  asio::steady_timer gate{ioc, std::chrono::steady_clock::time_point::max()};
  single_flight<std::string> flights;
  int computed = 0;
  std::vector<std::string> results;

  asio::awaitable<std::string> compute(std::string key, bool fail) {
    ++computed;
    co_await gate.async_wait(asio::as_tuple(asio::use_awaitable));
    if (fail) throw std::runtime_error("leader failed");
    co_return "value of " + key;
  }
  void call(const std::string& key, bool fail = false) {
    asio::co_spawn(
        ioc,
        [this, key, fail]() -> asio::awaitable<void> {
          // Only trivially destructible captures in what a co_await expression holds: GCC 12
          // destroys such temporaries twice otherwise. `key` lives in this lambda, which
          // co_spawn keeps for as long as its coroutine runs.
          const std::string* k = &key;
          const auto fn = [this, k, fail] { return compute(*k, fail); };
          try {
            std::string value = co_await flights.run(*k, fn);
            results.push_back(std::move(value));
          } catch (const std::exception& e) {
            results.push_back(std::string("error: ") + e.what());
          }
        },
        asio::detached);
  }
  void open_gate_when_idle() {
    ioc.poll();     // every caller has started and is waiting
    gate.cancel();  // all computations finish
    ioc.poll();
    ioc.restart();
    ioc.poll();
  }
};

}  // namespace

TEST_CASE("single_flight: concurrent callers of one key share one computation") {
  world w;
  for (int i = 0; i < 5; ++i) w.call("a");
  w.open_gate_when_idle();
  CHECK(w.computed == 1);
  CHECK(w.flights.joined() == 4);
  CHECK(w.results == std::vector<std::string>(5, "value of a"));
  CHECK(w.flights.in_flight() == 0);
  // Later callers start a new flight.
  w.call("a");
  w.open_gate_when_idle();
  CHECK(w.computed == 2);
}

TEST_CASE("single_flight: hundreds of keys in the air at once (the map rehashes) all land") {
  world w;
  for (int i = 0; i < 300; ++i) w.call("k" + std::to_string(i));
  for (int i = 0; i < 300; i += 3) w.call("k" + std::to_string(i));
  w.ioc.poll();
  CHECK(w.flights.in_flight() == 300);
  w.open_gate_when_idle();
  CHECK(w.computed == 300);
  CHECK(w.flights.joined() == 100);
  CHECK(w.results.size() == 400);
  CHECK(w.flights.in_flight() == 0);
}

TEST_CASE("single_flight: when the leader throws, each waiter computes on its own") {
  world w;
  w.call("x", true);   // leads, fails
  w.call("x", false);  // waits, then computes itself
  w.open_gate_when_idle();
  w.open_gate_when_idle();  // its own computation waited on the gate too (reset below)
  CHECK(w.flights.in_flight() == 0);
  REQUIRE(w.results.size() == 2);
  CHECK(w.results[0] == "error: leader failed");
  CHECK(w.results[1] == "value of x");
  CHECK(w.computed == 2);
}
