#pragma once
// The column list every row-returning query selects, and the decoder that matches it. Kept in
// one place so a query and its decoder cannot drift apart.
#include <string>
#include <string_view>

#include "store/row.hpp"
#include "store/statement.hpp"

namespace mirror::store::detail {

inline constexpr const char* row_columns =
    "name, version, server_json, status, status_message, status_changed_at, status_changed_at_us, "
    "published_at, published_at_us, updated_at, updated_at_us, is_latest, source, first_seen_us, "
    "last_changed_us, change_seq, relayed_meta, origin";

// The 20 columns every row query selects: row_columns plus `curation` and `shadows`
// (served_versions), or NULLs in their place (server_versions has no such columns). `prefix` qualifies each column
// ("v." in joins). For served_versions the bytes are its own or, when NULL, the mirrored row's.
// `table`: the served table whose NULL bytes are read from server_versions (view_versions too).
std::string select_columns(std::string_view prefix, bool served, std::string_view table = "served_versions");

// Decodes row_columns (18) or select_columns (20) from column `first` on.
row decode_row(const statement::guard& g, int first = 0);

model::source parse_source(std::string_view text);

// Binds ?1–?11 as the mirrored and served row statements of the writer number them: name,
// version, bytes, then the official block (status, message, three timestamps as text and µs).
statement::guard& bind_version(statement::guard& g, const model::server_version& d, const model::official_meta& o);

}  // namespace mirror::store::detail
