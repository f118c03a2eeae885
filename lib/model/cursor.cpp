#include "model/cursor.hpp"

namespace mirror::model {

cursor parse_cursor(std::string_view text) {
  // Upstream splits with strings.SplitN(cursor, ":", 2): the first ':' separates, so a
  // version such as "1.0:x" survives intact, and a cursor with no ':' seeks by name only.
  // "a:" therefore means (name "a", version ""), which still seeks past nothing of "a"
  // except an empty version — the same as upstream's row-value comparison.
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return cursor{std::string(text), std::nullopt};
  return cursor{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
}

std::string format_cursor(std::string_view name, std::string_view version) {
  // Not escaped: names cannot contain ':', and parse_cursor splits at the first one.
  std::string out;
  out.reserve(name.size() + 1 + version.size());
  out.append(name);
  out.push_back(':');
  out.append(version);
  return out;
}

}  // namespace mirror::model
