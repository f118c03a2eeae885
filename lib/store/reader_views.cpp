// A view's reads (0009_views.sql): the root's served rows with the view's own rows overlaid.
// A list page merges two keyset walks in (name, version) order: the root's rows the view does
// not replace or hide and the view's own shown rows (their partial index), each at most `limit`
// long, so the first `limit` of the merge are exactly the page. The root's half is found by
// merging key walks (view_root_rows), not by an index probe per root row (an anti-join in SQL
// cost a quarter of the throughput).
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

// The view's keys (hidden or not) after a list query's cursor, through (?4, ?5); ?1/?2 as the
// cursor binds them.
std::string view_keys_sql(unsigned cursor_kind) {
  std::string sql = "SELECT name, version, hidden FROM view_versions WHERE view = ?3 AND (name, version) <= (?4, ?5)";
  if (cursor_kind == f_cursor_name_version) sql += " AND (name, version) > (?1, ?2)";
  if (cursor_kind == f_cursor_name) sql += " AND name > ?1";
  return sql + " ORDER BY name, version";
}

bool before(const row& a, const row& b) {
  return std::tie(a.data.name, a.data.version) < std::tie(b.data.name, b.data.version);
}

}  // namespace

void reader::set_view(std::string_view name) { overlay_ = name; }

bool reader::view_is_complete() { return state(view_key("mode")) == "complete"; }

std::vector<std::pair<std::string, std::string>> reader::view_keys_through(const model::list_query& from,
                                                                           std::string_view last_name,
                                                                           std::string_view last_version,
                                                                           bool& any_shown) {
  const unsigned kind = shape_of(from) & (3u << 5);
  auto& slot = view_keys_.at(kind >> 5);
  if (!slot) slot = std::make_unique<statement>(conn_.handle(), view_keys_sql(kind));
  auto g = slot->run();
  if (from.after) {
    g.bind(1, std::string_view(from.after->name));
    if (from.after->version) g.bind(2, std::string_view(*from.after->version));
  }
  g.bind(3, std::string_view(overlay_)).bind(4, last_name).bind(5, last_version);
  std::vector<std::pair<std::string, std::string>> keys;
  while (g.step()) {
    keys.emplace_back(g.text(0), g.text(1));
    any_shown = any_shown || g.integer(2) == 0;
  }
  return keys;
}

// Up to `limit` of the root's rows the view shows as they are. The walk reads keys only: the
// root's (name, version) under the query's filters, in batches, merged with the view's keys over
// the same stretch. A long run the view hides (a whole namespace, say) is stepped over at the
// cost of two index scans, without reading a row. The rows shown are then read as root pages:
// one range read per run of consecutive shown keys (one in all when the view holds nothing in
// the stretch).
std::vector<row> reader::view_root_rows(const model::list_query& q, bool& any_shown) {
  const auto limit = static_cast<std::size_t>(q.limit);
  std::vector<row> out;
  model::list_query walk = q, run_start = q;  // where the key walk stands; where the shown run began
  std::size_t run = 0, batch = limit;
  auto flush = [&] {
    if (run == 0) return;
    run_start.limit = static_cast<int>(run);
    for (auto& r : list_rows(run_start)) out.push_back(std::move(r));
    run = 0;
  };
  for (bool more = true; more && out.size() + run < limit;) {
    walk.limit = static_cast<int>(batch);
    std::vector<model::cursor> keys;
    list_walk(walk, true, [&](statement::guard& g) { keys.push_back({std::string(g.text(0)), std::string(g.text(1))}); });
    if (keys.empty()) break;
    more = keys.size() == batch;
    const auto held = view_keys_through(walk, keys.back().name, *keys.back().version, any_shown);
    auto h = held.begin();
    for (auto& k : keys) {
      while (h != held.end() && std::tie(h->first, h->second) < std::tie(k.name, *k.version)) ++h;
      if (h != held.end() && h->first == k.name && h->second == *k.version) {
        flush();  // a key the view hides or replaces ends the run
        run_start.after = k;
      } else if (out.size() + ++run == limit) {
        break;
      }
    }
    walk.after = std::move(keys.back());
    batch = std::min<std::size_t>(batch * 2, 1024);  // a long hidden run: fewer, larger steps
  }
  flush();
  return out;
}

std::vector<row> reader::view_list(const model::list_query& q) {
  auto one_commit = snapshot();  // several statements: one commit's rows for all of them
  // The root rows the view shows as they are: none apart from its own rows when the view is
  // complete (store/view_tables.hpp).
  std::vector<row> root;
  bool any_shown = false;  // whether the view shows rows of its own where the walk went
  const bool complete = view_is_complete();
  if (!complete) root = view_root_rows(q, any_shown);
  // Own rows are read (bytes and all) only up to where the root's rows end a full page: past it
  // the merge would drop them. Up to there, the walk saw every key the view holds.
  const bool bounded = root.size() == static_cast<std::size_t>(q.limit) && !root.empty();
  if (bounded && !any_shown) return root;
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

// A complete view holds every row it shows, its latest one flagged: one query, as the root's.
std::optional<row> reader::view_latest(std::string_view name, bool include_deleted) {
  if (!view_latest_)
    view_latest_ = std::make_unique<statement>(
        conn_.handle(), fmt::format("SELECT {} FROM view_versions WHERE view = ?1 AND name = ?2 AND hidden = 0 "
                                    "AND is_latest = 1",
                                    view_columns()));
  auto g = view_latest_->run();
  g.bind(1, std::string_view(overlay_)).bind(2, name);
  if (!g.step()) return std::nullopt;
  row r = decode_row(g);
  if (!include_deleted && r.data.official.status == model::status::deleted) return std::nullopt;
  return r;
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
