#pragma once
// Small simdjson (3.0.1) helpers shared by the import decoder's files.
#include <string>
#include <string_view>

#include <simdjson.h>

namespace mirror::json::detail {

namespace ondemand = simdjson::ondemand;

// "TAPE_ERROR (The JSON document has an improper structure: ...)" for a simdjson error code.
std::string describe(simdjson::error_code code);

// Name of a JSON type as used in reasons: "object", "array", "string", "number", "boolean",
// "null".
std::string_view type_name(ondemand::json_type type);

// Moves past a string value whose token was read with raw_json_token(), which does not advance.
// Left in place, the next array or object step skips it with simdjson's skip_child, which takes
// a string followed by ':' for a key and skips a bracketed "value" after it, so `["a":[]]]`
// would parse as ["a"]. Consumed, the ':' is the next token and simdjson reports TAPE_ERROR.
inline simdjson::error_code consume_string(ondemand::value& v) { return v.get_raw_json_string().error(); }

}  // namespace mirror::json::detail
