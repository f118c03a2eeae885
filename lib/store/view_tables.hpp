#pragma once
// The writer's statements over the views' tables (0009_views.sql): a name's delta rows, their
// rewrite, a view's change feed and state. No rules here: what to write is store/view_diff.hpp's.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/statement.hpp"
#include "store/view_diff.hpp"

struct sqlite3;

namespace mirror::store {

class view_tables {
 public:
  explicit view_tables(sqlite3* db);

  std::vector<view_delta_row> delta(std::string_view view, std::string_view name);
  // Brings a name's stored delta rows from `before` to `after` (both by version). A shown row's
  // bytes equal to its origin's mirrored row (in `mirrored`) are stored as NULL (0006).
  void rewrite(std::string_view view, std::string_view name, std::span<const view_delta_row> before,
               std::span<const view_delta_row> after, std::span<const row> mirrored);
  void record(std::string_view view, std::int64_t now_us, std::string_view name, const view_record& r);
  // A mirrored row's bytes are about to change or go: a view row sharing them gets a copy.
  void detach(std::string_view view, std::string_view name, std::string_view version, std::string_view origin,
              std::string_view bytes);
  // Names with delta rows in the view (a rebuild visits them: a local server the view dropped).
  std::vector<std::string> names(std::string_view view);
  // Views with stored rows or state.
  std::vector<std::string> stored_views();
  void drop(std::string_view view);
  // A view is stored one of two ways. An overlay holds its differences from the root's rows
  // (hidden markers and its own rows), which costs what the view changes; a page then walks the
  // root's rows past those the view overrides. A complete view holds every row it shows (rows
  // equal to the root's included, their bytes still shared with the mirrored row) and no
  // markers: for a view that overrides most of the root's rows that is both smaller and read
  // without the walk. writer::choose_view_storage picks one after each rebuild.
  struct overlay_cost {
    std::int64_t root_rows = 0;   // the root's served rows
    std::int64_t overridden = 0;  // of them, the ones an overlay of this view would hide or replace
  };
  overlay_cost overlay_stats(std::string_view view, bool complete);
  void make_complete(std::string_view view);  // every shown root row becomes the view's own
  void make_overlay(std::string_view view);   // markers for hidden root rows, rows equal to the root's dropped

  // Drops the view's feed rows older than cutoff; the last sequence dropped, if any.
  std::optional<std::int64_t> prune(std::string_view view, std::int64_t cutoff_us);

 private:
  sqlite3* db_;
  statement delta_, put_, hide_, erase_, record_, detach_, names_, prune_last_, prune_;
};

}  // namespace mirror::store
