#pragma once
// Picking the one `isLatest` version of a name (docs/upstream-api.md: Incremental sync and latest):
// the highest non-deleted version by compare_versions; when every version is deleted, the highest
// deleted one keeps the flag so `.../versions/latest?include_deleted=true` still resolves.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace mirror::model {

struct latest_candidate {
  std::string_view version;
  std::int64_t published_us = 0;
  bool deleted = false;
};

// Index of the latest candidate; nullopt only for an empty span. Ties (compare_versions == 0)
// go to the candidate that comes later in the span, as a later publish would win upstream.
std::optional<std::size_t> pick_latest(std::span<const latest_candidate> candidates);

}  // namespace mirror::model
