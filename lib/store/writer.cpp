#include "store/writer.hpp"

#include <map>
#include <set>
#include <vector>

#include <fmt/format.h>
#include <sqlite3.h>

#include "model/latest.hpp"
#include "model/timestamp.hpp"
#include "store/bulk_apply.hpp"
#include "store/change_seq.hpp"
#include "store/row_columns.hpp"
#include "store/transaction.hpp"

namespace mirror::store {

using detail::decode_row;

namespace {

bool same_official(const model::official_meta& a, const model::official_meta& b) {
  // isLatest is repaired per name afterwards, so it does not make a row "changed" here.
  return a.status == b.status && a.status_message == b.status_message &&
         a.status_changed_at.text == b.status_changed_at.text &&
         a.published_at.text == b.published_at.text && a.updated_at.text == b.updated_at.text;
}


}  // namespace

std::string_view to_string(change_kind k) {
  switch (k) {
    case change_kind::added: return "added";
    case change_kind::changed: return "changed";
    case change_kind::status_changed: return "status_changed";
    case change_kind::latest_moved: return "latest_moved";
    case change_kind::removed: return "removed";
    case change_kind::shown: return "shown";
    case change_kind::hidden: return "hidden";
    case change_kind::curated: return "curated";
  }
  return "changed";
}

writer::writer(connection conn)
    : conn_(std::move(conn)),
      curator_(std::make_shared<identity_curator>()),
      get_(conn_.handle(), fmt::format("SELECT {} FROM server_versions WHERE name = ?1 AND version = ?2 AND origin = ?3",
                                       detail::row_columns)),
      insert_(conn_.handle(),
              "INSERT INTO server_versions (name, version, server_json, status, status_message, "
              "status_changed_at, status_changed_at_us, published_at, published_at_us, updated_at, "
              "updated_at_us, is_latest, source, first_seen_us, last_changed_us, change_seq, relayed_meta, origin) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 0, ?12, ?13, ?13, ?14, ?15, ?16)"),
      update_(conn_.handle(),
              "UPDATE server_versions SET server_json = ?3, status = ?4, status_message = ?5, "
              "status_changed_at = ?6, status_changed_at_us = ?7, published_at = ?8, "
              "published_at_us = ?9, updated_at = ?10, updated_at_us = ?11, source = ?12, "
              "last_changed_us = ?13, change_seq = ?14, relayed_meta = ?15 "
              "WHERE name = ?1 AND version = ?2 AND origin = ?16"),
      touch_source_(conn_.handle(),
                    "UPDATE server_versions SET source = ?3 WHERE name = ?1 AND version = ?2 AND origin = ?4"),
      name_rows_(conn_.handle(),
                 "SELECT version, published_at_us, status, is_latest FROM server_versions "
                 "WHERE name = ?1 AND origin = ?2 ORDER BY published_at_us, rowid"),
      clear_latest_(conn_.handle(),
                    "UPDATE server_versions SET is_latest = 0, change_seq = ?2, last_changed_us = ?3 "
                    "WHERE name = ?1 AND origin = ?4 AND is_latest = 1"),
      set_latest_(conn_.handle(),
                  "UPDATE server_versions SET is_latest = 1, change_seq = ?3, last_changed_us = ?4 "
                  "WHERE name = ?1 AND version = ?2 AND origin = ?5"),
      any_(conn_.handle(), "SELECT 1 FROM server_versions LIMIT 1"),
      get_state_(conn_.handle(), "SELECT value FROM mirror_state WHERE key = ?1"),
      set_state_(conn_.handle(),
                 "INSERT INTO mirror_state (key, value) VALUES (?1, ?2) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
      drop_seed_(conn_.handle(), "DELETE FROM server_versions WHERE source = 'seed' AND origin = ?1"),
      seed_rows_(conn_.handle(), "SELECT name, version FROM server_versions WHERE source = 'seed' AND origin = ?1 "
                                 "ORDER BY name, version"),
      record_change_(conn_.handle(),
                     "INSERT INTO changes (seq, at_us, name, version, kind) VALUES (?1, ?2, ?3, ?4, ?5)"),
      prune_changes_(conn_.handle(), "DELETE FROM changes WHERE at_us < ?1"),
      // Through the time index: only the rows about to be pruned are read. Without INDEXED BY,
      // SQLite answers max(seq) by walking the whole feed backwards from the newest row, once per
      // apply (a profile of a 100k-version sync showed it as the largest cost).
      last_pruned_(conn_.handle(), "SELECT max(seq) FROM changes INDEXED BY changes_by_time WHERE at_us < ?1"),
      mirrored_rows_(conn_.handle(), fmt::format("SELECT {} FROM server_versions WHERE name = ?1 ORDER BY version",
                                                 detail::row_columns)),
      remove_row_(conn_.handle(), "DELETE FROM server_versions WHERE name = ?1 AND version = ?2 AND origin = ?3"),
      all_keys_(conn_.handle(),
                "SELECT name, version FROM server_versions WHERE origin = ?1 ORDER BY name, version"),
      served_rows_(conn_.handle(), fmt::format("SELECT {} FROM served_versions WHERE name = ?1 ORDER BY version",
                                               detail::select_columns({}, true))),
      served_upsert_(conn_.handle(),
                     "INSERT INTO served_versions (name, version, server_json, status, status_message, "
                     "status_changed_at, status_changed_at_us, published_at, published_at_us, updated_at, "
                     "updated_at_us, is_latest, source, first_seen_us, last_changed_us, change_seq, curation, "
                     "relayed_meta, origin, shadows) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20) "
                     "ON CONFLICT (name, version) DO UPDATE SET server_json = ?3, status = ?4, "
                     "status_message = ?5, status_changed_at = ?6, status_changed_at_us = ?7, "
                     "published_at = ?8, published_at_us = ?9, updated_at = ?10, updated_at_us = ?11, "
                     "is_latest = ?12, source = ?13, last_changed_us = ?15, change_seq = ?16, curation = ?17, "
                     "relayed_meta = ?18, origin = ?19, shadows = ?20"),
      served_delete_(conn_.handle(), "DELETE FROM served_versions WHERE name = ?1 AND version = ?2"),
      served_detach_(conn_.handle(),
                     "UPDATE served_versions SET server_json = ?3 "
                     "WHERE name = ?1 AND version = ?2 AND origin = ?4 AND server_json IS NULL"),
      served_clear_latest_(conn_.handle(),
                           "UPDATE served_versions SET is_latest = 0, change_seq = ?2, last_changed_us = ?3 "
                           "WHERE name = ?1 AND is_latest = 1"),
      all_names_(conn_.handle(), "SELECT name FROM server_names UNION SELECT name FROM served_names"),
      // Both walks seek their index past ?1 and the UNION merges them in order.
      names_after_(conn_.handle(),
                   "SELECT name FROM server_names WHERE name > ?1 UNION "
                   "SELECT name FROM served_names WHERE name > ?1 ORDER BY 1 LIMIT ?2"),
      count_names_(conn_.handle(),
                   "SELECT count(*) FROM (SELECT name FROM server_names UNION SELECT name FROM served_names)") {
  view_tables_ = std::make_unique<view_tables>(conn_.handle());
  catalog_ = std::make_unique<catalog_index>(conn_.handle());
  if (catalog_->rebuild_asked()) {  // a write lock only when there is something to write
    transaction tx(conn_);
    catalog_->rebuild();
    tx.commit();
  }
}

void writer::record(std::int64_t seq, std::int64_t now_us, std::string_view name,
                    std::optional<std::string_view> version, change_kind kind) {
  auto g = record_change_.run();
  g.bind(1, seq).bind(2, now_us).bind(3, name);
  if (version)
    g.bind(4, *version);
  else
    g.bind_null(4);
  g.bind(5, to_string(kind)).exec();
}

writer writer::open(const std::filesystem::path& file) {
  return writer(connection::open(file, open_mode::read_write));
}

bool writer::empty() {
  auto g = any_.run();
  return !g.step();
}

std::optional<std::string> writer::state(std::string_view key) {
  auto g = get_state_.run();
  g.bind(1, key);
  if (!g.step()) return std::nullopt;
  return std::string(g.text(0));
}

void writer::set_state(std::string_view key, std::string_view value) {
  set_state_.run().bind(1, key).bind(2, value).exec();
}

std::int64_t writer::count_non_seed_versions() {
  statement count(conn_.handle(), "SELECT count(*) FROM server_versions WHERE source <> 'seed'");
  auto g = count.run();
  return g.step() ? g.integer(0) : 0;
}

std::int64_t writer::change_seq() { return change_seq_value(state("change_seq").value_or("0")); }

void writer::prune_changes(std::int64_t now_us) {
  const std::int64_t cutoff = now_us - change_retention_.count();
  for (const auto& v : views_) {
    const auto pruned = view_tables_->prune(v.name, cutoff);
    const auto view_key = "view." + v.name + ".pruned_through";
    if (pruned && *pruned > stored_integer(view_key, state(view_key).value_or("0")))
      set_state(view_key, std::to_string(*pruned));
  }
  std::optional<std::int64_t> last;
  {
    auto g = last_pruned_.run();
    g.bind(1, cutoff);
    if (g.step() && !g.is_null(0)) last = g.integer(0);
  }
  if (!last) return;
  constexpr std::string_view key = "changes.pruned_through";
  const auto before = stored_integer(key, state(key).value_or("0"));
  if (*last > before) set_state(key, std::to_string(*last));
  prune_changes_.run().bind(1, cutoff).exec();
}

std::string writer::instance_id() {
  constexpr std::string_view key = "instance.id";
  if (auto id = state(key); id && !id->empty()) return *id;
  conn_.exec("INSERT OR REPLACE INTO mirror_state (key, value) VALUES ('instance.id', lower(hex(randomblob(16))))");
  return state(key).value_or("");
}

store::sync_state writer::sync_state(std::string_view origin) { return detail::read_sync_state(get_state_, origin); }

void writer::set_page_limit(std::int64_t pages) {
  conn_.exec(fmt::format("PRAGMA max_page_count = {}", pages));
}

writer::apply_outcome writer::apply_one(const incoming& in, model::source source, std::string_view origin,
                                        std::int64_t now_us, std::int64_t seq, apply_result& result) {
  const auto& d = in.data;
  std::optional<row> existing;
  {
    auto g = get_.run();
    g.bind(1, std::string_view(d.name)).bind(2, std::string_view(d.version)).bind(3, origin);
    if (g.step()) existing = decode_row(g);
  }
  const auto source_text = model::to_string(source);

  model::official_meta official = d.official;
  if (existing) {
    const auto& old = existing->data;
    if (!in.authoritative) {
      // A bare server.json carries no lifecycle data: keep what the mirror knows, and treat a
      // byte change as an edit (upstream bumps updatedAt on an edit, docs/upstream-api.md:
      // Incremental sync and latest).
      official = old.official;
      if (old.server_json != d.server_json) official.updated_at = model::make_timestamp(now_us);
    }
    if (old.official.status != official.status) ++result.status_changes;
    if (old.server_json == d.server_json && same_official(old.official, official) &&
        (old.relayed_meta == d.relayed_meta || !in.authoritative)) {
      ++result.unchanged;
      if (existing->source == source) return apply_outcome::unchanged;
      touch_source_.run().bind(1, std::string_view(d.name)).bind(2, std::string_view(d.version))
          .bind(3, source_text).bind(4, origin).exec();
      return apply_outcome::source_only;
    }
  }

  if (existing && existing->data.server_json != d.server_json) {
    // The served row may share these bytes (0006): give it its own copy of what it served, so
    // the refresh of this name later in the transaction compares against it.
    served_detach_.run()
        .bind(1, std::string_view(d.name))
        .bind(2, std::string_view(d.version))
        .bind(3, std::string_view(existing->data.server_json))
        .bind(4, origin)
        .exec();
    for (const auto& v : views_)
      view_tables_->detach(v.name, d.name, d.version, origin, existing->data.server_json);
  }
  // A bare server.json keeps the row's relayed blocks (bound by reference: SQLite reads it at exec).
  const std::optional<std::string>& relayed =
      in.authoritative || !existing ? d.relayed_meta : existing->data.relayed_meta;
  auto& stmt = existing ? update_ : insert_;
  auto g = stmt.run();
  detail::bind_version(g, d, official)
      .bind(12, source_text)
      .bind(13, now_us)
      .bind(14, seq)
      .bind(15, relayed)
      .bind(16, origin);
  g.exec();
  ++(existing ? result.changed : result.added);
  return apply_outcome::changed;
}

bool writer::repair_latest(std::string_view name, std::string_view origin, const name_hints& hints,
                           std::int64_t seq, std::int64_t now_us) {
  struct entry {
    std::string version;
    std::int64_t published_us;
    bool deleted;
    bool latest;
  };
  std::vector<entry> rows;
  {
    auto g = name_rows_.run();
    g.bind(1, name).bind(2, origin);
    while (g.step())
      rows.push_back({std::string(g.text(0)), g.integer(1), g.text(2) == "deleted", g.integer(3) != 0});
  }
  std::optional<std::string> current;
  for (const auto& r : rows)
    if (r.latest) current = r.version;

  std::optional<std::string> target;
  auto exists = [&](const std::string& v) {
    for (const auto& r : rows)
      if (r.version == v) return true;
    return false;
  };
  if (hints.declared_latest && exists(*hints.declared_latest)) {
    target = hints.declared_latest;
  } else if (hints.all_authoritative && current && !hints.declared_not_latest.count(*current)) {
    // The upstream said nothing against the stored flag: it stands (a flag flip does not bump
    // updatedAt upstream, so an incremental page cannot tell us more, docs/upstream-api.md:
    // Incremental sync and latest).
    target = current;
  } else {
    std::vector<model::latest_candidate> candidates;
    candidates.reserve(rows.size());
    for (const auto& r : rows) candidates.push_back({r.version, r.published_us, r.deleted});
    if (auto i = model::pick_latest(candidates)) target = rows[*i].version;
  }
  if (target == current) return false;
  clear_latest_.run().bind(1, name).bind(2, seq).bind(3, now_us).bind(4, origin).exec();
  if (target)
    set_latest_.run()
        .bind(1, name)
        .bind(2, std::string_view(*target))
        .bind(3, seq)
        .bind(4, now_us)
        .bind(5, origin)
        .exec();
  return true;
}

apply_result writer::apply(std::span<const incoming> rows, model::source source, std::int64_t now_us,
                           const apply_options& options) {
  bulk_apply batch(*this, source, now_us, options);
  batch.add(rows);
  return batch.commit();
}

}  // namespace mirror::store
