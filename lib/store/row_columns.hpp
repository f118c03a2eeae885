#pragma once
// The column list every row-returning query selects, and the decoder that matches it. Kept in
// one place so a query and its decoder cannot drift apart.
#include "store/row.hpp"
#include "store/statement.hpp"

namespace mirror::store::detail {

inline constexpr const char* row_columns =
    "name, version, server_json, status, status_message, status_changed_at, status_changed_at_us, "
    "published_at, published_at_us, updated_at, updated_at_us, is_latest, source, first_seen_us, "
    "last_changed_us, change_seq";

row decode_row(const statement::guard& g);

model::source parse_source(std::string_view text);

}  // namespace mirror::store::detail
