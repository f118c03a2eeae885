#include "sync/syncer.hpp"

// GCC 12 inlines Asio 1.81's coroutine-frame allocator (std::aligned_alloc) and its matching
// free into the frame's operator new/delete, then reports the pair as mismatched. It is a known
// false positive (the frame is allocated and freed by the same recycling allocator; ASan, which
// checks the real pairing, runs this file clean). Silenced here, where it fires, so -Werror can
// hold everywhere else.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/multiple_exceptions.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "store/error.hpp"
#include "upstream/targets.hpp"
#include "util/run_on.hpp"

namespace mirror::sync {

namespace asio = boost::asio;

namespace {

std::vector<store::incoming> to_rows(json::decoded_batch& batch) {
  std::vector<store::incoming> rows;
  rows.reserve(batch.entries.size());
  for (auto& e : batch.entries) rows.push_back({std::move(e.version), e.has_official});
  return rows;
}

// What ended a run by throwing: a database step ("database: <file>: database is locked"), or
// anything else, which is a bug here and says so rather than blaming the disk. A page commit
// that fails while the next page is fetched (`&&`) cancels the fetch, and Asio reports both as
// multiple_exceptions, whose first is the cause.
std::string describe(std::exception_ptr e) {
  if (!e) return "internal error: unknown";
  try {
    std::rethrow_exception(e);
  } catch (const asio::multiple_exceptions& m) {
    return describe(m.first_exception());
  } catch (const store::error& x) {
    return fmt::format("database: {}", x.what());
  } catch (const std::exception& x) {
    return fmt::format("internal error: {}", x.what());
  } catch (...) {
    return "internal error: unknown";
  }
}

// "90s", or "500ms" below a whole second (tests use short deadlines).
std::string seconds_text(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return fmt::format("{}s", d.count() / 1000);
  return fmt::format("{}ms", d.count());
}

}  // namespace

syncer::syncer(upstream::client& client, runtime::writer_shell& db, sync_options options, environment env,
               progress_fn progress)
    : client_(client),
      db_(db),
      opt_(std::move(options)),
      env_(std::move(env)),
      progress_(std::move(progress)),
      limiter_(opt_.max_requests_per_second),
      backoff_(opt_.backoff_initial, opt_.backoff_max, env_.seed) {}

// One transaction on the writer thread.
asio::awaitable<store::apply_result> syncer::apply(std::vector<store::incoming> rows,
                                                   store::apply_options options, std::int64_t now) {
  // Locals, not the parameters, in the lambda: GCC 12 lets a lambda in a coroutine capture a
  // parameter's original rather than the frame's copy.
  auto page = std::move(rows);
  auto opts = std::move(options);
  const std::int64_t at = now;
  opts.origin = opt_.source;
  co_return co_await db_.run("sync page", [&](store::writer& w) {
    return w.apply(page, model::source::upstream, at, opts);
  });
}

void syncer::add(const store::apply_result& a, run_report& r) {
  r.added += a.added;
  r.changed += a.changed;
  r.unchanged += a.unchanged;
  r.status_changes += a.status_changes;
  r.latest_moved += a.latest_moved;
  r.removed_seed += a.removed;
}

// One request with pacing and retries. A 4xx other than 429 is not retried: asking again will
// not help, and the run should say so at once; `pass` lists the statuses the caller handles
// itself (404, 410), returned as they are. A 200 body goes to `accept`, which says "" or why
// the body is unusable (retried like a 5xx: a truncated page is usually transient).
asio::awaitable<syncer::answer> syncer::fetch(std::string target, run_report& report, std::vector<unsigned> pass,
                                              std::function<std::string(std::string&)> accept) {
  const auto read_body = std::move(accept);  // a local: see apply()
  for (int attempt = 0;; ++attempt) {
    if (stop_requested_) co_return answer{0, "stopped"};
    if (env_.now() - report.started_us > opt_.run_deadline.count() * 1000)
      co_return answer{0, fmt::format("run deadline of {} passed", seconds_text(opt_.run_deadline))};
    if (auto d = limiter_.delay_before(env_.now()); d.count() > 0) co_await env_.wait(d);
    limiter_.record(env_.now());
    ++report.requests;
    auto res = co_await client_.get(target);

    std::string problem;
    std::optional<std::chrono::milliseconds> delay;
    if (res.ok()) {
      if (env_.decoder)
        problem = co_await util::run_on(*env_.decoder, [&read_body, &res] { return read_body(res.body); });
      else
        problem = read_body(res.body);
      if (problem.empty()) co_return answer{200, {}};
    } else if (res.error) {
      problem = "transport error: " + res.error.message();
    } else if (res.status == 429) {
      ++report.throttled;
      problem = "HTTP 429 Too Many Requests";
      if (res.retry_after) {
        if (*res.retry_after > opt_.retry_after_max)
          co_return answer{0, fmt::format("upstream asked to retry after {}s for {}", res.retry_after->count(),
                                          target)};
        delay = *res.retry_after;
      }
    } else if (res.status >= 500) {
      problem = fmt::format("HTTP {}", res.status);
    } else if (res.status >= 300 && res.status < 400) {
      // Not followed: the mirror talks to the upstream it was configured with, and a redirect to
      // elsewhere (a moved registry, a captive portal, a hijacked name) is the operator's call.
      co_return answer{0, fmt::format("HTTP {} from upstream for {}: redirect to \"{}\" not followed (set "
                                      "upstream.url to the new location if it moved)",
                                      res.status, target, std::string_view(res.location).substr(0, 300))};
    } else if (std::find(pass.begin(), pass.end(), res.status) != pass.end()) {
      co_return answer{res.status, {}};
    } else {
      co_return answer{0, fmt::format("HTTP {} from upstream for {}", res.status, target)};
    }
    if (attempt + 1 >= opt_.max_attempts)
      co_return answer{0, fmt::format("{} for {} (gave up after {} attempts)", problem, target, attempt + 1)};
    ++report.retries;
    const auto wait_for = delay.value_or(backoff_.next(attempt));
    spdlog::warn("sync: {} for {}; retry {} in {} ms", problem, target, attempt + 1, wait_for.count());
    co_await env_.wait(std::chrono::duration_cast<std::chrono::microseconds>(wait_for));
  }
}

// A ServerList (a page, or a name's version list), decoded on env.decoder.
asio::awaitable<syncer::fetched> syncer::fetch_list(std::string target, run_report& report,
                                                    bool not_found_is_empty) {
  fetched out;
  const json::decode_options decode_options{.now_us = env_.now(), .keep_relayed_meta = relay_meta_};
  auto decode = [&out, decode_options](std::string& body) -> std::string {
    auto decoded = json::decode_server_list(body, decode_options);
    if (!decoded.batch) return "unparsable page: " + decoded.error;
    out.batch = std::move(decoded.batch);
    return {};
  };
  std::vector<unsigned> pass;  // named: GCC 12 miscompiles braced temporaries in co_await calls
  if (not_found_is_empty) pass.push_back(404);
  auto got = co_await fetch(std::move(target), report, std::move(pass), decode);
  if (!got.error.empty()) co_return fetched{std::nullopt, std::move(got.error)};
  if (got.status == 404) co_return fetched{json::decoded_batch{}, {}};
  co_return out;
}

// Page N is committed on the writer thread while page N+1 is fetched (io thread) and decoded
// (env.decoder, the reader pool in the daemon): the two costs overlap instead of adding up.
// Both finish before the next step, so a failed fetch still leaves page N committed whole, and
// nothing of page N+1 is written.
asio::awaitable<std::optional<std::string>> syncer::walk(bool full, std::int64_t since_us,
                                                         run_report& report,
                                                         std::set<std::string>& touched, version_keys* seen) {
  using namespace asio::experimental::awaitable_operators;
  upstream::page_request request;
  request.limit = opt_.page_limit;
  request.include_deleted = true;
  if (!full) request.updated_since_us = since_us;
  std::set<std::string> cursors;
  std::int64_t last_progress = report.started_us;
  auto page = co_await fetch_list(upstream::servers_page_target(request), report, false);
  for (;;) {
    if (!page.batch) co_return page.error;
    ++report.pages;
    report.versions_seen += page.batch->entries.size();
    report.skipped += page.batch->errors.size();
    for (const auto& e : page.batch->errors)
      spdlog::warn("sync: page {} entry {} skipped: {}", report.pages, e.index, e.reason);
    auto next = std::move(page.batch->next_cursor);
    auto rows = to_rows(*page.batch);
    if (seen)
      for (const auto& r : rows) seen->emplace(r.data.name, r.data.version);

    std::optional<std::string> stop;
    if (next && !cursors.insert(*next).second)
      stop = fmt::format("upstream repeated cursor \"{}\" at page {}", *next, report.pages);
    else if (next && report.pages >= opt_.max_pages)
      stop = fmt::format("page cap of {} pages reached; the upstream's cursor does not end", opt_.max_pages);

    store::apply_result applied;
    store::apply_options page_options;  // named: GCC 12 miscompiles braced temporaries in co_await calls
    const bool fetching_next = next && !stop;
    if (fetching_next) {
      request.cursor = std::move(next);
      auto [committed, following] = co_await (
          apply(std::move(rows), std::move(page_options), env_.now()) &&
          fetch_list(upstream::servers_page_target(request), report, false));
      applied = std::move(committed);
      page = std::move(following);
    } else {
      applied = co_await apply(std::move(rows), std::move(page_options), env_.now());
    }
    touched.merge(applied.changed_names);
    add(applied, report);

    const auto now = env_.now();
    if (progress_ && now - last_progress >= opt_.progress_every.count() * 1000) {
      const double elapsed = static_cast<double>(now - report.started_us) / 1e6;
      progress_(fmt::format("sync: page {}, {} versions, {:.0f} versions/s, {:.0f}s elapsed",
                            report.pages, report.versions_seen,
                            elapsed > 0 ? static_cast<double>(report.versions_seen) / elapsed : 0.0,
                            elapsed));
      last_progress = now;
    }
    if (stop) co_return stop;
    if (!fetching_next) co_return std::nullopt;  // no nextCursor: the walk is complete
  }
}

asio::awaitable<std::optional<std::string>> syncer::refetch_latest(const std::set<std::string>& names,
                                                                   run_report& report,
                                                                   std::vector<store::incoming>& rows) {
  for (const auto& name : names) {
    auto list = co_await fetch_list(upstream::versions_target(name), report, true);
    if (!list.batch) co_return list.error;
    ++report.latest_refetched;
    for (auto& r : to_rows(*list.batch))
      if (r.data.name == name) rows.push_back(std::move(r));
  }
  co_return std::nullopt;
}

asio::awaitable<run_report> syncer::run_once() {
  stop_requested_ = false;
  relay_meta_ = false;
  run_report report;
  report.source = opt_.source;
  report.started_us = env_.now();
  std::optional<std::string> failure;
  store::sync_state learned;  // a refused parent's id and ancestry, recorded with the failure
  // A failed database step (disk full, a lock held past busy_timeout, corruption), or any other
  // exception, ends the run like an upstream failure: the page's transaction rolled back, the
  // pages before it stay, the watermark does not move, and the scheduler runs again later. It
  // must not escape: that would end the scheduler's loop and no run would ever follow.
  std::optional<std::string> thrown;
  try {
    // A damaged watermark is a store::error ("database: ..."), not std::invalid_argument.
    const auto state =
        co_await db_.run("read the sync state", [this](store::writer& w) { return w.sync_state(opt_.source); });
    std::optional<parent_info> parent;
    if (opt_.replicate) {
      auto probed = co_await probe_parent(report);
      if (!probed.error.empty()) failure = std::move(probed.error);
      parent = std::move(probed.parent);
    }
    if (!failure && parent) {
      const auto own_id = co_await db_.run("read the instance id", [](store::writer& w) { return w.instance_id(); });
      failure = loop_error(*parent, own_id, opt_.upstream_url);
      if (failure)
        learned = {.parent_id = parent->instance_id, .ancestry = ancestry_text(*parent)};
      else
        failure = co_await replicate(state, *parent, report);
      report.ok = !failure;
    } else if (!failure) {
      failure = co_await sync_registry(state, report);
    }
  } catch (...) {
    thrown = describe(std::current_exception());
  }
  co_return co_await finish_run(std::move(report), std::move(failure), std::move(thrown), std::move(learned));
}

// The upstream is a registry (the official one, another vendor's, an mcp-mirror too old to
// answer /info): full walk, then `updated_since` increments.
asio::awaitable<std::optional<std::string>> syncer::sync_registry(const store::sync_state& state, run_report& report) {
  // A mirror that was a replica of this upstream walks everything again: its rows carry the
  // parent's blocks, which a registry walk replaces.
  report.full = !state.watermark_us || state.upstream != opt_.upstream_url || state.parent_seq.has_value();
  const std::int64_t since = report.full ? 0 : *state.watermark_us - opt_.margin.count() * 1000;

  std::set<std::string> touched;
  auto failure = co_await walk(report.full, since, report, touched);
  std::vector<store::incoming> final_rows;
  if (!failure && !report.full && touched.size() <= opt_.max_latest_refetch)
    failure = co_await refetch_latest(touched, report, final_rows);
  if (failure) co_return failure;
  store::apply_options finish;
  const auto now = env_.now();
  finish.drop_seed_rows = report.full;
  finish.sync = {.watermark_us = report.started_us,
                 .upstream = opt_.upstream_url,
                 .last_success_us = now,
                 .last_attempt_us = report.started_us,
                 .last_error = "",
                 .parent_id = "",
                 .ancestry = "",
                 .parent_seq = -1};
  auto applied = co_await apply(std::move(final_rows), std::move(finish), now);
  applied.unchanged = 0;  // re-read version lists are mostly rows the walk already counted
  add(applied, report);
  report.ok = true;
  co_return std::nullopt;
}

asio::awaitable<run_report> syncer::finish_run(run_report report, std::optional<std::string> failure,
                                               std::optional<std::string> thrown, store::sync_state learned) {
  if (thrown) {
    // Not written to mirror_state: most often the database just failed, so that write would
    // fail too (or wait out another busy_timeout). sync-status and the log carry it.
    report.ok = false;
    report.error = *thrown;
  } else if (failure) {
    report.error = *failure;
    store::apply_options finish;
    finish.sync = std::move(learned);
    finish.sync.last_attempt_us = report.started_us;
    finish.sync.last_error = report.error;
    try {
      std::vector<store::incoming> no_rows;
      co_await apply(std::move(no_rows), std::move(finish), env_.now());  // records the failure; the watermark stays
    } catch (...) {
      thrown = describe(std::current_exception());
    }
    if (thrown) spdlog::warn("sync: could not record the failed run in the database: {}", *thrown);
  }
  report.finished_us = env_.now();
  co_return report;
}

}  // namespace mirror::sync
