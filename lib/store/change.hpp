#pragma once
// The change feed's vocabulary, shared by the writer (which records it) and the reader (which
// serves it), so neither header needs the other.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mirror::store {

// What a row of the change feed (table `changes`, 0003_changes.sql) says happened to the served
// view (0004_served_view.sql). An open set: stored as text, so kinds can be added without a
// migration.
enum class change_kind {
  added,           // a new (name, version) is served
  changed,         // its served bytes or official block changed, status unchanged
  status_changed,  // its served status value changed (active / deprecated / deleted)
  latest_moved,    // the name's isLatest flag moved to `version` (none: no latest left)
  removed,         // no longer served: its mirrored row was dropped (seed placeholders)
  shown,           // served again after a change of the curation rules
  hidden,          // excluded by a change of the curation rules
  curated,         // its served bytes or official block changed with the curation rules
};
std::string_view to_string(change_kind k);

// One row of the change feed.
struct change {
  std::int64_t seq = 0;
  std::int64_t at_us = 0;
  std::string name;
  std::optional<std::string> version;
  std::string kind;  // to_string(change_kind) of the binary that wrote it
};

}  // namespace mirror::store
