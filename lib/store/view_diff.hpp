#pragma once
// One server name of one view (0009_views.sql), worked out from the view's rows before, what
// its curator serves now and the root's rows now: the view's rows after (bookkeeping set), its
// change-feed records, and what view_versions must hold for the name. Pure: the writer reads the
// inputs and writes the outputs (store/view_tables.hpp), so the rules of the diff are tested
// without a database.
//
// A view's row equal to the root's row (bytes, official block, provenance, curation) is the
// root's row, bookkeeping included, and costs nothing; any other row is the view's own. A view's
// row changes, and gets a record under the view's own sequence, exactly when what it renders
// changes, so a commit that changes nothing the view shows records nothing for it.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "store/change.hpp"
#include "store/curator.hpp"
#include "store/row.hpp"

namespace mirror::store {

struct view_record {
  std::int64_t seq;
  std::optional<std::string> version;  // none: a latest_moved record saying no latest is left
  change_kind kind;
};

// One entry of view_versions: the view's own row of a version, or (nullopt) a root row it hides.
struct view_delta_row {
  std::string version;
  std::optional<row> shown;
  friend bool operator==(const view_delta_row&, const view_delta_row&) = default;
};

struct view_name_diff {
  std::vector<row> rows;               // the view's rows of the name after
  std::vector<view_record> records;    // in sequence order
  std::vector<view_delta_row> delta;   // by version: what view_versions holds for the name
  std::size_t shown = 0, hidden = 0, curated = 0, latest_moved = 0;
};

// `want`: the view curator's rows, provenance set as the writer sets the root's. `seq` is the
// view's sequence, advanced once per record. `recurating`: a change of rules, not of data
// (records say shown/hidden/curated instead of added/removed/changed).
view_name_diff diff_view_name(std::span<const row> before, std::vector<served> want, std::span<const row> root,
                              bool recurating, std::int64_t now_us, std::int64_t& seq);

// The view's rows of a name from the root's rows and the view's delta rows (in any order).
std::vector<row> overlay_view(std::vector<row> root, std::span<const view_delta_row> delta);

// Equal as served: bytes, official block, relayed blocks, provenance and curation (not the
// bookkeeping columns).
bool same_content(const row& a, const row& b);

}  // namespace mirror::store
