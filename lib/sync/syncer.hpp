#pragma once
// One sync run (docs/upstream-api.md: Incremental sync and latest; docs/architecture.md: Data
// flow):
//   1. watermark W = start of the last successful run against this upstream; none (or another
//      upstream) → a full walk with include_deleted=true, else updated_since = W − margin;
//   2. follow nextCursor until it is absent; each page is decoded in one pass (bad entries are
//      skipped and counted) and applied in its own transaction (idempotent upserts);
//   3. incremental runs re-read the version lists of the names they touched, because upstream
//      moves isLatest without bumping updatedAt;
//   4. one last transaction stores those authoritative flags, drops placeholder seed rows after a
//      full walk, and advances W to this run's start — so W is never ahead of the stored data,
//      and a failed, partial or killed run leaves W where it was (the next run re-walks).
// Requests are paced (≤ max_requests_per_second), retried with backoff on 429/5xx/transport
// errors/unparsable pages, and bounded by a page cap, repeated-cursor detection and a run
// deadline, so an upstream whose cursor never ends cannot hang the mirror.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <vector>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "json/import_decoder.hpp"
#include "sync/parent_feed.hpp"
#include "sync/options.hpp"
#include "sync/politeness.hpp"
#include "sync/run_report.hpp"
#include "runtime/writer_shell.hpp"
#include "upstream/client.hpp"
#include "util/clock.hpp"

namespace mirror::sync {

// Time as the sync job sees it; tests pass a fake clock and an instant wait.
struct environment {
  util::clock_fn now;
  std::function<boost::asio::awaitable<void>(std::chrono::microseconds)> wait;
  std::uint64_t seed = 1;  // backoff jitter
  // Where page bodies are decoded (~1 ms for 100 versions). The daemon passes its reader pool:
  // not the io thread, which serves requests, and not the writer thread, where decoding page N+1
  // would queue behind the commit of page N that it is meant to overlap. Empty: decode inline.
  std::optional<boost::asio::any_io_executor> decoder;
};

// Called with progress lines during long walks (and the summary at the end).
using progress_fn = std::function<void(const std::string& line)>;

class syncer {
 public:
  // Every store access is a job on `db`, the writer thread.
  syncer(upstream::client& client, runtime::writer_shell& db, sync_options options, environment env,
         progress_fn progress = {});

  boost::asio::awaitable<run_report> run_once();

  // Asks a running run to stop before its next request (it then fails with "stopped").
  void request_stop() { stop_requested_ = true; }

 private:
  struct fetched {
    std::optional<json::decoded_batch> batch;  // nullopt with error set on failure
    std::string error;
  };
  struct answer {
    unsigned status = 0;  // 200, or one of the statuses the caller passes through
    std::string error;    // set: the request failed for good (after retries)
  };
  using version_keys = std::set<std::pair<std::string, std::string>, std::less<>>;
  // `accept` reads a 200 body (on env.decoder when set) and says "" or why it is unusable.
  boost::asio::awaitable<answer> fetch(std::string target, run_report& report, std::vector<unsigned> pass,
                                       std::function<std::string(std::string&)> accept);
  boost::asio::awaitable<fetched> fetch_list(std::string target, run_report& report,
                                             bool not_found_is_empty);
  // Every page of the listing (or those updated since); with `seen`, the keys of every row.
  boost::asio::awaitable<std::optional<std::string>> walk(bool full, std::int64_t since_us,
                                                          run_report& report,
                                                          std::set<std::string>& touched,
                                                          version_keys* seen = nullptr);
  boost::asio::awaitable<std::optional<std::string>> sync_registry(const store::sync_state& state,
                                                                   run_report& report);
  // Records the outcome (a failure in mirror_state with what a refused parent taught) and ends.
  boost::asio::awaitable<run_report> finish_run(run_report report, std::optional<std::string> failure,
                                                std::optional<std::string> thrown, store::sync_state learned);
  // Replicas (sync/replica.cpp).
  struct probe_result {
    std::optional<parent_info> parent;  // nullopt: a registry, not a mirror (404)
    std::string error;
  };
  boost::asio::awaitable<probe_result> probe_parent(run_report& report);
  boost::asio::awaitable<std::optional<std::string>> replicate(const store::sync_state& state,
                                                               const parent_info& parent, run_report& report);
  boost::asio::awaitable<std::optional<std::string>> follow_feed(std::int64_t since, std::int64_t until,
                                                                 run_report& report,
                                                                 std::set<std::string>& names,
                                                                 std::int64_t& last_seq, bool& gone);
  boost::asio::awaitable<std::optional<std::string>> copy_names(const std::set<std::string>& names,
                                                                run_report& report);
  boost::asio::awaitable<std::optional<std::string>> refetch_latest(
      const std::set<std::string>& names, run_report& report, std::vector<store::incoming>& rows);
  void add(const store::apply_result& applied, run_report& report);
  boost::asio::awaitable<store::apply_result> apply(std::vector<store::incoming> rows,
                                                    store::apply_options options, std::int64_t now);

  upstream::client& client_;
  runtime::writer_shell& db_;
  sync_options opt_;
  environment env_;
  progress_fn progress_;
  rate_limiter limiter_;
  backoff backoff_;
  bool stop_requested_ = false;
  bool relay_meta_ = false;  // this run copies a parent mirror (keep its `_meta` blocks)
};

}  // namespace mirror::sync
