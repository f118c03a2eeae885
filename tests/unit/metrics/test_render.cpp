// metrics::registry::render: the exact text exposition 0.0.4 output Prometheus scrapes
// (written by prometheus-cpp's TextSerializer; ordering and escaping by our layer).
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
  const auto h = lat.with({"/x"});
  for (double v : {0.25, 0.5, 0.5, 4.0}) h.observe(v);  // 0.25 on a bound: `le` is inclusive

  r.add_counter("escapes_total", "Escaping.", {"v"}).with({"a\\b\"c\nd"}).inc();

  // prometheus-cpp writes a histogram's _count and _sum before its buckets; the format
  // allows any order within a family.
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
        "latency_seconds_count{route=\"/x\"} 4\n"
        "latency_seconds_sum{route=\"/x\"} 5.25\n"
        "latency_seconds_bucket{route=\"/x\",le=\"0.25\"} 1\n"
        "latency_seconds_bucket{route=\"/x\",le=\"1\"} 3\n"
        "latency_seconds_bucket{route=\"/x\",le=\"2.5\"} 3\n"
        "latency_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n"
        "# HELP escapes_total Escaping.\n"
        "# TYPE escapes_total counter\n"
        "escapes_total{v=\"a\\\\b\\\"c\\nd\"} 1\n");
}

TEST_CASE("metrics: a route label with quote, backslash and newline is escaped, tab kept") {
  metrics::registry r;
  auto& f = r.add_counter("requests_total", "R.", {"method", "route"});
  f.with({"GET", "/a\"b"}).inc();
  f.with({"GET", "/c\\d"}).inc(2);
  f.with({"GET", "/e\nf\tg"}).inc(3);
  CHECK(r.render() ==
        "# HELP requests_total R.\n# TYPE requests_total counter\n"
        "requests_total{method=\"GET\",route=\"/a\\\"b\"} 1\n"
        "requests_total{method=\"GET\",route=\"/c\\\\d\"} 2\n"
        "requests_total{method=\"GET\",route=\"/e\\nf\tg\"} 3\n");
}

TEST_CASE("metrics: a family with labels and no children renders HELP and TYPE only") {
  metrics::registry r;
  r.add_counter("empty_total", "Nothing yet.", {"route"});
  CHECK(r.render() == "# HELP empty_total Nothing yet.\n# TYPE empty_total counter\n");
}

TEST_CASE("metrics: label-less families render zero before first use, in registration order") {
  metrics::registry r;
  static constexpr std::array<double, 2> bounds = {0.5, 1};
  r.add_histogram("run_seconds", "Run time.", {}, bounds);
  r.add_gauge("depth", "Depth.");
  r.add_counter("runs_total", "Runs.");
  CHECK(r.render() ==
        "# HELP run_seconds Run time.\n"
        "# TYPE run_seconds histogram\n"
        "run_seconds_count 0\n"
        "run_seconds_sum 0\n"
        "run_seconds_bucket{le=\"0.5\"} 0\n"
        "run_seconds_bucket{le=\"1\"} 0\n"
        "run_seconds_bucket{le=\"+Inf\"} 0\n"
        "# HELP depth Depth.\n"
        "# TYPE depth gauge\n"
        "depth 0\n"
        "# HELP runs_total Runs.\n"
        "# TYPE runs_total counter\n"
        "runs_total 0\n");
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

TEST_CASE("metrics: histogram buckets are cumulative and +Inf counts everything") {
  metrics::registry r;
  static constexpr std::array<double, 3> bounds = {0.001, 0.01, 0.1};
  const auto h = r.add_histogram("lat_seconds", "L.", {}, bounds).with({});
  for (double v : {0.0005, 0.0005, 0.005, 0.05, 0.05, 0.05, 3.0}) h.observe(v);
  const auto text = r.render();
  CHECK(text.find("lat_seconds_bucket{le=\"0.001\"} 2\n"
                  "lat_seconds_bucket{le=\"0.01\"} 3\n"
                  "lat_seconds_bucket{le=\"0.1\"} 6\n"
                  "lat_seconds_bucket{le=\"+Inf\"} 7\n") != std::string::npos);
  CHECK(text.find("lat_seconds_count 7\n") != std::string::npos);
  CHECK(text.find("lat_seconds_sum 3.156\n") != std::string::npos);
}

TEST_CASE("metrics: empty help, NaN observation and a trailing +Inf bound") {
  metrics::registry r;
  static constexpr std::array<double, 2> bounds = {1, std::numeric_limits<double>::infinity()};
  auto& f = r.add_histogram("h", "", {}, bounds);
  CHECK(f.bounds().size() == 1);
  f.with({}).observe(std::numeric_limits<double>::quiet_NaN());  // dropped
  f.with({}).observe(2);
  // prometheus-cpp writes no HELP line for an empty help text.
  CHECK(r.render() ==
        "# TYPE h histogram\n"
        "h_count 1\n"
        "h_sum 2\n"
        "h_bucket{le=\"1\"} 0\n"
        "h_bucket{le=\"+Inf\"} 1\n");
}
