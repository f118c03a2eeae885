#include "metrics/catalog.hpp"

namespace mirror::metrics {

std::string_view method_label(std::string_view method) {
  for (const std::string_view known : {"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"})
    if (method == known) return known;
  return "other";
}

catalog::catalog()
    : sync_runs(reg.add_counter("mcp_mirror_sync_runs_total", "Sync runs started.", {"source"})),
      sync_failures(reg.add_counter("mcp_mirror_sync_failures_total", "Sync runs that failed.", {"source"})),
      sync_retries(
          reg.add_counter("mcp_mirror_sync_retries_total", "Upstream requests retried by the sync job.", {"source"})),
      upstream_rate_limited(reg.add_counter("mcp_mirror_upstream_rate_limited_total",
                                            "Upstream responses with status 429 Too Many Requests.", {"source"})),
      versions_applied(reg.add_counter("mcp_mirror_sync_versions_applied_total",
                                       "Server versions inserted or updated by sync runs.", {"source"})),
      last_success(reg.add_gauge("mcp_mirror_sync_last_success_timestamp_seconds",
                                 "Unix time of the last successful sync run (0 if none yet).", {"source"})),
      sync_duration(reg.add_histogram("mcp_mirror_sync_duration_seconds", "Duration of sync runs.", {"source"},
                                      sync_duration_buckets)),
      curation_reloads(reg.add_counter("mcp_mirror_curation_reloads_total",
                                       "Curation file reloads, by result (applied, rejected, failed).", {"result"})),
      http_requests(reg.add_counter("mcp_mirror_http_requests_total", "HTTP requests served, by route and status.",
                                    {"method", "route", "status"})),
      http_request_duration(reg.add_histogram("mcp_mirror_http_request_duration_seconds",
                                              "HTTP request handling latency.",
                                              {"method", "route"}, http_latency_buckets)) {}

void catalog::add_source(std::string_view name) {
  sync_runs.with({name});
  sync_failures.with({name});
  sync_retries.with({name});
  upstream_rate_limited.with({name});
  versions_applied.with({name});
  last_success.with({name});
  sync_duration.with({name});
}

}  // namespace mirror::metrics
