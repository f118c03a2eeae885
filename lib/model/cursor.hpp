#pragma once
// The list cursor `name:version` (docs/upstream-api.md: Order and pagination): not signed or
// encoded, split at the first ':' (names cannot contain ':', versions may). No ':' → a name-only
// seek. Garbage is never an error; it just seeks.
#include <optional>
#include <string>
#include <string_view>

namespace mirror::model {

struct cursor {
  std::string name;
  std::optional<std::string> version;  // nullopt: seek past every version of `name`
  friend bool operator==(const cursor&, const cursor&) = default;
};

cursor parse_cursor(std::string_view text);
std::string format_cursor(std::string_view name, std::string_view version);

}  // namespace mirror::model
