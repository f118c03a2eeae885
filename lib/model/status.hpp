#pragma once
// The upstream lifecycle status of one server version (docs/upstream-api.md: Incremental sync and
// latest).
#include <optional>
#include <string_view>

namespace mirror::model {

enum class status { active, deprecated, deleted };

// "active" | "deprecated" | "deleted": the exact strings of the official `_meta` block.
std::string_view to_string(status s);

// Inverse of to_string; nullopt for anything else (case-sensitive, as upstream's enum).
std::optional<status> parse_status(std::string_view text);

}  // namespace mirror::model
