#pragma once
// The oracle behind fake_upstream: the official registry's data and read-API semantics
// (docs/upstream-api.md: Request handling, Responses, Order and pagination, Incremental sync and
// latest) over an in-memory map. Deliberately independent of
// lib/api and lib/store, since the daemon is what gets tested against it. Mutations take the
// time they happen at (µs since the epoch); nothing here reads the wall clock.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <boost/url/parse.hpp>

#include "json/writer.hpp"
#include "model/latest.hpp"
#include "model/server_version.hpp"
#include "model/status.hpp"
#include "model/timestamp.hpp"
#include "model/version_order.hpp"

namespace mirror::test {

// How list pages end while an endless cursor is on: `fresh` hands out a new cursor every time,
// `repeat` hands back the cursor it was asked with. Either way a naive client never stops.
enum class endless { off, fresh, repeat };

struct fake_reply {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
};

class fake_registry {
 public:
  // A new (name, version), active, all three timestamps = now. It becomes latest only if it
  // compares greater than the current latest row (deleted or not), or is the name's first.
  void publish(const std::string& name, const std::string& version, std::int64_t now_us,
               std::optional<std::string> server_json = std::nullopt) {
    std::lock_guard lock(mutex_);
    if (version == "latest" || rows_.count({name, version}))
      throw std::invalid_argument("fake_upstream: cannot publish " + name + ":" + version);
    model::server_version v{name, version, server_json ? std::move(*server_json) : default_json(name, version), {}};
    v.official.published_at = v.official.updated_at = v.official.status_changed_at = model::make_timestamp(now_us);
    model::server_version* current = nullptr;
    for_name(name, [&](model::server_version& r) { if (r.official.is_latest) current = &r; });
    v.official.is_latest = !current || model::compare_versions(version, now_us, current->version,
                                                               current->official.published_at.us) > 0;
    if (v.official.is_latest && current) current->official.is_latest = false;  // updatedAt untouched
    rows_.emplace(std::pair{name, version}, std::move(v));
  }

  // The PATCH .../status semantics: bumps updatedAt (also for a message-only change),
  // statusChangedAt only when the status value changes, then recalculates latest for the name
  // without bumping any other row. Throws like upstream's 400s (no change; message with active).
  void set_status(const std::string& name, const std::string& version, model::status s,
                  std::optional<std::string> message, std::int64_t now_us) {
    std::lock_guard lock(mutex_);
    auto& o = at(name, version).official;
    if (s == model::status::active && message)
      throw std::invalid_argument("fake_upstream: statusMessage is not allowed with active");
    if (o.status == s && o.status_message == message)
      throw std::invalid_argument("fake_upstream: status change changes nothing");
    if (o.status != s) o.status_changed_at = model::make_timestamp(now_us);
    o.status = s;
    o.status_message = std::move(message);
    o.updated_at = model::make_timestamp(now_us);
    recalculate_latest(name);
  }
  void delete_version(const std::string& name, const std::string& version, std::int64_t now_us,
                      std::optional<std::string> message = std::nullopt) {
    set_status(name, version, model::status::deleted, std::move(message), now_us);
  }
  void restore(const std::string& name, const std::string& version, std::int64_t now_us) {
    set_status(name, version, model::status::active, std::nullopt, now_us);
  }

  // Moves isLatest to (name, version) without touching any updatedAt (the upstream quirk).
  void flip_latest_silently(const std::string& name, const std::string& version) {
    std::lock_guard lock(mutex_);
    at(name, version);
    for_name(name, [&](model::server_version& r) { r.official.is_latest = r.version == version; });
  }

  // The admin PUT: new server.json, updatedAt bumped.
  void edit_server_json(const std::string& name, const std::string& version, std::string json, std::int64_t now_us) {
    std::lock_guard lock(mutex_);
    auto& r = at(name, version);
    r.server_json = std::move(json);
    r.official.updated_at = model::make_timestamp(now_us);
  }

  // Every row, sorted by (name, version) bytewise.
  std::vector<model::server_version> snapshot() const {
    std::lock_guard lock(mutex_);
    std::vector<model::server_version> out;
    for (const auto& [k, v] : rows_) out.push_back(v);
    return out;
  }
  std::optional<model::server_version> find(const std::string& name, const std::string& version) const {
    std::lock_guard lock(mutex_);
    auto it = rows_.find({name, version});
    return it == rows_.end() ? std::nullopt : std::optional(it->second);
  }

  // The upstream's answer to `GET <target>` (origin-form, exactly as received).
  fake_reply answer(std::string_view target) {
    auto u = boost::urls::parse_origin_form(target);
    if (!u) return problem(400, "Bad Request", "Invalid request target");
    std::vector<std::string> segs(u->segments().begin(), u->segments().end());  // %2F decoded
    std::map<std::string, std::string> q;  // form-decoded; the first occurrence wins (Go's Get)
    for (auto p : u->params()) q.emplace(p.key, p.value);
    std::lock_guard lock(mutex_);
    if (segs.size() >= 2 && (segs[0] == "v0.1" || segs[0] == "v0") && segs[1] == "servers") {
      if (segs.size() == 2) return list(q);
      if ((segs.size() == 4 || segs.size() == 5) && segs[3] == "versions")
        return versions(segs[2], segs.size() == 5 ? &segs[4] : nullptr, q);
    }
    return problem(404, "Not Found", "Endpoint not found. See /docs for the API documentation.");
  }

 protected:
  mutable std::mutex mutex_;
  endless endless_ = endless::off;  // guarded by mutex_
  std::uint64_t fresh_cursors_ = 0;

 private:
  using params = std::map<std::string, std::string>;
  std::map<std::pair<std::string, std::string>, model::server_version> rows_;  // std::string '<' is bytewise

  static std::string default_json(const std::string& name, const std::string& version) {
    std::string out;
    json::writer(out).begin_object()
        .member("$schema", "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json")
        .member("name", name).member("description", "A test server").member("version", version).end_object();
    return out;
  }
  model::server_version& at(const std::string& name, const std::string& version) {
    auto it = rows_.find({name, version});
    if (it == rows_.end()) throw std::invalid_argument("fake_upstream: no such version " + name + ":" + version);
    return it->second;
  }
  template <class F> void for_name(const std::string& name, F f) {
    for (auto it = rows_.lower_bound({name, ""}); it != rows_.end() && it->first.first == name; ++it) f(it->second);
  }
  void recalculate_latest(const std::string& name) {
    std::vector<model::server_version*> rows;  // in publish order: a tie goes to the later publish
    for_name(name, [&](model::server_version& r) { rows.push_back(&r); });
    std::stable_sort(rows.begin(), rows.end(), [](auto* a, auto* b) {
      return a->official.published_at.us < b->official.published_at.us;
    });
    std::vector<model::latest_candidate> c;
    for (auto* r : rows) c.push_back({r->version, r->official.published_at.us, r->official.status == model::status::deleted});
    auto best = model::pick_latest(c);
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i]->official.is_latest = best && i == *best;
  }

  static fake_reply problem(unsigned status, std::string_view title, std::string_view detail) {
    fake_reply r{status, "application/problem+json", {}};
    json::writer(r.body).begin_object().member("title", title).member("status", static_cast<std::int64_t>(status))
        .member("detail", detail).end_object();
    r.body += '\n';
    return r;
  }
  static std::optional<bool> parse_bool(std::string_view s) {  // Go's strconv.ParseBool
    for (std::string_view t : {"1", "t", "T", "TRUE", "true", "True"}) if (s == t) return true;
    for (std::string_view f : {"0", "f", "F", "FALSE", "false", "False"}) if (s == f) return false;
    return std::nullopt;
  }
  // include_deleted: nullopt when absent, a 422 reply when not a bool.
  static std::optional<bool> include_deleted(const params& q, bool& bad) {
    auto it = q.find("include_deleted");
    if (it == q.end()) return std::nullopt;
    auto b = parse_bool(it->second);
    bad = !b;
    return b;
  }
  static void entry(json::writer& w, const model::server_version& v) {
    const auto& o = v.official;
    w.begin_object().key("server").raw(v.server_json).key("_meta").begin_object()
        .key("io.modelcontextprotocol.registry/official").begin_object()
        .member("status", model::to_string(o.status)).member("statusChangedAt", o.status_changed_at.text);
    if (o.status_message) w.member("statusMessage", *o.status_message);
    w.member("publishedAt", o.published_at.text).member("updatedAt", o.updated_at.text)
        .member("isLatest", o.is_latest).end_object().end_object().end_object();
  }
  static fake_reply server_list(const std::vector<const model::server_version*>& rows,
                                const std::optional<std::string>& next) {
    fake_reply r;
    json::writer w(r.body);
    w.begin_object().key("servers").begin_array();
    for (const auto* v : rows) entry(w, *v);
    w.end_array().key("metadata").begin_object();
    if (next) w.member("nextCursor", *next);
    w.member("count", static_cast<std::int64_t>(rows.size())).end_object().end_object();
    r.body += '\n';
    return r;
  }

  // GET /v0.1/servers (docs/upstream-api.md: Request handling, Order and pagination).
  fake_reply list(const params& q) {
    int limit = 30;
    if (auto it = q.find("limit"); it != q.end()) {
      const auto& s = it->second;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), limit);
      if (ec != std::errc() || p != s.data() + s.size() || limit < 1 || limit > 100)
        return problem(422, "Unprocessable Entity", "validation failed");
    }
    bool bad = false;
    auto deleted = include_deleted(q, bad);
    if (bad) return problem(422, "Unprocessable Entity", "validation failed");
    std::optional<std::int64_t> since;
    if (auto it = q.find("updated_since"); it != q.end()) {
      if (!(since = model::parse_rfc3339_us(it->second)))
        return problem(400, "Bad Request", "Invalid updated_since format: expected RFC3339 timestamp (e.g., 2025-08-07T13:15:04.280Z)");
      if (deleted == false)
        return problem(400, "Bad Request", "Cannot set include_deleted=false when using updated_since (incremental sync requires deleted servers)");
      deleted = true;
    }
    auto lower = [](std::string s) { for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c))); return s; };
    const std::string search = q.count("search") ? lower(q.at("search")) : "";
    const std::string* version = q.count("version") ? &q.at("version") : nullptr;
    const std::string* cursor = q.count("cursor") ? &q.at("cursor") : nullptr;
    // Keyset seek: (name, version) > cursor split at the first ':'; no ':' → name > cursor.
    auto it = rows_.begin();
    if (cursor) {
      auto colon = cursor->find(':');
      it = colon == std::string::npos ? rows_.lower_bound({*cursor + '\0', ""})
                                      : rows_.upper_bound({cursor->substr(0, colon), cursor->substr(colon + 1)});
    }
    std::vector<const model::server_version*> page;
    for (; it != rows_.end() && page.size() < static_cast<std::size_t>(limit); ++it) {
      const auto& v = it->second;
      if (!deleted.value_or(false) && v.official.status == model::status::deleted) continue;
      if (since && !(v.official.updated_at.us > *since)) continue;
      if (!search.empty() && lower(v.name).find(search) == std::string::npos) continue;
      if (version && (*version == "latest" ? !v.official.is_latest : v.version != *version)) continue;
      page.push_back(&v);
    }
    std::optional<std::string> next;
    if (page.size() == static_cast<std::size_t>(limit)) next = page.back()->name + ":" + page.back()->version;
    if (endless_ == endless::fresh && !next) next = "~endless-" + std::to_string(++fresh_cursors_);
    if (endless_ == endless::repeat && !next)
      next = cursor ? *cursor : page.empty() ? "~endless" : page.back()->name + ":" + page.back()->version;
    return server_list(page, next);
  }

  // GET /v0.1/servers/{name}/versions[/{version|latest}] (docs/upstream-api.md:
  // Incremental sync and latest).
  fake_reply versions(const std::string& name, const std::string* version, const params& q) {
    bool bad = false;
    const bool deleted = include_deleted(q, bad).value_or(false);
    if (bad) return problem(422, "Unprocessable Entity", "validation failed");
    std::vector<const model::server_version*> rows;
    for_name(name, [&](model::server_version& r) {
      if (version && (*version == "latest" ? !r.official.is_latest : r.version != *version)) return;
      if (deleted || r.official.status != model::status::deleted) rows.push_back(&r);
    });
    if (rows.empty()) return problem(404, "Not Found", "Server not found");
    if (!version) {  // newest publishedAt first, not paginated
      std::stable_sort(rows.begin(), rows.end(), [](auto* a, auto* b) {
        return a->official.published_at.us > b->official.published_at.us;
      });
      return server_list(rows, std::nullopt);
    }
    fake_reply r;
    json::writer w(r.body);
    entry(w, *rows.front());
    r.body += '\n';
    return r;
  }
};

}  // namespace mirror::test
