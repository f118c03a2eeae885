#pragma once
// Which source's rows of one server name are served (0008_sources.sql): the first source in the
// configured order that holds any row of the name, all of its versions and none of the others'.
// The other sources' rows stay mirrored, so reordering or removing a source needs no resync;
// rows of a source no longer configured are never served.
#include <span>
#include <string>
#include <vector>

#include "store/curator.hpp"
#include "store/row.hpp"

namespace mirror::store {

struct picked_source {
  std::vector<row> rows;              // the winning source's rows of the name
  std::string origin;                 // that source; "" when no configured source holds it
  std::vector<std::string> shadowed;  // later sources that hold the name too, in order
};

// Takes the name's rows of every source and keeps the winner's in place (no copy: the writer does
// this for every name it refreshes).
picked_source pick_source(std::vector<row> all, std::span<const std::string> order);

// `["b","c"]` (source names are [A-Za-z0-9_-], config::parse checks); "" for none.
std::string shadows_json(std::span<const std::string> shadowed);

// Sets each served row's source and the sources it shadows, as picked (local servers have none).
void stamp_provenance(std::vector<served>& want, const picked_source& picked);

}  // namespace mirror::store
