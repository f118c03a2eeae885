#pragma once
// A stored version as the store hands it out: the mirrored data plus local bookkeeping.
#include <cstdint>
#include <optional>
#include <string>

#include "model/server_version.hpp"

namespace mirror::store {

struct row {
  model::server_version data;
  model::source source = model::source::upstream;
  std::int64_t first_seen_us = 0;    // when this mirror first stored the version
  std::int64_t last_changed_us = 0;  // when this mirror last changed anything in the row
  std::int64_t change_seq = 0;       // the mirror's change sequence at that change
  // The configured source the row came from (0008_sources.sql); for a served row, the source it
  // shows ("" for local servers).
  std::string origin;
  // Served rows: the other sources holding this name, as a JSON array of names, when the row's
  // source shadows them; nullopt otherwise and for mirrored rows.
  std::optional<std::string> shadows;
  // Served rows: the `_meta["<namespace>/curation"]` object (JSON text) when a curation rule
  // changed this version; always empty for mirrored rows.
  std::optional<std::string> curation;
  friend bool operator==(const row&, const row&) = default;
};

}  // namespace mirror::store
