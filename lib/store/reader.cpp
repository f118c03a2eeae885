#include "store/reader.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include "store/change_seq.hpp"
#include "store/row_columns.hpp"
#include "store/list_shape.hpp"
#include "store/search_index.hpp"

namespace mirror::store {

using detail::decode_row;
using detail::select_columns;
using namespace detail;

namespace {

struct tables {
  std::string versions;
  const char* names;
  std::string columns;  // 20 columns; the mirrored table has no curation or shadows column
};

// The mirrored view reads one source's rows (0008_sources.sql): a source name is [a-z0-9_-].
tables tables_of(view v, std::string_view prefix = {}, std::string_view origin = "upstream") {
  if (v == view::served) return {"served_versions", "served_names", select_columns(prefix, true)};
  std::string quoted;
  for (const char c : origin) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return {"(SELECT * FROM server_versions WHERE origin = '" + quoted + "')", "server_names",
          select_columns(prefix, false)};
}

// Parameters are numbered by meaning, so one binding routine serves every shape:
// ?1 cursor name, ?2 cursor version, ?3 search pattern, ?4 updated_since, ?5 exact version,
// ?6 limit, ?7 the search's FTS5 query (store/search_index.hpp).
std::string list_sql(unsigned bits, view which, std::string_view origin) {
  const auto t = tables_of(which, {}, origin);
  // With `search`, the walk is driven by the small server_names table (0002_server_names.sql),
  // in name order from the cursor on: each name is tested once with mirror_contains and a match
  // seeks its versions through the (name, version) index. CROSS JOIN keeps names the outer loop,
  // so rows stream out already ordered and the walk stops after `limit` rows instead of
  // testing every name first.
  const bool search = bits & f_search;
  const std::string v = search ? "v." : "";
  std::string where;
  auto add = [&](const std::string& cond) {
    where += where.empty() ? " WHERE " : " AND ";
    where += cond;
  };
  if (search && (bits & (3u << 5))) add("n.name >= ?1");
  if ((bits & (3u << 5)) == f_cursor_name_version) add("(" + v + "name, " + v + "version) > (?1, ?2)");
  if ((bits & (3u << 5)) == f_cursor_name) add(v + "name > ?1");
  if (search) add("mirror_contains(n.name, ?3)");
  if (bits & f_updated_since) add(v + "updated_at_us > ?4");
  if (bits & f_search_indexed) {
    // The index gives the candidate names; SQLite walks them in name order (the IN list is a
    // sorted ephemeral table) and seeks each one's versions, so no sort, and mirror_contains
    // keeps the upstream's ASCII case folding exact.
    add("name IN (SELECT i.name FROM served_names_search s JOIN served_name_ids i ON i.id = s.rowid "
        "WHERE served_names_search MATCH ?7)");
    add("mirror_contains(name, ?3)");
  }
  if (bits & f_exact_version) add(v + "version = ?5");
  if (bits & f_latest_only) add(v + "is_latest = 1");
  if (!(bits & f_include_deleted)) add(v + "status <> 'deleted'");
  const bool keys = bits & f_keys_only;
  if (!search)
    return fmt::format("SELECT {} FROM {}{} ORDER BY name, version LIMIT ?6", keys ? "name, version" : t.columns,
                       t.versions, where);
  return fmt::format("SELECT {} FROM {} n CROSS JOIN {} v ON v.name = n.name{} "
                     "ORDER BY n.name, v.version LIMIT ?6",
                     keys ? "v.name, v.version" : tables_of(which, "v.", origin).columns, t.names, t.versions, where);
}

}  // namespace

reader::reader(connection conn, view v, std::string mirrored_origin)
    : conn_(std::move(conn)),
      view_(v),
      origin_(std::move(mirrored_origin)),
      versions_all_(conn_.handle(),
                    fmt::format("SELECT {} FROM {} WHERE name = ?1 "
                                "ORDER BY published_at_us DESC, version DESC",
                                tables_of(v, {}, origin_).columns, tables_of(v, {}, origin_).versions)),
      versions_visible_(conn_.handle(),
                        fmt::format("SELECT {} FROM {} WHERE name = ?1 AND status <> "
                                    "'deleted' ORDER BY published_at_us DESC, version DESC",
                                    tables_of(v, {}, origin_).columns, tables_of(v, {}, origin_).versions)),
      get_(conn_.handle(), fmt::format("SELECT {} FROM {} WHERE name = ?1 AND version = ?2",
                                       tables_of(v, {}, origin_).columns, tables_of(v, {}, origin_).versions)),
      latest_(conn_.handle(), fmt::format("SELECT {} FROM {} WHERE name = ?1 AND is_latest = 1",
                                          tables_of(v, {}, origin_).columns, tables_of(v, {}, origin_).versions)),
      count_versions_(conn_.handle(), fmt::format("SELECT count(*) FROM {}", tables_of(v, {}, origin_).versions)),
      count_names_(conn_.handle(), fmt::format("SELECT count(*) FROM {}", tables_of(v, {}, origin_).names)),
      change_seq_(conn_.handle(), change_seq_sql),
      changes_(conn_.handle(),
               "SELECT seq, at_us, name, version, kind FROM changes WHERE seq > ?1 ORDER BY seq LIMIT ?2"),
      mirrored_(conn_.handle(), fmt::format("SELECT {} FROM server_versions WHERE name = ?1 ORDER BY origin, version",
                                            tables_of(view::mirrored).columns)),
      state_(conn_.handle(), "SELECT value FROM mirror_state WHERE key = ?1"),
      serves_name_(conn_.handle(), v == view::served ? "SELECT 1 FROM served_names WHERE name = ?1"
                                                      : "SELECT 1 FROM server_names WHERE name = ?1"),
      begin_(conn_.handle(), "BEGIN"),
      commit_(conn_.handle(), "COMMIT") {}

reader reader::open(const std::filesystem::path& file, view v, std::uint64_t mmap_bytes,
                    std::string mirrored_origin) {
  auto conn = connection::open(file, open_mode::read_only);
  if (mmap_bytes > 0) conn.exec(fmt::format("PRAGMA mmap_size = {}", mmap_bytes));
  return reader(std::move(conn), v, std::move(mirrored_origin));
}

// Whether the trigram index answers this search: a query it can look up, and few enough
// candidate names that seeking each beats walking the names in order (search_index.hpp).
bool reader::use_search_index(const std::string& fts_query) {
  if (!search_probe_)
    search_probe_ = std::make_unique<statement>(
        conn_.handle(), fmt::format("SELECT count(*) FROM (SELECT 1 FROM served_names_search WHERE "
                                    "served_names_search MATCH ?1 LIMIT {})",
                                    indexed_search_max_candidates + 1));
  auto g = search_probe_->run();
  g.bind(1, std::string_view(fts_query));
  return g.step() && static_cast<std::size_t>(g.integer(0)) <= indexed_search_max_candidates;
}

statement& reader::list_statement(const model::list_query& q, bool indexed, bool keys_only) {
  unsigned bits = shape_of(q) | (keys_only ? unsigned{f_keys_only} : 0u);
  if (indexed) bits = (bits & ~unsigned{f_search}) | f_search_indexed;
  auto& slot = list_cache_.at(bits);
  if (!slot) slot = std::make_unique<statement>(conn_.handle(), list_sql(bits, view_, origin_));
  return *slot;
}

std::vector<row> reader::list(const model::list_query& q) {
  if (!overlay_.empty() && view_ == view::served) return view_list(q);
  return list_rows(q);
}

void reader::list_walk(const model::list_query& q, bool keys_only, const std::function<void(statement::guard&)>& each) {
  std::optional<std::string> fts_query;
  if (!q.search.empty() && view_ == view::served) fts_query = trigram_query(q.search);
  const bool indexed = fts_query && use_search_index(*fts_query);
  indexed_searches_ += indexed;
  auto g = list_statement(q, indexed, keys_only).run();
  bind_list_query(g, q);
  if (indexed) g.bind(7, std::string_view(*fts_query));
  while (g.step()) each(g);
}

std::vector<row> reader::list_rows(const model::list_query& q) {
  std::vector<row> rows;
  rows.reserve(static_cast<std::size_t>(q.limit));
  list_walk(q, false, [&](statement::guard& g) { rows.push_back(decode_row(g)); });
  return rows;
}

std::vector<row> reader::versions(std::string_view name, bool include_deleted) {
  if (!overlay_.empty()) {
    auto one_commit = snapshot();  // the view's rows and the root's from one commit
    auto rows = view_rows_of(name);
    if (!include_deleted) std::erase_if(rows, [](const row& r) { return r.data.official.status == model::status::deleted; });
    return rows;
  }
  auto g = (include_deleted ? versions_all_ : versions_visible_).run();
  g.bind(1, name);
  std::vector<row> rows;
  while (g.step()) rows.push_back(decode_row(g));
  return rows;
}

std::optional<row> reader::get(std::string_view name, std::string_view version,
                               bool include_deleted) {
  std::optional<read_snapshot> one_commit;  // a view's row, or the root's, from one commit
  if (!overlay_.empty()) {
    one_commit.emplace(*this);
    bool hidden = false;
    if (auto own = view_row(name, version, hidden); own || hidden) {
      if (hidden || (!include_deleted && own->data.official.status == model::status::deleted)) return std::nullopt;
      return own;
    }
    if (view_is_complete()) return std::nullopt;
  }
  auto g = get_.run();
  g.bind(1, name).bind(2, version);
  if (!g.step()) return std::nullopt;
  row r = decode_row(g);
  if (!include_deleted && r.data.official.status == model::status::deleted) return std::nullopt;
  return r;
}

std::optional<row> reader::latest(std::string_view name, bool include_deleted) {
  if (!overlay_.empty()) {
    auto one_commit = snapshot();
    if (view_is_complete()) return view_latest(name, include_deleted);
    // A name the view leaves as the root has it: the root's latest, one query.
    auto delta = view_delta_of(name);
    if (delta.empty() && !view_is_complete()) return latest_root(name, include_deleted);
    for (auto& r : view_rows_of(name, std::move(delta)))
      if (r.data.official.is_latest)
        return !include_deleted && r.data.official.status == model::status::deleted ? std::nullopt
                                                                                      : std::optional<row>(std::move(r));
    return std::nullopt;
  }
  return latest_root(name, include_deleted);
}

std::optional<row> reader::latest_root(std::string_view name, bool include_deleted) {
  auto g = latest_.run();
  g.bind(1, name);
  if (!g.step()) return std::nullopt;
  row r = decode_row(g);
  if (!include_deleted && r.data.official.status == model::status::deleted) return std::nullopt;
  return r;
}

std::vector<row> reader::mirrored_versions(std::string_view name) {
  auto g = mirrored_.run();
  g.bind(1, name);
  std::vector<row> rows;
  while (g.step()) rows.push_back(decode_row(g));
  return rows;
}

std::vector<std::string> reader::mirrored_names() {
  statement s(conn_.handle(), "SELECT name FROM server_names ORDER BY name");
  auto g = s.run();
  std::vector<std::string> names;
  while (g.step()) names.emplace_back(g.text(0));
  return names;
}

std::vector<change> reader::changes(std::int64_t since, int limit) {
  if (!overlay_.empty() && !view_changes_)
    view_changes_ = std::make_unique<statement>(
        conn_.handle(),
        "SELECT seq, at_us, name, version, kind FROM view_changes WHERE seq > ?1 AND view = ?3 ORDER BY seq LIMIT ?2");
  auto g = (overlay_.empty() ? changes_ : *view_changes_).run();
  g.bind(1, since).bind(2, static_cast<std::int64_t>(limit));
  if (!overlay_.empty()) g.bind(3, std::string_view(overlay_));
  std::vector<change> out;
  while (g.step()) {
    change c;
    c.seq = g.integer(0);
    c.at_us = g.integer(1);
    c.name = std::string(g.text(2));
    if (!g.is_null(3)) c.version = std::string(g.text(3));
    c.kind = std::string(g.text(4));
    out.push_back(std::move(c));
  }
  return out;
}

std::int64_t reader::count_versions() {
  auto g = count_versions_.run();
  return g.step() ? g.integer(0) : 0;
}

std::int64_t reader::count_names() {
  auto g = count_names_.run();
  return g.step() ? g.integer(0) : 0;
}

std::int64_t reader::change_seq() {
  if (overlay_.empty()) return read_change_seq(change_seq_);
  const auto key = view_key("seq");
  return stored_integer(key, state(key).value_or("0"));
}

store::sync_state reader::sync_state(std::string_view origin) { return detail::read_sync_state(state_, origin); }

bool reader::serves_name(std::string_view name) {
  if (!overlay_.empty()) return !view_rows_of(name).empty();
  auto g = serves_name_.run();
  g.bind(1, name);
  return g.step();
}

std::optional<std::string> reader::state(std::string_view key) {
  auto g = state_.run();
  g.bind(1, key);
  if (!g.step()) return std::nullopt;
  return std::string(g.text(0));
}

std::int64_t reader::changes_pruned_through() {
  const std::string key = overlay_.empty() ? "changes.pruned_through" : view_key("pruned_through");
  return stored_integer(key, state(key).value_or("0"));
}

std::string reader::instance_id() { return state("instance.id").value_or(""); }

// Prepared BEGIN and COMMIT: a view's every read takes a snapshot, and parsing the two
// statements each time showed in its profile.
reader::read_snapshot::read_snapshot(reader& r) : r_(r), began_(sqlite3_get_autocommit(r.conn_.handle()) != 0) {
  if (began_) r_.begin_.run().exec();
}

reader::read_snapshot::~read_snapshot() {
  if (!began_) return;
  try {
    r_.commit_.run().exec();  // a read transaction: nothing to keep or lose, only the snapshot ends
  } catch (...) {
  }
}

std::optional<std::vector<row>> page_walk::next() {
  if (done_) return std::nullopt;
  auto page = reader_.list(q_);
  done_ = page.size() < static_cast<std::size_t>(q_.limit);
  if (page.empty()) return std::nullopt;
  q_.after = model::cursor{page.back().data.name, page.back().data.version};
  return page;
}

}  // namespace mirror::store
