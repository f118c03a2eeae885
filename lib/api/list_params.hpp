#pragma once
// `GET /servers` query parameters → model::list_query, with the upstream's error rules, in its
// order (docs/upstream-api.md: Request handling): Huma validates every parameter first and answers
// 422 listing each bad one (`limit` not an integer or outside 1..100, `include_deleted` not a Go
// boolean); then the handler answers 400 for a bad `updated_since` and for `include_deleted=false`
// with `updated_since`. An empty value counts as absent, as in Huma.
#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "api/http_types.hpp"
#include "api/problem.hpp"
#include "api/target.hpp"
#include "model/list_query.hpp"

namespace mirror::api {

std::variant<model::list_query, response> parse_list_params(const target& t);

// Huma's validation of one integer query parameter: absent or empty → nullopt; not an integer,
// below `min` or above `max` → an entry in `invalid` with Huma's message and nullopt.
std::optional<std::int64_t> int_param(const target& t, std::string_view name, std::int64_t min,
                                      std::int64_t max, std::vector<error_detail>& invalid);

// The same for a boolean query parameter (Go's ParseBool).
std::optional<bool> bool_param(const target& t, std::string_view name, std::vector<error_detail>& invalid);

// Go's strconv.ParseBool: 1 t T TRUE true True 0 f F FALSE false False.
std::optional<bool> parse_go_bool(std::string_view text);

// Go's strconv.ParseInt(s, 10, 64): optional sign, at least one digit, no overflow.
std::optional<std::int64_t> parse_go_int(std::string_view text);

// The cursor as received → the seek key. VS Code appends `nextCursor` to its URL unencoded, so a
// `+` from SemVer build metadata arrives form-decoded as a space (VS Code sends it raw). Versions
// do not contain spaces in practice, so a space is read back as the `+` it was.
model::cursor parse_request_cursor(std::string_view text);

}  // namespace mirror::api
