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

}  // namespace mirror::json::detail
