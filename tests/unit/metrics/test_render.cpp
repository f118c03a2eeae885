// metrics::registry::render: the exact text exposition 0.0.4 output Prometheus scrapes.
#include <doctest/doctest.h>

#include <array>
#include <limits>

#include "metrics/registry.hpp"

using namespace mirror;

TEST_CASE("metrics: render of a small registry is exact") {
  metrics::registry r;
  auto& req = r.add_counter("http_requests_total", "Requests.", {"method", "route", "status"});
  req.with({"GET", "/v0.1/servers", "200"}).inc();
  req.with({"GET", "/v0.1/servers", "200"}).inc(2);
  req.with({"GET", "/v0.1/ping", "200"}).inc();

  r.add_gauge("start_time_seconds", "Start \\ time\nsecond \"line\".").with({}).set(1.5);

  static constexpr std::array<double, 3> bounds = {0.25, 1, 2.5};
  auto& lat = r.add_histogram("latency_seconds", "Latency.", {"route"}, bounds);
  auto& h = lat.with({"/x"});
  for (double v : {0.25, 0.5, 0.5, 4.0}) h.observe(v);  // 0.25 on a bound: `le` is inclusive

  r.add_counter("escapes_total", "Escaping.", {"v"}).with({"a\\b\"c\nd"}).inc();

  CHECK(r.render() ==
        "# HELP http_requests_total Requests.\n"
        "# TYPE http_requests_total counter\n"
        "http_requests_total{method=\"GET\",route=\"/v0.1/ping\",status=\"200\"} 1\n"
        "http_requests_total{method=\"GET\",route=\"/v0.1/servers\",status=\"200\"} 3\n"
        "# HELP start_time_seconds Start \\\\ time\\nsecond \"line\".\n"
        "# TYPE start_time_seconds gauge\n"
        "start_time_seconds 1.5\n"
        "# HELP latency_seconds Latency.\n"
        "# TYPE latency_seconds histogram\n"
        "latency_seconds_bucket{route=\"/x\",le=\"0.25\"} 1\n"
        "latency_seconds_bucket{route=\"/x\",le=\"1\"} 3\n"
        "latency_seconds_bucket{route=\"/x\",le=\"2.5\"} 3\n"
        "latency_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n"
        "latency_seconds_sum{route=\"/x\"} 5.25\n"
        "latency_seconds_count{route=\"/x\"} 4\n"
        "# HELP escapes_total Escaping.\n"
        "# TYPE escapes_total counter\n"
        "escapes_total{v=\"a\\\\b\\\"c\\nd\"} 1\n");
}

TEST_CASE("metrics: a family with labels and no children renders HELP and TYPE only") {
  metrics::registry r;
  r.add_counter("empty_total", "Nothing yet.", {"route"});
  CHECK(r.render() == "# HELP empty_total Nothing yet.\n# TYPE empty_total counter\n");
}

TEST_CASE("metrics: label-less families render zero before first use") {
  metrics::registry r;
  r.add_counter("runs_total", "Runs.");
  static constexpr std::array<double, 2> bounds = {0.5, 1};
  r.add_histogram("run_seconds", "Run time.", {}, bounds);
  CHECK(r.render() ==
        "# HELP runs_total Runs.\n"
        "# TYPE runs_total counter\n"
        "runs_total 0\n"
        "# HELP run_seconds Run time.\n"
        "# TYPE run_seconds histogram\n"
        "run_seconds_bucket{le=\"0.5\"} 0\n"
        "run_seconds_bucket{le=\"1\"} 0\n"
        "run_seconds_bucket{le=\"+Inf\"} 0\n"
        "run_seconds_sum 0\n"
        "run_seconds_count 0\n");
}

TEST_CASE("metrics: children render sorted by label values, not creation order") {
  metrics::registry r;
  auto& f = r.add_gauge("g", "G.", {"a", "b"});
  f.with({"y", "1"}).set(1);
  f.with({"x", "2"}).set(2);
  f.with({"x", "10"}).set(3);  // byte order: "10" < "2"
  CHECK(r.render() ==
        "# HELP g G.\n# TYPE g gauge\n"
        "g{a=\"x\",b=\"10\"} 3\n"
        "g{a=\"x\",b=\"2\"} 2\n"
        "g{a=\"y\",b=\"1\"} 1\n");
}

TEST_CASE("metrics: empty help, NaN observation and a trailing +Inf bound") {
  metrics::registry r;
  static constexpr std::array<double, 2> bounds = {1, std::numeric_limits<double>::infinity()};
  auto& h = r.add_histogram("h", "", {}, bounds);
  CHECK(h.bounds().size() == 1);
  h.with({}).observe(std::numeric_limits<double>::quiet_NaN());
  CHECK(r.render() ==
        "# HELP h \n# TYPE h histogram\n"
        "h_bucket{le=\"1\"} 0\n"
        "h_bucket{le=\"+Inf\"} 1\n"
        "h_sum NaN\n"
        "h_count 1\n");
}
