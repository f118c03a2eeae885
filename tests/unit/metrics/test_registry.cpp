// metrics::registry (the layer over prometheus-cpp): registration contracts, handle
// stability, concurrent updates, the daemon's catalog.
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

namespace {

bool has_line(const std::string& text, const std::string& line) { return text.find(line + "\n") != std::string::npos; }

}  // namespace

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
      const auto shared = requests.with({"/shared"});
      const auto own = requests.with({std::string_view("/t" + std::to_string(t))});
      const auto s = seconds.with({});
      const auto d = depth.with({});
      const auto h = hist.with({});
      for (int i = 0; i < per_thread; ++i) {
        shared.inc();
        own.inc();
        s.inc(0.5);  // 0.5 sums exactly in binary
        d.inc();
        d.dec(0.5);
        h.observe(i % 3);  // 0, 1, 2: 33334 zeros, 33333 ones, 33333 twos per thread
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
  const auto text = r.render();
  CHECK(has_line(text, "h_bucket{le=\"1\"} " + std::to_string(threads * 66667)));
  CHECK(has_line(text, "h_bucket{le=\"2\"} " + std::to_string(threads * per_thread)));
  CHECK(has_line(text, "h_bucket{le=\"+Inf\"} " + std::to_string(threads * per_thread)));
  CHECK(has_line(text, "h_count " + std::to_string(threads * per_thread)));
  CHECK(has_line(text, "h_sum " + std::to_string(threads * 99999)));
}

TEST_CASE("metrics: with() finds the same child after more children are added") {
  metrics::registry r;
  auto& f = r.add_counter("c_total", "C.", {"id"});
  const auto first = f.with({"0000"});
  first.inc();
  for (int i = 1; i < 2000; ++i) f.with({std::string_view(std::to_string(i))}).inc();
  first.inc();
  f.with({"0000"}).inc();                           // a fresh handle updates the same child
  const std::vector<std::string> key = {"0000"};  // and so does the owning-string overload
  f.with(key).inc();
  CHECK(first.value() == 4);
  CHECK(f.with({"1999"}).value() == 1);
  const auto text = r.render();
  CHECK(has_line(text, "c_total{id=\"0000\"} 4"));
  CHECK(has_line(text, "c_total{id=\"1999\"} 1"));
}

TEST_CASE("metrics: registration rejects bad names, duplicates and bad bounds") {
  metrics::registry r;
  r.add_counter("ok_total", "OK.");
  CHECK_THROWS_AS(r.add_counter("ok_total", "again"), std::invalid_argument);
  CHECK_THROWS_AS(r.add_gauge("ok_total", "same name, other type"), std::invalid_argument);
  CHECK_THROWS_AS(r.add_gauge("bad-name", "x"), std::invalid_argument);
  CHECK_THROWS_AS(r.add_gauge("9x", "x"), std::invalid_argument);
  CHECK_THROWS_AS(r.add_gauge("g", "x", {"a", "a"}), std::invalid_argument);
  CHECK_THROWS_AS(r.add_gauge("g", "x", {"__reserved"}), std::invalid_argument);
  CHECK_THROWS_AS(r.add_gauge("g", "x", {"a:b"}), std::invalid_argument);
  static constexpr std::array<double, 2> ok = {1, 2};
  static constexpr std::array<double, 2> unordered = {2, 1};
  static constexpr std::array<double, 2> repeated = {1, 1};
  static constexpr std::array<double, 2> with_nan = {1, std::numeric_limits<double>::quiet_NaN()};
  CHECK_THROWS_AS(r.add_histogram("h", "x", {"le"}, ok), std::invalid_argument);
  CHECK_THROWS_AS(r.add_histogram("h", "x", {}, unordered), std::invalid_argument);
  CHECK_THROWS_AS(r.add_histogram("h", "x", {}, repeated), std::invalid_argument);
  CHECK_THROWS_AS(r.add_histogram("h", "x", {}, with_nan), std::invalid_argument);
  // Nothing half-registered by the failures above: the names are still free.
  CHECK_NOTHROW(r.add_gauge("g", "x", {"a"}));
  CHECK_NOTHROW(r.add_histogram("h", "x", {}, ok));
  CHECK(r.render().find("ok_total 0\n") != std::string::npos);
}

TEST_CASE("metrics: with() rejects the wrong number of label values") {
  metrics::registry r;
  auto& f = r.add_counter("c_total", "C.", {"method", "status"});
  f.with({"GET", "200"}).inc();  // a cached child does not make a shorter key match
  CHECK_THROWS_AS(f.with({"GET"}), std::invalid_argument);
  CHECK_THROWS_AS(f.with({"GET", "200", "extra"}), std::invalid_argument);
  CHECK_THROWS_AS(f.with({}), std::invalid_argument);
  CHECK(f.with({"GET", "200"}).value() == 1);
}

TEST_CASE("metrics: counters ignore negative and NaN increments, gauges go both ways") {
  metrics::registry r;
  const auto c = r.add_counter("c_total", "C.").with({});
  c.inc(3);
  c.inc(0.25);
  c.inc(-1);
  c.inc(std::numeric_limits<double>::quiet_NaN());
  CHECK(c.value() == 3.25);
  const auto g = r.add_gauge("g", "G.").with({});
  g.set(10);
  g.dec(4);
  g.inc(0.5);
  CHECK(g.value() == 6.5);
  const auto text = r.render();
  CHECK(has_line(text, "c_total 3.25"));
  CHECK(has_line(text, "g 6.5"));
}

TEST_CASE("metrics: the daemon catalog registers every family once") {
  metrics::catalog m;
  m.add_source("official");
  m.add_source("partner");
  m.sync_runs.with({"official"}).inc();
  m.versions_applied.with({"official"}).inc(25);
  m.last_success.with({"official"}).set(1764000000.25);
  m.curation_reloads.with({"applied"}).inc();
  m.http_requests.with({"GET", "/v0.1/servers", "200"}).inc();
  m.http_request_duration.with({"GET", "/v0.1/servers"}).observe(0.003);
  const auto text = m.reg.render();
  for (auto line : {"mcp_mirror_sync_runs_total{source=\"official\"} 1", "mcp_mirror_sync_runs_total{source=\"partner\"} 0",
                    "mcp_mirror_sync_failures_total{source=\"official\"} 0",
                    "mcp_mirror_sync_retries_total{source=\"partner\"} 0",
                    "mcp_mirror_upstream_rate_limited_total{source=\"official\"} 0",
                    "mcp_mirror_sync_versions_applied_total{source=\"official\"} 25",
                    "mcp_mirror_sync_last_success_timestamp_seconds{source=\"official\"} 1764000000.25",
                    "mcp_mirror_sync_last_success_timestamp_seconds{source=\"partner\"} 0",
                    "mcp_mirror_sync_duration_seconds_count{source=\"partner\"} 0",
                    "mcp_mirror_sync_duration_seconds_bucket{source=\"official\",le=\"600\"} 0",
                    "mcp_mirror_curation_reloads_total{result=\"applied\"} 1",
                    "mcp_mirror_http_requests_total{method=\"GET\",route=\"/v0.1/servers\",status=\"200\"} 1",
                    "mcp_mirror_http_request_duration_seconds_bucket{method=\"GET\",route=\"/v0.1/servers\",le=\"0.0025\"} 0",
                    "mcp_mirror_http_request_duration_seconds_bucket{method=\"GET\",route=\"/v0.1/servers\",le=\"0.005\"} 1"})
    CHECK_MESSAGE(has_line(text, line), line);
  // Every family has its HELP and TYPE, including before its first child.
  metrics::catalog fresh;
  const auto empty = fresh.reg.render();
  for (auto name : {"mcp_mirror_sync_runs_total", "mcp_mirror_sync_failures_total", "mcp_mirror_sync_retries_total",
                    "mcp_mirror_upstream_rate_limited_total", "mcp_mirror_sync_versions_applied_total",
                    "mcp_mirror_sync_last_success_timestamp_seconds", "mcp_mirror_sync_duration_seconds",
                    "mcp_mirror_curation_reloads_total", "mcp_mirror_http_requests_total",
                    "mcp_mirror_http_request_duration_seconds"})
    CHECK_MESSAGE(empty.find(std::string("# TYPE ") + name + " ") != std::string::npos, name);
}

TEST_CASE("the HTTP method label is one of a fixed set, whatever token a client sends") {
  CHECK(mirror::metrics::method_label("GET") == "GET");
  CHECK(mirror::metrics::method_label("DELETE") == "DELETE");
  CHECK(mirror::metrics::method_label("get") == "other");
  CHECK(mirror::metrics::method_label("XYZZY-1234") == "other");
  CHECK(mirror::metrics::method_label("") == "other");
}
