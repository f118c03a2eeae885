#pragma once
// The daemon's metric catalog: every family `GET /metrics` exposes, registered in one place
// so names, units and help text are reviewed together, and wiring code only holds references
// (no lookups by name at runtime). Names follow Prometheus conventions: `mcp_mirror_` prefix,
// `_total` on counters, base units (seconds) in the name.
#include <array>
#include <string_view>

#include "metrics/registry.hpp"

namespace mirror::metrics {

// Sync-run duration buckets in seconds: a run is one or more upstream page fetches plus a
// store transaction, from sub-second (nothing new) to minutes (first full import, backoff).
inline constexpr std::array<double, 12> sync_duration_buckets = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600};

// Request latency buckets in seconds, 0.5 ms to 2.5 s: the served responses are cached
// in-memory JSON, so most land in the low milliseconds and the tail shows slow clients.
inline constexpr std::array<double, 12> http_latency_buckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

// The `method` label of the HTTP families. Clients choose the method token freely, and every
// new label value is a new series kept forever: raw methods let one client grow /metrics (and
// memory) without bound. Known methods keep their name; every other token is "other".
std::string_view method_label(std::string_view method);

struct catalog {
  catalog();
  catalog(const catalog&) = delete;
  catalog& operator=(const catalog&) = delete;

  registry reg;  // render() this for the response body; declared first: the members below point into it

  // Sync job, per configured source (label `source`). A run counts once whether it succeeds or
  // fails; retries count each extra upstream attempt, rate_limited each 429 received.
  counter_family& sync_runs;               // mcp_mirror_sync_runs_total{source}
  counter_family& sync_failures;           // mcp_mirror_sync_failures_total{source}
  counter_family& sync_retries;            // mcp_mirror_sync_retries_total{source}
  counter_family& upstream_rate_limited;   // mcp_mirror_upstream_rate_limited_total{source}
  counter_family& versions_applied;        // mcp_mirror_sync_versions_applied_total{source}
  gauge_family& last_success;              // mcp_mirror_sync_last_success_timestamp_seconds{source}
  histogram_family& sync_duration;         // mcp_mirror_sync_duration_seconds{source}
  // Creates a source's series at 0, so dashboards see every source before its first run.
  void add_source(std::string_view name);

  // Curation reloads (SIGHUP, POST .../reload) by result: applied | rejected.
  counter_family& curation_reloads;  // mcp_mirror_curation_reloads_total{result}

  // HTTP server. `route` is the matched route template (e.g. "/v0.1/servers/{name}"), never
  // the raw path: raw paths are unbounded and would make the series count unbounded too.
  counter_family& http_requests;            // mcp_mirror_http_requests_total{method,route,status}
  histogram_family& http_request_duration;  // mcp_mirror_http_request_duration_seconds{method,route}
};

}  // namespace mirror::metrics
