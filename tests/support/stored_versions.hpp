#pragma once
// Every stored version a client could page through, read the way a client pages (the store's
// page_walk over the keyset cursor): the one page walk of the tests.
#include <filesystem>
#include <vector>

#include "store/reader.hpp"

namespace mirror::test {

inline std::vector<model::server_version> stored_versions(store::reader& r, bool include_deleted = true,
                                                          int page_size = 100) {
  std::vector<model::server_version> out;
  for (store::page_walk walk(r, {.limit = page_size, .include_deleted = include_deleted}); auto page = walk.next();)
    for (auto& row : *page) out.push_back(std::move(row.data));
  return out;
}

inline std::vector<model::server_version> stored_versions(const std::filesystem::path& db) {
  auto r = store::reader::open(db);
  return stored_versions(r);
}

}  // namespace mirror::test
