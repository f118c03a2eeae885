#pragma once
// `mirror_contains(haystack, needle)`: 1 when `needle` occurs in `haystack` ignoring ASCII case,
// else 0; an empty needle matches everything. It is the upstream's
// `name ILIKE '%' || escaped(needle) || '%'` (docs/upstream-api.md: Request handling: `%`, `_`, `\`
// literal; Postgres with C ctype folds ASCII only), without LIKE's pattern machinery.
#include <string_view>

struct sqlite3;

namespace mirror::store {

void register_contains_function(sqlite3* db);

// The same predicate in C++, shared with the SQL function and tested directly.
bool contains_ascii_ci(std::string_view haystack, std::string_view needle);

}  // namespace mirror::store
