// The mirror's own endpoints under the extension prefix /v0.1/x/<namespace>/ (docs/upstream-api.md:
// Paths; clients must tolerate a missing extension), plus /metrics and /health's staleness report.
#include <algorithm>
#include <charconv>
#include <limits>

#include "api/bearer.hpp"
#include "api/handlers.hpp"
#include "api/list_params.hpp"
#include "api/problem.hpp"
#include "json/writer.hpp"
#include "model/timestamp.hpp"

namespace mirror::api::handlers {
namespace {

void time_member(json::writer& w, std::string_view key, const std::optional<std::int64_t>& us) {
  w.key(key);
  if (us)
    w.string(model::format_rfc3339(*us));
  else
    w.null();
}

}  // namespace

namespace {

// How long past its staleness limit a source's last success is; nullopt when it is fresh.
std::optional<std::int64_t> stale_for(const model::sync_status& s, std::int64_t now_us) {
  if (!s.enabled) return std::nullopt;
  if (!s.last_success_us) return -1;
  if (now_us - *s.last_success_us > s.staleness_limit_us) return now_us - *s.last_success_us;
  return std::nullopt;
}

void status_members(json::writer& w, const model::sync_status& s) {
  w.member("enabled", s.enabled).member("upstream", s.upstream).member("running", s.running);
  time_member(w, "lastAttempt", s.last_attempt_us);
  time_member(w, "lastSuccess", s.last_success_us);
  time_member(w, "watermark", s.watermark_us);
  time_member(w, "nextRun", s.next_run_us);
  w.member("lastError", s.last_error)
      .member("runs", static_cast<std::int64_t>(s.runs))
      .member("failures", static_cast<std::int64_t>(s.failures));
  w.key("lastRun");
  if (!s.last_run) {
    w.null();
    return;
  }
  const auto& r = *s.last_run;
  w.begin_object().member("ok", r.ok).member("full", r.full).member("replica", r.replica).member("error", r.error);
  time_member(w, "startedAt", r.started_us);
  time_member(w, "finishedAt", r.finished_us);
  w.member("pages", static_cast<std::int64_t>(r.pages))
      .member("versionsSeen", static_cast<std::int64_t>(r.versions_seen))
      .member("added", static_cast<std::int64_t>(r.added))
      .member("changed", static_cast<std::int64_t>(r.changed))
      .member("statusChanges", static_cast<std::int64_t>(r.status_changes))
      .member("unchanged", static_cast<std::int64_t>(r.unchanged))
      .member("latestMoved", static_cast<std::int64_t>(r.latest_moved))
      .member("removed", static_cast<std::int64_t>(r.removed_seed))
      .member("skipped", static_cast<std::int64_t>(r.skipped))
      .member("requests", static_cast<std::int64_t>(r.requests))
      .member("retries", static_cast<std::int64_t>(r.retries))
      .member("throttled", static_cast<std::int64_t>(r.throttled))
      .end_object();
}

}  // namespace

response health(const service_options& options, const mirror_hooks& hooks) {
  std::string body;
  json::writer w(body);
  w.begin_object();
  // Stale when any source is past its staleness limit; the stalest one is reported.
  std::optional<model::sync_status> stalest;
  std::int64_t worst = 0;
  if (hooks.sync_status && hooks.now_us) {
    const auto now = hooks.now_us();
    for (const auto& s : hooks.sync_status()) {
      const auto late = stale_for(s, now);
      if (!late) continue;
      const auto rank = *late < 0 ? std::numeric_limits<std::int64_t>::max() : *late;  // never synced: worst
      if (!stalest || rank > worst) stalest = s, worst = rank;
    }
  }
  w.member("status", stalest ? "stale" : "ok");
  if (!options.github_client_id.empty()) w.member("github_client_id", options.github_client_id);
  if (stalest) {
    // Still 200: the mirror keeps serving its last good data (aggregators are expected to ride
    // out upstream outages); monitors read `status`.
    time_member(w, "last_sync_success", stalest->last_success_us);
    w.member("last_sync_error", stalest->last_error);
    w.member("stale_source", stalest->source);
  }
  w.end_object();
  response r;
  r.body = std::move(body) + "\n";
  return r;
}

response sync_status(const mirror_hooks& hooks) {
  if (!hooks.sync_status) return problem(404, "Sync is not configured on this mirror");
  const auto all = hooks.sync_status();
  if (all.empty()) return problem(404, "Sync is not configured on this mirror");
  std::string body;
  json::writer w(body);
  // The first source's members at the top (what single-source clients read), then every source.
  w.begin_object();
  status_members(w, all.front());
  w.key("sources").begin_array();
  for (const auto& s : all) {
    w.begin_object().member("name", s.source);
    status_members(w, s);
    w.end_object();
  }
  w.end_array().end_object();
  response r;
  r.body = std::move(body) + "\n";
  return r;
}

response changes(const target& t, store::reader& db) {
  // Huma-style validation like GET /servers: every bad parameter listed in one 422.
  std::vector<error_detail> invalid;
  const auto asked = int_param(t, "since", 0, std::numeric_limits<std::int64_t>::max(), invalid);
  const auto since = asked.value_or(0);
  const auto limit = static_cast<int>(int_param(t, "limit", 1, 100, invalid).value_or(30));
  if (!invalid.empty()) return problem(422, "validation failed", invalid);

  std::vector<store::change> rows;
  {
    auto snapshot = db.snapshot();  // the pruning mark and the rows from one commit
    const auto pruned = db.changes_pruned_through();
    // Changes after `since` were pruned: a page from here would skip them silently. A follower
    // must start over with a full listing instead (a replica does). Without `since`, the feed
    // starts at its oldest change.
    if (asked && since < pruned)
      return problem(410, "since=" + std::to_string(since) +
                              " is older than this feed's retention: changes up to seq " + std::to_string(pruned) +
                              " were pruned. List every server again, then follow the feed from the current seq.");
    rows = db.changes(since, limit);
  }
  std::string body;
  json::writer w(body);
  w.begin_object().key("changes").begin_array();
  for (const auto& c : rows) {
    w.begin_object()
        .member("seq", c.seq)
        .member("time", model::format_rfc3339(c.at_us))
        .member("name", c.name);
    w.key("version");
    if (c.version)
      w.string(*c.version);
    else
      w.null();
    w.member("kind", c.kind).end_object();
  }
  w.end_array().key("metadata").begin_object();
  // A full page may have more behind it; a short one is the end of the feed for now (poll again
  // later with the last seq seen).
  if (!rows.empty() && static_cast<int>(rows.size()) == limit)
    w.member("nextCursor", std::to_string(rows.back().seq));
  w.member("count", static_cast<std::int64_t>(rows.size())).end_object().end_object();
  response r;
  r.body = std::move(body) + "\n";
  r.cacheable = true;  // a pure function of (target, change sequence), like the server pages
  return r;
}

response instance_info(const service_options& options, store::reader& db) {
  const auto& sources = options.sources;
  std::string id;
  std::int64_t seq = 0, pruned = 0;
  std::vector<store::sync_state> states;
  {
    auto snapshot = db.snapshot();
    id = db.instance_id();
    seq = db.change_seq();
    pruned = db.changes_pruned_through();
    for (const auto& s : sources) states.push_back(db.sync_state(s.first));
  }
  std::string body;
  json::writer w(body);
  w.begin_object()
      .member("version", options.version)
      .member("instanceId", id)
      .member("namespace", options.extension_namespace);
  w.key("sources").begin_array();
  // Every instance upstream of this one, nearest first, over all sources; a follower refuses to
  // sync when it finds its own id here (a loop).
  std::vector<std::string> ancestry;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const auto& st = states[i];
    // The parent's id only while this mirror replicates it from that URL.
    const bool replica = st.parent_id && !st.parent_id->empty() && st.upstream == sources[i].second;
    w.begin_object().member("name", sources[i].first).member("url", sources[i].second).key("parent");
    if (replica)
      w.string(*st.parent_id);
    else
      w.null();
    w.end_object();
    const std::string ids = st.ancestry.value_or("");
    for (std::size_t at = 0; at < ids.size();) {
      const auto end = std::min(ids.find(' ', at), ids.size());
      const std::string one = ids.substr(at, end - at);
      // At most 64 ids (what a follower accepts), nearest sources' first.
      if (!one.empty() && ancestry.size() < 64 && std::find(ancestry.begin(), ancestry.end(), one) == ancestry.end())
        ancestry.push_back(one);
      at = end + 1;
    }
  }
  w.end_array();
  w.key("changes").begin_object().member("seq", seq).member("prunedThrough", pruned).end_object();
  w.key("ancestry").begin_array();
  for (const auto& a : ancestry) w.string(a);
  w.end_array().end_object();
  response r;
  r.body = std::move(body) + "\n";
  return r;
}

namespace {

std::optional<response> unauthorized(std::string_view authorization, const mirror_hooks& hooks) {
  constexpr std::string_view bearer = "Bearer ";
  if (authorization.starts_with(bearer) && same_secret(authorization.substr(bearer.size()), hooks.admin_token))
    return std::nullopt;
  auto r = problem(401, "Missing or invalid bearer token");
  r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

}  // namespace

response reload_curation(std::string_view authorization, const mirror_hooks& hooks) {
  if (auto denied = unauthorized(authorization, hooks)) return std::move(*denied);
  const auto id = hooks.start_reload();
  response r;
  r.status = 202;
  r.body = hooks.reload_status(id).value_or("{}\n");
  r.headers.emplace_back("Location", "reload/" + std::to_string(id));  // relative to .../reload
  return r;
}

response reload_status(std::string_view authorization, std::string_view id, const mirror_hooks& hooks) {
  if (auto denied = unauthorized(authorization, hooks)) return std::move(*denied);
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
  std::optional<std::string> body;
  if (ec == std::errc() && end == id.data() + id.size()) body = hooks.reload_status(n);
  if (!body) return problem(404, "Reload job not found");
  response r;
  r.body = std::move(*body);
  return r;
}

response explain(const target& t, const mirror_hooks& hooks) {
  std::vector<error_detail> invalid;
  const auto name = t.param("name");
  const auto version = t.param("version");
  if (!name || name->empty()) invalid.push_back({"required query parameter is missing", "query.name", ""});
  if (!invalid.empty()) return problem(422, "validation failed", invalid);
  const auto body = hooks.explain(*name, version ? std::optional<std::string_view>(*version) : std::nullopt);
  if (!body) return problem(404, "Server not found");
  response r;
  r.body = *body;
  return r;
}

response trigger_sync(std::string_view authorization, const mirror_hooks& hooks) {
  if (auto denied = unauthorized(authorization, hooks)) return std::move(*denied);
  hooks.trigger_sync();
  response r;
  r.status = 202;
  json::writer(r.body).begin_object().member("status", "sync requested").end_object();
  r.body += '\n';
  return r;
}

response metrics(const mirror_hooks& hooks) {
  response r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = hooks.metrics_text();
  return r;
}

}  // namespace mirror::api::handlers
