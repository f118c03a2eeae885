// Exact replicas: when the upstream is another mcp-mirror (it answers /v0.1/x/<ns>/info), this
// mirror copies its served view, not just what `updated_since` shows. Hides, shows, curation
// changes and isLatest-only flips do not bump updatedAt, but they are in the parent's change
// feed: each run reads the feed from the sequence it copied up to, then re-reads the version
// list of every name the feed mentions and makes the name's rows exactly that list (versions
// the parent no longer serves are removed). A first run, a new parent, a position older than the
// parent's retention (410 Gone) or too many changed names take a full walk instead, which
// removes every row the parent did not list. The parent's own `_meta` blocks are kept per row
// and served back verbatim, so a replica's pages are byte-identical to its parent's.
//
// Loops (A follows B follows A) are refused before anything is written: the parent's /info
// lists the instance ids upstream of it (its ancestry); one that holds this mirror's own id is a
// loop. The refused run still records what it learned, so the parent's next run sees the loop
// from its side too.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"  // see syncer.cpp
#endif

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "sync/syncer.hpp"
#include "upstream/targets.hpp"

namespace mirror::sync {

namespace asio = boost::asio;

namespace {

constexpr int feed_limit = 100;
constexpr std::size_t names_per_transaction = 100;

}  // namespace

asio::awaitable<syncer::probe_result> syncer::probe_parent(run_report& report) {
  probe_result out;
  std::string not_a_mirror;
  // Only a valid document makes the upstream a parent. Anything else at that path (a mock
  // server answering every route, another product's extension) is not an mcp-mirror: synced as
  // a registry, not retried.
  auto read = [&out, &not_a_mirror](std::string& body) -> std::string {
    auto parsed = parse_parent_info(body);
    if (auto* e = std::get_if<std::string>(&parsed))
      not_a_mirror = std::move(*e);
    else
      out.parent = std::get<parent_info>(std::move(parsed));
    return {};
  };
  // A registry answers an unknown path with a 4xx: 404 usually, but 400, 401, 403, 405... are not
  // "retry later" either. Any of them means "not a mirror".
  std::vector<unsigned> pass;  // named: GCC 12 miscompiles braced temporaries in co_await calls
  for (unsigned s = 400; s < 500; ++s)
    if (s != 429) pass.push_back(s);
  auto got = co_await fetch(upstream::extension_target(opt_.parent_namespace, "info"), report, std::move(pass), read);
  out.error = std::move(got.error);
  if (got.status != 200) out.parent.reset();
  if (!not_a_mirror.empty())
    spdlog::warn("sync: {} answers /info but not as an mcp-mirror ({}): syncing it as a registry", opt_.upstream_url,
                 not_a_mirror);
  co_return out;
}

asio::awaitable<std::optional<std::string>> syncer::follow_feed(std::int64_t since, std::int64_t until,
                                                                run_report& report, std::set<std::string>& names,
                                                                std::int64_t& last_seq, bool& gone) {
  last_seq = since;
  // Up to the position /info gave (later changes are the next run's), and never more pages than
  // a walk may take: a parent whose feed repeats names under new numbers cannot hold a run.
  for (std::size_t pages = 0; last_seq < until; ++pages) {
    if (pages >= opt_.max_pages)
      co_return fmt::format("the parent's change feed passed the page cap of {} pages", opt_.max_pages);
    feed_page page;
    auto read = [&page, since = last_seq](std::string& body) -> std::string {
      auto parsed = parse_feed_page(body, since, feed_limit);
      if (auto* e = std::get_if<std::string>(&parsed)) return std::move(*e);
      page = std::get<feed_page>(std::move(parsed));
      return {};
    };
    const auto target = upstream::extension_target(
        opt_.parent_namespace, fmt::format("changes?since={}&limit={}", last_seq, feed_limit));
    std::vector<unsigned> pass(1, 410);
    auto got = co_await fetch(target, report, std::move(pass), read);
    if (!got.error.empty()) co_return std::move(got.error);
    if (got.status == 410) {
      gone = true;  // the parent pruned changes this mirror has not copied
      co_return std::nullopt;
    }
    ++report.pages;
    for (auto& n : page.names) names.insert(std::move(n));
    last_seq = page.last_seq;
    if (!page.full || names.size() > opt_.max_replica_names) co_return std::nullopt;
  }
  co_return std::nullopt;
}

asio::awaitable<std::optional<std::string>> syncer::copy_names(const std::set<std::string>& names,
                                                               run_report& report) {
  std::vector<store::incoming> rows;
  store::apply_options batch;
  for (auto it = names.begin(); it != names.end();) {
    const auto& name = *it++;
    auto list = co_await fetch_list(upstream::versions_target(name), report, true);  // 404: none served
    if (!list.batch) co_return list.error;
    ++report.latest_refetched;
    report.versions_seen += list.batch->entries.size();
    report.skipped += list.batch->errors.size();
    // A version list with a bad entry would make the copy of this name incomplete, and the
    // replace below would then remove a version the parent serves.
    if (!list.batch->errors.empty())
      co_return fmt::format("the parent's version list of {} has {} unreadable entries (first: {})", name,
                            list.batch->errors.size(), list.batch->errors.front().reason);
    for (auto& e : list.batch->entries)
      if (e.version.name == name) rows.push_back({std::move(e.version), e.has_official});
    batch.replace_names.insert(name);
    if (batch.replace_names.size() < names_per_transaction && it != names.end()) continue;
    auto these_rows = std::move(rows);
    auto these = std::move(batch);
    rows.clear();
    batch = store::apply_options();
    add(co_await apply(std::move(these_rows), std::move(these), env_.now()), report);
  }
  co_return std::nullopt;
}

asio::awaitable<std::optional<std::string>> syncer::replicate(const store::sync_state& state,
                                                              const parent_info& parent, run_report& report) {
  report.replica = true;
  relay_meta_ = true;
  // A parent whose feed is behind what was copied (restored from a backup) is walked again too.
  report.full = !state.parent_seq || state.parent_id != parent.instance_id || state.upstream != opt_.upstream_url ||
                parent.seq < *state.parent_seq;
  std::int64_t copied_to = parent.seq;
  store::apply_options finish;
  if (!report.full) {
    std::set<std::string> names;
    bool gone = false;
    if (auto e = co_await follow_feed(*state.parent_seq, parent.seq, report, names, copied_to, gone)) co_return e;
    if (gone) spdlog::warn("sync: the parent pruned changes after seq {}: walking everything", *state.parent_seq);
    report.full = gone || names.size() > opt_.max_replica_names;
    if (!report.full)
      if (auto e = co_await copy_names(names, report)) co_return e;
  }
  if (report.full) {
    // From the position read before the walk: changes made during it are read by the next run.
    copied_to = parent.seq;
    auto seen = std::make_shared<version_keys>();
    std::set<std::string> touched;
    if (auto e = co_await walk(true, 0, report, touched, seen.get())) co_return e;
    // An entry the walk could not read is not in `seen`: removing "what the parent did not list"
    // would then remove a version it serves.
    if (report.skipped > 0)
      co_return fmt::format("{} unreadable entries in the parent's pages; nothing removed, the next run walks again",
                            report.skipped);
    finish.keep_only = std::move(seen);
  }
  const auto now = env_.now();
  finish.sync = {.watermark_us = report.started_us,
                 .upstream = opt_.upstream_url,
                 .last_success_us = now,
                 .last_attempt_us = report.started_us,
                 .last_error = "",
                 .parent_id = parent.instance_id,
                 .ancestry = ancestry_text(parent),
                 .parent_seq = copied_to};
  std::vector<store::incoming> no_rows;
  add(co_await apply(std::move(no_rows), std::move(finish), now), report);
  co_return std::nullopt;
}

}  // namespace mirror::sync
