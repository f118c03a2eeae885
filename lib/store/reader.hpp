#pragma once
// Read queries over one read-only connection (one reader per reader thread; docs/architecture.md:
// Threads). Every query is prepared once; list queries are prepared lazily per filter combination,
// because SQLite only uses the (name, version) index for the keyset seek when the predicate is
// spelled out, not hidden behind `?1 IS NULL OR ...`.
#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/list_query.hpp"
#include "store/catalog_doc.hpp"
#include "store/connection.hpp"
#include "store/row.hpp"
#include "store/statement.hpp"
#include "store/sync_state.hpp"
#include "store/change.hpp"
#include "store/view_diff.hpp"

namespace mirror::store {

// Which rows the list/versions/get/latest/count queries read: what the API serves (the curated
// view, 0004_served_view.sql) or the mirrored data as synced or imported (raw export).
enum class view { served, mirrored };

// A ranked search over the catalog's entries (0010_catalog_search.sql, store/catalog_doc.hpp).
struct search_query {
  std::optional<std::string> words;  // prefix_query()'s FTS5 query; nullopt: filters only, by name
  catalog_filter filter;
  // Strictly after this hit in the order: (score, name) when ranked, else name.
  struct position {
    std::optional<double> score;
    std::string name;
  };
  std::optional<position> after;
  int limit = 30;
};
struct search_hit {
  std::string name;
  std::optional<double> score;  // FTS5's bm25(): lower ranks first; nullopt without words
};

class reader {
 public:
  // `mirrored_origin`: the source whose rows view::mirrored reads (0008_sources.sql).
  explicit reader(connection conn, view v = view::served, std::string mirrored_origin = "upstream");
  // `mmap_bytes` > 0: SQLite reads up to that much of the file through a memory map instead of
  // read() calls into a private page cache (PRAGMA mmap_size): pages are shared by every
  // reader thread and the OS, and a page read is no longer a system call and a copy. The cost:
  // a disk I/O error while reading a mapped page is a SIGBUS, not an error code (SQLite's
  // documentation); `http.reader_mmap_bytes: 0` turns it off.
  static reader open(const std::filesystem::path& file, view v = view::served, std::uint64_t mmap_bytes = 0,
                     std::string mirrored_origin = "upstream");

  // Which catalog the served-view queries read: "" the root's, else a view's (0009_views.sql):
  // the root's rows with the view's own rows overlaid (store/reader_views.cpp). list, versions,
  // get, latest, serves_name, the change feed and its positions follow it; counts stay the root's.
  void set_view(std::string_view name);
  const std::string& current_view() const { return overlay_; }

  // `GET /servers`: rows strictly after q.after in (name, version) byte order, filtered, at most
  // q.limit of them (docs/upstream-api.md: Order and pagination).
  std::vector<row> list(const model::list_query& q);

  // Every version of one name, newest publishedAt first; deleted ones only when asked.
  std::vector<row> versions(std::string_view name, bool include_deleted);
  // Whether any version of `name` is served (deleted ones included).
  bool serves_name(std::string_view name);

  // One exact version / the isLatest version; nullopt when absent or deleted-and-hidden.
  std::optional<row> get(std::string_view name, std::string_view version, bool include_deleted);
  std::optional<row> latest(std::string_view name, bool include_deleted);

  // Every mirrored (not curated) version of one name of every source, in (origin, version)
  // order, deleted included: the input of the curation rules (after store::pick_source), for
  // explain.
  std::vector<row> mirrored_versions(std::string_view name);
  // Every mirrored name, sorted (dry runs walk them all).
  std::vector<std::string> mirrored_names();

  // The change feed: rows with seq > since, in seq order, at most `limit` of them.
  std::vector<change> changes(std::int64_t since, int limit);
  // The last sequence pruned from the feed (0007_replicas.sql): a `since` below it has lost
  // changes. Read it in the same read_snapshot as changes() to judge that page.
  std::int64_t changes_pruned_through();
  // This database's instance id (0007_replicas.sql); "" before the writer made one.
  std::string instance_id();

  // List queries answered through the trigram index of names (store/search_index.hpp).
  std::uint64_t indexed_searches() const { return indexed_searches_; }

  std::int64_t count_versions();
  std::int64_t count_names();
  std::int64_t change_seq();
  // Throws store::error when a stored value is damaged.
  store::sync_state sync_state(std::string_view origin = "upstream");
  // A mirror_state value by key; nullopt when absent.
  std::optional<std::string> state(std::string_view key);

  // The catalog's entries matching `q`, best first (ties by name), at most q.limit: the root's
  // served entries whatever view this reader is set to (a view's caller checks each name
  // against the view's own rows). The order is exact within one commit; across commits the
  // scores move with the index's statistics.
  std::vector<search_hit> search_names(const search_query& q);

  // Holds one read transaction: every query until it is destroyed sees the same commit (an
  // export reads a consistent database while the daemon writes). Inside another one it adds
  // nothing: the outer transaction already holds the snapshot.
  class read_snapshot {
   public:
    explicit read_snapshot(reader& r);
    ~read_snapshot();
    read_snapshot(const read_snapshot&) = delete;
    read_snapshot& operator=(const read_snapshot&) = delete;

   private:
    reader& r_;
    bool began_;
  };
  [[nodiscard]] read_snapshot snapshot() { return read_snapshot(*this); }

 private:
  statement& list_statement(const model::list_query& q, bool indexed, bool keys_only);
  // Steps a list query's statement, its full rows or (keys_only) only (name, version).
  void list_walk(const model::list_query& q, bool keys_only, const std::function<void(statement::guard&)>& each);
  // The view's halves of the queries above (store/reader_views.cpp).
  std::vector<row> list_rows(const model::list_query& q);
  std::vector<row> view_list(const model::list_query& q);
  std::vector<row> view_root_rows(const model::list_query& q, bool& any_shown);
  // The view's keys (hidden or shown) after `from`'s cursor, through (last_name, last_version).
  std::vector<std::pair<std::string, std::string>> view_keys_through(const model::list_query& from,
                                                                      std::string_view last_name,
                                                                      std::string_view last_version, bool& any_shown);
  std::vector<view_delta_row> view_delta_of(std::string_view name);
  std::vector<row> view_rows_of(std::string_view name) { return view_rows_of(name, view_delta_of(name)); }
  std::vector<row> view_rows_of(std::string_view name, std::vector<view_delta_row> delta);
  std::optional<row> view_row(std::string_view name, std::string_view version, bool& hidden);
  bool view_is_complete();
  std::optional<row> view_latest(std::string_view name, bool include_deleted);  // a complete view's
  std::optional<row> latest_root(std::string_view name, bool include_deleted);  // the view holds every row it shows (store/view_tables.hpp)
  std::string view_key(std::string_view what) const { return "view." + overlay_ + "." + std::string(what); }
  bool use_search_index(const std::string& fts_query);
  connection conn_;
  view view_;
  std::string origin_;
  statement versions_all_, versions_visible_, get_, latest_, count_versions_, count_names_,
      change_seq_, changes_, mirrored_, state_, serves_name_, begin_, commit_;
  // Index: bit 0 search, 1 updated_since, 2 latest_only, 3 exact_version, 4 include_deleted,
  // bits 5–6 cursor kind (0 none, 1 name only, 2 name and version), 7 search from the index.
  std::array<std::unique_ptr<statement>, 512> list_cache_;  // bit 8: keys only
  std::array<std::unique_ptr<statement>, 256> view_list_cache_;  // the view's own rows (bit 7: bounded)
  std::array<std::unique_ptr<statement>, 3> view_keys_;  // the view's keys in a range, by cursor kind
  std::unique_ptr<statement> view_name_rows_, view_one_row_, view_changes_, view_latest_;
  std::string overlay_;
  std::unique_ptr<statement> search_probe_;  // prepared on the first search
  std::unique_ptr<statement> ranked_, by_name_;  // search_names, prepared on first use
  std::uint64_t indexed_searches_ = 0;
};

// Every row a list query selects, a page at a time in (name, version) order, following the
// keyset cursor exactly as a client pages `GET /servers` (q.after is where it starts, q.limit the
// page size):
//   for (page_walk walk(reader, q); auto page = walk.next();) for (const auto& r : *page) ...
class page_walk {
 public:
  page_walk(reader& r, model::list_query q) : reader_(r), q_(std::move(q)) {}
  // The next non-empty page; nullopt once every row was returned.
  std::optional<std::vector<row>> next();

 private:
  reader& reader_;
  model::list_query q_;
  bool done_ = false;
};

}  // namespace mirror::store
