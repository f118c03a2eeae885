#include "store/view_tables.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "store/row_columns.hpp"

namespace mirror::store {

view_tables::view_tables(sqlite3* db)
    : db_(db),
      delta_(db, fmt::format("SELECT hidden, version, {} FROM view_versions WHERE view = ?1 AND name = ?2",
                             detail::select_columns({}, true, "view_versions"))),
      put_(db,
           "INSERT OR REPLACE INTO view_versions (name, version, server_json, status, status_message, "
           "status_changed_at, status_changed_at_us, published_at, published_at_us, updated_at, updated_at_us, "
           "is_latest, source, first_seen_us, last_changed_us, change_seq, curation, relayed_meta, origin, shadows, "
           "view, hidden) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, 0)"),
      hide_(db, "INSERT OR REPLACE INTO view_versions (view, name, version, hidden) VALUES (?1, ?2, ?3, 1)"),
      erase_(db, "DELETE FROM view_versions WHERE view = ?1 AND name = ?2 AND version = ?3"),
      record_(db, "INSERT INTO view_changes (view, seq, at_us, name, version, kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
      detach_(db,
              "UPDATE view_versions SET server_json = ?4 WHERE view = ?1 AND name = ?2 AND version = ?3 "
              "AND origin = ?5 AND hidden = 0 AND server_json IS NULL"),
      names_(db, "SELECT DISTINCT name FROM view_versions WHERE view = ?1 ORDER BY name"),
      // Through the time index, as writer's last_pruned_: otherwise SQLite walks the view's whole
      // feed backwards from its newest row for max(seq), once per transaction.
      prune_last_(db, "SELECT max(seq) FROM view_changes INDEXED BY view_changes_by_time WHERE view = ?1 AND at_us < ?2"),
      prune_(db, "DELETE FROM view_changes WHERE view = ?1 AND at_us < ?2") {}

std::vector<view_delta_row> view_tables::delta(std::string_view view, std::string_view name) {
  std::vector<view_delta_row> out;
  auto g = delta_.run();
  g.bind(1, view).bind(2, name);
  while (g.step()) {
    view_delta_row d{std::string(g.text(1)), std::nullopt};
    if (g.integer(0) == 0) d.shown = detail::decode_row(g, 2);
    out.push_back(std::move(d));
  }
  return out;
}

void view_tables::rewrite(std::string_view view, std::string_view name, std::span<const view_delta_row> before,
                          std::span<const view_delta_row> after, std::span<const row> mirrored) {
  std::map<std::string_view, const view_delta_row*> old;
  for (const auto& b : before) old.emplace(b.version, &b);
  for (const auto& a : after) {
    const auto it = old.find(a.version);
    if (it != old.end()) {
      const bool same = *it->second == a;  // the whole row, bookkeeping included
      old.erase(it);
      if (same) continue;
    }
    if (!a.shown) {
      hide_.run().bind(1, view).bind(2, name).bind(3, std::string_view(a.version)).exec();
      continue;
    }
    const row& r = *a.shown;
    const auto& o = r.data.official;
    auto g = put_.run();
    detail::bind_version(g, r.data, o);
    const bool local = r.source == model::source::local;
    const bool shares = !local && std::any_of(mirrored.begin(), mirrored.end(), [&](const row& m) {
      return m.origin == r.origin && m.data.version == r.data.version && m.data.server_json == r.data.server_json;
    });
    if (shares) g.bind_null(3);
    g.bind(12, std::int64_t{o.is_latest ? 1 : 0})
        .bind(13, model::to_string(r.source))
        .bind(14, r.first_seen_us)
        .bind(15, r.last_changed_us)
        .bind(16, r.change_seq)
        .bind(17, r.curation)
        .bind(18, r.data.relayed_meta)
        .bind(20, r.shadows)
        .bind(21, view);
    if (local)
      g.bind_null(19);
    else
      g.bind(19, std::string_view(r.origin));
    g.exec();
  }
  for (const auto& [version, _] : old) erase_.run().bind(1, view).bind(2, name).bind(3, version).exec();
}

void view_tables::record(std::string_view view, std::int64_t now_us, std::string_view name, const view_record& r) {
  auto g = record_.run();
  g.bind(1, view).bind(2, r.seq).bind(3, now_us).bind(4, name);
  if (r.version)
    g.bind(5, std::string_view(*r.version));
  else
    g.bind_null(5);
  g.bind(6, to_string(r.kind)).exec();
}

void view_tables::detach(std::string_view view, std::string_view name, std::string_view version,
                         std::string_view origin, std::string_view bytes) {
  detach_.run().bind(1, view).bind(2, name).bind(3, version).bind(4, bytes).bind(5, origin).exec();
}

std::vector<std::string> view_tables::names(std::string_view view) {
  std::vector<std::string> out;
  auto g = names_.run();
  g.bind(1, view);
  while (g.step()) out.emplace_back(g.text(0));
  return out;
}

std::vector<std::string> view_tables::stored_views() {
  statement s(db_,
              "SELECT view FROM view_versions UNION SELECT view FROM view_changes UNION "
              "SELECT substr(key, 6, length(key) - 10) FROM mirror_state WHERE key LIKE 'view.%.hash'");
  std::vector<std::string> out;
  auto g = s.run();
  while (g.step()) out.emplace_back(g.text(0));
  return out;
}

void view_tables::drop(std::string_view view) {
  for (const char* sql : {"DELETE FROM view_versions WHERE view = ?1", "DELETE FROM view_changes WHERE view = ?1",
                          "DELETE FROM mirror_state WHERE substr(key, 1, length(?1) + 6) = 'view.' || ?1 || '.'"}) {
    statement s(db_, sql);
    s.run().bind(1, view).exec();
  }
}

namespace {

// The columns view_versions shares with served_versions, in one order for both.
constexpr const char* shared_columns =
    "name, version, server_json, status, status_message, status_changed_at, status_changed_at_us, published_at, "
    "published_at_us, updated_at, updated_at_us, is_latest, source, first_seen_us, last_changed_us, change_seq, "
    "relayed_meta, origin, curation, shadows";

// A view's own row d that is the root's row s as it stands: the view would show s itself.
constexpr const char* same_as_root =
    "s.server_json IS d.server_json AND s.status IS d.status AND s.status_message IS d.status_message AND "
    "s.status_changed_at IS d.status_changed_at AND s.published_at IS d.published_at AND "
    "s.updated_at IS d.updated_at AND s.is_latest IS d.is_latest AND s.source IS d.source AND "
    "s.last_changed_us IS d.last_changed_us AND s.relayed_meta IS d.relayed_meta AND s.origin IS d.origin AND "
    "s.curation IS d.curation AND s.shadows IS d.shadows";

std::int64_t count_of(sqlite3* db, const std::string& sql, std::string_view view) {
  statement s(db, sql);
  auto g = s.run();
  g.bind(1, view);
  return g.step() ? g.integer(0) : 0;
}

void exec_for(sqlite3* db, const std::string& sql, std::string_view view) {
  statement s(db, sql);
  s.run().bind(1, view).exec();
}

}  // namespace

view_tables::overlay_cost view_tables::overlay_stats(std::string_view view, bool complete) {
  overlay_cost c;
  c.root_rows = count_of(db_, "SELECT count(*) FROM served_versions WHERE ?1 IS NOT NULL", view);
  // Root rows the view does not show exactly as they are: hidden, or replaced by its own row.
  const auto own_over_root = [&](bool same) {
    return count_of(db_,
                    fmt::format("SELECT count(*) FROM view_versions d JOIN served_versions s ON s.name = d.name "
                                "AND s.version = d.version WHERE d.view = ?1 AND d.hidden = 0 AND {}({})",
                                same ? "" : "NOT ", same_as_root),
                    view);
  };
  if (complete)
    c.overridden = c.root_rows - own_over_root(true);
  else
    c.overridden = count_of(db_, "SELECT count(*) FROM view_versions WHERE view = ?1 AND hidden = 1", view) +
                   own_over_root(false);
  return c;
}

void view_tables::make_complete(std::string_view view) {
  exec_for(db_,
           fmt::format("INSERT INTO view_versions (view, hidden, {0}) SELECT ?1, 0, {0} FROM served_versions s "
                       "WHERE NOT EXISTS (SELECT 1 FROM view_versions d WHERE d.view = ?1 AND d.name = s.name "
                       "AND d.version = s.version)",
                       shared_columns),
           view);
  exec_for(db_, "DELETE FROM view_versions WHERE view = ?1 AND hidden = 1", view);
}

void view_tables::make_overlay(std::string_view view) {
  exec_for(db_,
           "INSERT INTO view_versions (view, name, version, hidden) SELECT ?1, s.name, s.version, 1 "
           "FROM served_versions s WHERE NOT EXISTS (SELECT 1 FROM view_versions d WHERE d.view = ?1 "
           "AND d.name = s.name AND d.version = s.version)",
           view);
  exec_for(db_,
           fmt::format("DELETE FROM view_versions WHERE view = ?1 AND hidden = 0 AND EXISTS (SELECT 1 FROM "
                       "served_versions s, view_versions d WHERE d.view = ?1 AND d.name = view_versions.name AND "
                       "d.version = view_versions.version AND s.name = d.name AND s.version = d.version AND {})",
                       same_as_root),
           view);
}

std::optional<std::int64_t> view_tables::prune(std::string_view view, std::int64_t cutoff_us) {
  std::optional<std::int64_t> last;
  {
    auto g = prune_last_.run();
    g.bind(1, view).bind(2, cutoff_us);
    if (g.step() && !g.is_null(0)) last = g.integer(0);
  }
  if (last) prune_.run().bind(1, view).bind(2, cutoff_us).exec();
  return last;
}

}  // namespace mirror::store
