#pragma once
// The daemon's configuration (docs/design-habits.md H12): defaults → parse from a string → validate
// with the key path and line:column of every error → an immutable struct. `parse` never touches
// the filesystem or the environment; `load` reads a file and calls it. Unknown keys are errors.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "util/file_error.hpp"

namespace mirror::config {

struct http_config {
  unsigned reader_threads = 2;
  std::chrono::milliseconds read_timeout{30'000};
  std::chrono::milliseconds idle_timeout{120'000};
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds drain_timeout{10'000};
  std::uint64_t max_connections = 4096;
  // One peer address may hold at most this many; a proxy or load balancer in front counts as one
  // peer, so it is generous.
  std::uint64_t max_connections_per_client = 512;
  // Requests waiting for a reader thread (cache misses); beyond this, 503 with Retry-After
  // instead of a queue whose latency grows without bound.
  std::uint64_t max_queued_requests = 256;
  std::uint64_t max_header_bytes = 16 * 1024;
  std::uint64_t max_body_bytes = 64 * 1024;
  std::uint64_t cache_bytes = 32u << 20;
  // How much of the database each reader thread reads through a memory map (store::reader::open);
  // 0: read() calls into a per-connection page cache.
  std::uint64_t reader_mmap_bytes = 1ULL << 30;
  // Cache-Control max-age of the data responses (list, versions, detail, changes); 0 → no-cache.
  std::chrono::milliseconds cache_max_age{60'000};
};

// The change feed (GET /v0.1/x/<namespace>/changes).
struct changes_config {
  std::chrono::milliseconds retention{30LL * 24 * 3'600'000};  // older rows are pruned
};

struct upstream_config {
  std::string url = "https://registry.modelcontextprotocol.io";
  bool sync = true;                                   // false: serve only (air-gapped)
  std::chrono::milliseconds interval{3'600'000};      // about hourly, as upstream asks
  unsigned jitter_percent = 10;                       // ± share of the interval
  std::chrono::milliseconds margin{60'000};           // clock skew / commit lag allowance
  double requests_per_second = 3.0;
  unsigned page_limit = 100;
  unsigned max_attempts = 5;
  std::uint64_t max_pages = 10'000;
  std::chrono::milliseconds run_deadline{3'600'000};
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds read_timeout{60'000};
  std::uint64_t max_response_bytes = 64u << 20;
  std::chrono::milliseconds staleness_limit{3 * 3'600'000};  // /health says "stale" beyond this
  // An upstream that is another mcp-mirror (it answers /v0.1/x/<namespace>/info) is replicated
  // exactly (sync/replica.cpp); false syncs it as a registry.
  bool replicate = true;
  // Until the first sync run succeeds, a lookup of a name the mirror does not hold answers 503
  // with Retry-After instead of 404: hosts that take 404 as final (VS Code's registry-only
  // policy) must not block a server the mirror has not fetched yet. With sync off, 404 is 404.
  bool hold_404_until_synced = true;
};

// One entry of `sources:` (an ordered list): a name (metrics, logs, `_meta`, the CLI) and every
// per-upstream key. A server name several sources hold is served from the first that has it.
struct source_config {
  std::string name;  // [a-z0-9][a-z0-9_-]*, at most 32 bytes, unique
  upstream_config upstream;
};

// Offline snapshots (lib/snapshot): the import quality gate and first-start bootstrap.
// One audience's catalog (config `views:`), served under /views/<name>/ from the same mirrored
// data as the root (which is the default view, `curation_file`).
struct view_config {
  std::string name;                     // [a-z0-9_-], 1-32, starting with a letter or digit
  std::filesystem::path curation_file;  // empty: every mirrored server, as the upstream has it
  std::filesystem::path token_file;     // empty: public; else bearer tokens, one per line
};

struct snapshot_config {
  // `import SNAPSHOT` refuses (unless --force) a snapshot holding fewer than this share of the
  // versions the mirror already holds; 0 disables the gate.
  unsigned min_share_percent = 90;
  // First start on an empty database: import the snapshot served at this URL (manifest.json and
  // servers.jsonl under it) instead of the bundled seed; falls back to the seed on failure.
  std::string bootstrap_url;
};

struct mirror_config {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8080;
  std::filesystem::path data_dir = "./data";
  // Reverse-DNS namespace of this mirror: its `_meta` key is "<namespace>/mirror" and its
  // extension endpoints live under /v0.1/x/<namespace>/. Empty: no mirror `_meta` key.
  std::string meta_namespace = "io.github.mcp-mirror";
  std::string log_level = "info";  // trace, debug, info, warn, error, off
  bool seed_when_empty = true;     // first start on an empty database loads the bundled seed
  http_config http;
  upstream_config upstream;
  // `sources:`; empty: the one source `upstream:` describes, named "upstream" (sources()).
  std::vector<source_config> source_list;
  snapshot_config snapshot;
  changes_config changes;
  // File holding the bearer token for POST /v0.1/x/<namespace>/sync and .../reload; empty:
  // those endpoints are off.
  std::filesystem::path admin_token_file;
  // The curation rules (lib/curation): which servers are served and how they are rewritten.
  // Empty: every mirrored server is served as the upstream has it. `load` resolves a relative
  // path against the config file's directory; `parse` keeps it as written.
  std::filesystem::path curation_file;
  // `views:` in order; empty: only the root.
  std::vector<view_config> views;
};

using error = util::file_error;

// The configured sources in precedence order: `sources:`, or `upstream:` as one source named
// "upstream".
std::vector<source_config> sources(const mirror_config& c);
// Whether any source syncs (false: serve only, e.g. air-gapped).
bool any_sync(const mirror_config& c);

std::variant<mirror_config, error> parse(std::string_view yaml, std::string_view file_name);
// Reads `file` and parses it; relative admin_token_file / curation_file paths are resolved
// against the file's directory.
std::variant<mirror_config, error> load(const std::filesystem::path& file);

// "127.0.0.1:8080", "[::1]:0" → host, port; false when malformed or the host is not an IP
// address (a host name such as "localhost" is not resolved).
bool parse_listen(std::string_view text, std::string& host, std::uint16_t& port);

}  // namespace mirror::config
