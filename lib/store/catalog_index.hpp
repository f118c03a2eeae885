#pragma once
// The writer's half of ranked search (0010_catalog_search.sql): one document per served name,
// rewritten when the name's latest served row changes, and all of them made anew when a
// migration asks for it ('catalog.rebuild'). The reader's half is reader::search_names.
#include <string_view>

#include "store/row.hpp"
#include "store/statement.hpp"

struct sqlite3;

namespace mirror::store {

class catalog_index {
 public:
  explicit catalog_index(sqlite3* db);
  // The name's entry from its latest served row; nullptr: the name serves nothing, no entry.
  void put(std::string_view name, const row* latest);
  // Whether the database asks for every entry to be made anew (a migration set
  // 'catalog.rebuild'); rebuild() does it and clears the request, in the caller's transaction.
  bool rebuild_asked();
  void rebuild();

 private:
  sqlite3* db_;
  statement upsert_entry_, entry_id_, remove_entry_, remove_words_, add_words_;
};

}  // namespace mirror::store
