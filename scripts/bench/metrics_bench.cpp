// Micro-benchmark of the metrics module, run by scripts/bench-metrics.sh; not part of the
// build or the test suite. It measures the two costs the daemon pays: rendering `GET /metrics`
// with a realistic number of route series, and one `with(...).inc()` / `with(...).observe()`
// on the request path (mirror_app.cpp's observer does one of each per request). It uses only
// the catalog interface mirror_app.cpp uses, so the same file measures any implementation.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "metrics/catalog.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

double ns_per(clock_type::duration d, long n) {
  return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count()) / static_cast<double>(n);
}

}  // namespace

int main() {
  mirror::metrics::catalog m;
  // 20 route templates x 2 statuses = 40 request series, 20 latency histograms (15 lines each).
  std::vector<std::string> routes;
  for (int i = 0; i < 20; ++i) routes.push_back("/v0.1/servers/{serverName}/versions/" + std::to_string(i));
  for (const auto& r : routes) {
    for (const char* status : {"200", "304"}) m.http_requests.with({"GET", r, status}).inc();
    m.http_request_duration.with({"GET", r}).observe(0.003);
  }
  m.sync_runs.inc();
  m.curation_reloads.with({"applied"}).inc();

  const auto text = m.reg.render();
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n';

  constexpr long renders = 2000;
  std::size_t sink = 0;
  auto t0 = clock_type::now();
  for (long i = 0; i < renders; ++i) sink += m.reg.render().size();
  const double render_ns = ns_per(clock_type::now() - t0, renders);

  constexpr long hot = 2'000'000;
  const std::string& route = routes[7];
  t0 = clock_type::now();
  for (long i = 0; i < hot; ++i) m.http_requests.with({"GET", route, "200"}).inc();
  const double inc_ns = ns_per(clock_type::now() - t0, hot);

  t0 = clock_type::now();
  for (long i = 0; i < hot; ++i) m.http_request_duration.with({"GET", route}).observe(0.003);
  const double observe_ns = ns_per(clock_type::now() - t0, hot);

  t0 = clock_type::now();
  for (long i = 0; i < hot; ++i) m.sync_runs.inc();
  const double cached_inc_ns = ns_per(clock_type::now() - t0, hot);

  std::printf("exposition: %zu bytes, %zu lines\n", text.size(), lines);
  std::printf("render():                          %9.1f us\n", render_ns / 1e3);
  std::printf("http_requests.with({3}).inc():     %9.1f ns\n", inc_ns);
  std::printf("http_request_duration.with({2}).observe(): %9.1f ns\n", observe_ns);
  std::printf("sync_runs.inc() (held handle):     %9.1f ns\n", cached_inc_ns);
  return sink == 0;  // keeps the render loop from being optimised away
}
