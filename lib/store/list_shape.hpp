#pragma once
// The shape of a list query (which filters and cursor it has): the index of its prepared
// statement, shared by the root's and the views' list queries (store/reader.cpp,
// store/reader_views.cpp).
#include <string_view>

#include "model/list_query.hpp"
#include "store/statement.hpp"

namespace mirror::store::detail {

enum : unsigned {
  f_search = 1u << 0,
  f_updated_since = 1u << 1,
  f_latest_only = 1u << 2,
  f_exact_version = 1u << 3,
  f_include_deleted = 1u << 4,
  f_cursor_name = 1u << 5,
  f_cursor_name_version = 2u << 5,
  f_search_indexed = 1u << 7,  // search, its candidates from the trigram index (served view only)
  f_keys_only = 1u << 8,       // selects (name, version) only: a view's walk over the root's rows
};

inline unsigned shape_of(const model::list_query& q) {
  unsigned bits = 0;
  if (!q.search.empty()) bits |= f_search;
  if (q.updated_since_us) bits |= f_updated_since;
  if (q.latest_only) bits |= f_latest_only;
  if (q.exact_version) bits |= f_exact_version;
  if (q.include_deleted) bits |= f_include_deleted;
  if (q.after) bits |= q.after->version ? f_cursor_name_version : f_cursor_name;
  return bits;
}

// Binds a list query's parameters as list statements number them (?1 cursor name, ?2 cursor
// version, ?3 search, ?4 updated_since, ?5 exact version, ?6 limit).
inline void bind_list_query(statement::guard& g, const model::list_query& q) {
  if (q.after) {
    g.bind(1, std::string_view(q.after->name));
    if (q.after->version) g.bind(2, std::string_view(*q.after->version));
  }
  if (!q.search.empty()) g.bind(3, std::string_view(q.search));
  if (q.updated_since_us) g.bind(4, *q.updated_since_us);
  if (q.exact_version) g.bind(5, std::string_view(*q.exact_version));
  g.bind(6, static_cast<std::int64_t>(q.limit));
}

}  // namespace mirror::store::detail
