#include "store/contains_function.hpp"

#include <sqlite3.h>

#include <algorithm>

#include "store/error.hpp"

namespace mirror::store {
namespace {

char fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }

void contains_sql(sqlite3_context* ctx, int, sqlite3_value** argv) {
  auto text = [](sqlite3_value* v) {
    auto p = reinterpret_cast<const char*>(sqlite3_value_text(v));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_value_bytes(v))) : std::string_view();
  };
  sqlite3_result_int(ctx, contains_ascii_ci(text(argv[0]), text(argv[1])) ? 1 : 0);
}

}  // namespace

bool contains_ascii_ci(std::string_view haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                     [](char a, char b) { return fold(a) == fold(b); }) != haystack.end();
}

void register_contains_function(sqlite3* db) {
  if (sqlite3_create_function_v2(db, "mirror_contains", 2,
                                 SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                                 contains_sql, nullptr, nullptr, nullptr) != SQLITE_OK)
    throw error(std::string("cannot register mirror_contains: ") + sqlite3_errmsg(db));
}

}  // namespace mirror::store
