// metrics::registry: registration contracts, handle stability, concurrent updates.
#include <doctest/doctest.h>

#include <array>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "metrics/catalog.hpp"
#include "metrics/registry.hpp"

using namespace mirror;

TEST_CASE("metrics: concurrent increments from 4 threads sum exactly") {
  metrics::registry r;
  auto& requests = r.add_counter("requests_total", "R.", {"route"});
  auto& seconds = r.add_counter("seconds_total", "S.");
  auto& depth = r.add_gauge("depth", "D.");
  static constexpr std::array<double, 2> bounds = {1, 2};
  auto& hist = r.add_histogram("h", "H.", {}, bounds);
  constexpr int threads = 4, per_thread = 100000;

  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      // Every thread races to create the shared child and also owns one of its own.
      auto& shared = requests.with({"/shared"});
      auto& own = requests.with({std::string_view("/t" + std::to_string(t))});
      auto& s = seconds.with({});
      auto& d = depth.with({});
      auto& h = hist.with({});
      for (int i = 0; i < per_thread; ++i) {
        shared.inc();
        own.inc();
        s.inc(0.5);  // fractional lane: 0.5 sums exactly in binary
        d.inc();
        d.dec(0.5);
        h.observe(i % 3);  // 0, 1, 2: one third each in le=1 ... le=2
      }
      (void)r.render();  // scrapes race the updates too
    });
  }
  for (auto& th : pool) th.join();

  CHECK(requests.with({"/shared"}).value() == threads * per_thread);
  for (int t = 0; t < threads; ++t)
    CHECK(requests.with({std::string_view("/t" + std::to_string(t))}).value() == per_thread);
  CHECK(seconds.with({}).value() == threads * per_thread * 0.5);
  CHECK(depth.with({}).value() == threads * per_thread * 0.5);
  auto snap = hist.with({}).read();
  CHECK(snap.count == threads * per_thread);
  CHECK(snap.cumulative.back() == snap.count);
  CHECK(snap.sum == threads * 99999.0);  // 33333 ones and 33333 twos per thread
}

TEST_CASE("metrics: a child handle stays valid after more children are added") {
  metrics::registry r;
  auto& f = r.add_counter("c_total", "C.", {"id"});
  auto& first = f.with({"0000"});
  first.inc();
  for (int i = 1; i < 2000; ++i) f.with({std::string_view(std::to_string(i))}).inc();
  first.inc();
  CHECK(&f.with({"0000"}) == &first);
  const std::vector<std::string> key = {"0000"};  // the owning-string overload finds the same child
  CHECK(&f.with(key) == &first);
  CHECK(first.value() == 2);
  CHECK(r.render().find("c_total{id=\"0000\"} 2\n") != std::string::npos);
}

TEST_CASE("metrics: registration rejects bad names, duplicates and bad bounds") {
  metrics::registry r;
  r.add_counter("ok_total", "OK.");
  CHECK_THROWS_AS(r.add_counter("ok_total", "again"), std::invalid_argument);
  CHECK_THROWS_AS(r.add_gauge("bad-name", "x"), std::invalid_argument);
  CHECK_THROWS_AS(r.add_gauge("g", "x", {"a", "a"}), std::invalid_argument);
  CHECK_THROWS_AS(r.add_gauge("g", "x", {"__reserved"}), std::invalid_argument);
  static constexpr std::array<double, 2> ok = {1, 2};
  static constexpr std::array<double, 2> unordered = {2, 1};
  static constexpr std::array<double, 2> with_nan = {1, std::numeric_limits<double>::quiet_NaN()};
  CHECK_THROWS_AS(r.add_histogram("h", "x", {"le"}, ok), std::invalid_argument);
  CHECK_THROWS_AS(r.add_histogram("h", "x", {}, unordered), std::invalid_argument);
  CHECK_THROWS_AS(r.add_histogram("h", "x", {}, with_nan), std::invalid_argument);
  // Nothing half-registered by the failures above: the names are still free.
  CHECK_NOTHROW(r.add_gauge("g", "x", {"a"}));
  CHECK_NOTHROW(r.add_histogram("h", "x", {}, ok));
}

TEST_CASE("metrics: with() rejects the wrong number of label values") {
  metrics::registry r;
  auto& f = r.add_counter("c_total", "C.", {"method", "status"});
  CHECK_THROWS_AS(f.with({"GET"}), std::invalid_argument);
  CHECK_THROWS_AS(f.with({"GET", "200", "extra"}), std::invalid_argument);
  CHECK_THROWS_AS(f.with({}), std::invalid_argument);
}

TEST_CASE("metrics: counters ignore negative and NaN increments - whole and fractional lanes add") {
  metrics::registry r;
  auto& c = r.add_counter("c_total", "C.").with({});
  c.inc(3);
  c.inc(0.25);
  c.inc(-1);
  c.inc(std::numeric_limits<double>::quiet_NaN());
  CHECK(c.value() == 3.25);
}

TEST_CASE("metrics: the daemon catalog registers every family once") {
  metrics::catalog m;
  m.sync_runs.inc();
  m.http_requests.with({"GET", "/v0.1/servers", "200"}).inc();
  m.http_request_duration.with({"GET", "/v0.1/servers"}).observe(0.003);
  const auto text = m.reg.render();
  for (auto name : {"mcp_mirror_sync_runs_total 1\n", "mcp_mirror_sync_failures_total 0\n",
                    "mcp_mirror_sync_retries_total 0\n", "mcp_mirror_upstream_rate_limited_total 0\n",
                    "mcp_mirror_sync_versions_applied_total 0\n",
                    "mcp_mirror_sync_last_success_timestamp_seconds 0\n", "mcp_mirror_sync_duration_seconds_count 0\n",
                    "mcp_mirror_http_requests_total{method=\"GET\",route=\"/v0.1/servers\",status=\"200\"} 1\n",
                    "mcp_mirror_http_request_duration_seconds_bucket{method=\"GET\",route=\"/v0.1/servers\",le=\"0.005\"} 1\n"})
    CHECK_MESSAGE(text.find(name) != std::string::npos, name);
}

TEST_CASE("the HTTP method label is one of a fixed set, whatever token a client sends") {
  CHECK(mirror::metrics::method_label("GET") == "GET");
  CHECK(mirror::metrics::method_label("DELETE") == "DELETE");
  CHECK(mirror::metrics::method_label("get") == "other");
  CHECK(mirror::metrics::method_label("XYZZY-1234") == "other");
  CHECK(mirror::metrics::method_label("") == "other");
}
