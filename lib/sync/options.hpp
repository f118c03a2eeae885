#pragma once
// How the sync job talks to the upstream (docs/upstream-api.md: Incremental sync and latest: poll
// about hourly, ≤ 3 req/s, back off on 429/5xx) and the limits that keep a broken upstream from
// wedging the mirror.
#include <chrono>
#include <cstddef>
#include <string>

namespace mirror::sync {

struct sync_options {
  // The source's name (config `sources:`): its rows and sync state are kept under it.
  std::string source = "upstream";
  std::string upstream_url = "https://registry.modelcontextprotocol.io";
  int page_limit = 100;                              // `limit` of every list request
  std::chrono::milliseconds margin{60'000};          // updated_since = last success start − margin
  double max_requests_per_second = 3.0;              // upstream allows 180/min per IP
  int max_attempts = 5;                              // per request, then the run fails
  std::chrono::milliseconds backoff_initial{1'000};
  std::chrono::milliseconds backoff_max{60'000};
  std::chrono::milliseconds retry_after_max{300'000};  // a longer Retry-After fails the run
  std::size_t max_pages = 10'000;                    // ~1M versions at limit 100
  std::chrono::milliseconds run_deadline{3'600'000};
  // Incremental runs re-read `/versions?include_deleted=true` of the names they touched, because
  // upstream moves isLatest without bumping updatedAt (docs/upstream-api.md: Incremental sync and
  // latest). Above this many names the run keeps
  // the flags from the pages and the upstream's rule instead.
  std::size_t max_latest_refetch = 500;
  std::chrono::milliseconds progress_every{10'000};  // progress line period during long walks
  // Replicas (sync/replica.cpp): each run first asks GET /v0.1/x/<parent_namespace>/info; an
  // upstream that answers is another mcp-mirror and its served view is copied exactly through
  // its change feed. false: every upstream is synced as a registry.
  bool replicate = false;  // the daemon turns it on (upstream.replicate)
  std::string parent_namespace = "io.github.mcp-mirror";
  // More changed names than this in the parent's feed since the last run: a full walk is
  // cheaper than one version-list request per name.
  std::size_t max_replica_names = 2'000;
};

}  // namespace mirror::sync
