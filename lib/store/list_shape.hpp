#pragma once
// The shape of a list query (which filters and cursor it has): the index of its prepared
// statement, shared by the root's and the views' list queries (store/reader.cpp,
// store/reader_views.cpp).
#include "model/list_query.hpp"

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
  f_overlay = 1u << 8,         // without the root rows a view replaces or hides (?8 the view)
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

}  // namespace mirror::store::detail
