// A view's reads (0009_views.sql): the root's served rows with the view's own rows overlaid.
// A list page merges two keyset walks in (name, version) order: the root's rows the view does
// not replace or hide (the root's query with an anti-join on the view's rows, one index probe
// per row) and the view's own shown rows (their partial index), each at most `limit` long, so
// the first `limit` of the merge are exactly the page.
#include <algorithm>

#include <fmt/format.h>

#include "store/list_shape.hpp"
#include "store/reader.hpp"
#include "store/row_columns.hpp"
#include "store/view_diff.hpp"

namespace mirror::store {

using namespace detail;

namespace {

const std::string& view_columns() {
  static const std::string columns = select_columns({}, true, "view_versions");
  return columns;
}

// Up to (?9, ?10) inclusive: the root's half filled the page, so no own row past its last counts.
constexpr unsigned f_bounded = 1u << 7;

// The view's own rows matching a list query's filters; parameters numbered as reader's list_sql.
std::string view_list_sql(unsigned bits) {
  std::string sql = fmt::format("SELECT {} FROM view_versions WHERE view = ?8 AND hidden = 0", view_columns());
  if (bits & f_bounded) sql += " AND (name, version) <= (?9, ?10)";
  if ((bits & (3u << 5)) == f_cursor_name_version) sql += " AND (name, version) > (?1, ?2)";
  if ((bits & (3u << 5)) == f_cursor_name) sql += " AND name > ?1";
  if (bits & f_search) sql += " AND mirror_contains(name, ?3)";
  if (bits & f_updated_since) sql += " AND updated_at_us > ?4";
  if (bits & f_exact_version) sql += " AND version = ?5";
  if (bits & f_latest_only) sql += " AND is_latest = 1";
  if (!(bits & f_include_deleted)) sql += " AND status <> 'deleted'";
  return sql + " ORDER BY name, version LIMIT ?6";
}

bool before(const row& a, const row& b) {
  return std::tie(a.data.name, a.data.version) < std::tie(b.data.name, b.data.version);
}

}  // namespace

void reader::set_view(std::string_view name) { overlay_ = name; }

bool reader::view_is_complete() { return state(view_key("mode")) == "complete"; }

std::vector<row> reader::view_list(const model::list_query& q) {
  // With the anti-join: the root rows the view shows as they are (none apart from its own rows
  // when the view is complete, store/view_tables.hpp).
  std::vector<row> root;
  if (!view_is_complete()) root = list_rows(q);
  // Own rows are read (bytes and all) only up to where the root's rows end a full page: past it
  // the merge would drop them.
  const bool bounded = root.size() == static_cast<std::size_t>(q.limit) && !root.empty();
  const unsigned bits = shape_of(q) | (bounded ? f_bounded : 0u);
  auto& slot = view_list_cache_.at(bits);
  if (!slot) slot = std::make_unique<statement>(conn_.handle(), view_list_sql(bits));
  std::vector<row> own;
  {
    auto g = slot->run();
    bind_list_query(g, q);
    g.bind(8, std::string_view(overlay_));
    if (bounded) g.bind(9, std::string_view(root.back().data.name)).bind(10, std::string_view(root.back().data.version));
    while (g.step()) own.push_back(decode_row(g));
  }
  if (own.empty()) return root;
  std::vector<row> out;
  out.reserve(std::min<std::size_t>(root.size() + own.size(), static_cast<std::size_t>(q.limit)));
  std::merge(std::make_move_iterator(root.begin()), std::make_move_iterator(root.end()),
             std::make_move_iterator(own.begin()), std::make_move_iterator(own.end()), std::back_inserter(out), before);
  if (out.size() > static_cast<std::size_t>(q.limit)) out.resize(static_cast<std::size_t>(q.limit));
  return out;
}

std::vector<view_delta_row> reader::view_delta_of(std::string_view name) {
  if (!view_name_rows_)
    view_name_rows_ = std::make_unique<statement>(
        conn_.handle(),
        fmt::format("SELECT hidden, version, {} FROM view_versions WHERE view = ?1 AND name = ?2", view_columns()));
  std::vector<view_delta_row> delta;
  auto g = view_name_rows_->run();
  g.bind(1, std::string_view(overlay_)).bind(2, name);
  while (g.step()) {
    view_delta_row d{std::string(g.text(1)), std::nullopt};
    if (g.integer(0) == 0) d.shown = decode_row(g, 2);
    delta.push_back(std::move(d));
  }
  return delta;
}

// Every row of one name in the view, deleted included, newest publishedAt first (as versions()).
std::vector<row> reader::view_rows_of(std::string_view name, std::vector<view_delta_row> delta) {
  std::vector<row> root;
  if (!view_is_complete()) {
    auto g = versions_all_.run();
    g.bind(1, name);
    while (g.step()) root.push_back(decode_row(g));
  }
  if (delta.empty()) return root;
  auto rows = overlay_view(std::move(root), delta);  // complete: its own rows, no markers
  std::sort(rows.begin(), rows.end(), [](const row& a, const row& b) {
    const auto pa = a.data.official.published_at.us, pb = b.data.official.published_at.us;
    return pa != pb ? pa > pb : a.data.version > b.data.version;
  });
  return rows;
}

std::optional<row> reader::view_row(std::string_view name, std::string_view version, bool& hidden) {
  if (!view_one_row_)
    view_one_row_ = std::make_unique<statement>(
        conn_.handle(),
        fmt::format("SELECT hidden, {} FROM view_versions WHERE view = ?1 AND name = ?2 AND version = ?3",
                    view_columns()));
  auto g = view_one_row_->run();
  g.bind(1, std::string_view(overlay_)).bind(2, name).bind(3, version);
  hidden = false;
  if (!g.step()) return std::nullopt;
  if (g.integer(0) != 0) {
    hidden = true;
    return std::nullopt;
  }
  return decode_row(g, 1);
}

}  // namespace mirror::store
