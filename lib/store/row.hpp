#pragma once
// A stored version as the store hands it out: the mirrored data plus local bookkeeping.
#include <cstdint>

#include "model/server_version.hpp"

namespace mirror::store {

struct row {
  model::server_version data;
  model::source source = model::source::upstream;
  std::int64_t first_seen_us = 0;    // when this mirror first stored the version
  std::int64_t last_changed_us = 0;  // when this mirror last changed anything in the row
  std::int64_t change_seq = 0;       // the mirror's change sequence at that change
};

}  // namespace mirror::store
