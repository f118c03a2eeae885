#pragma once
// Local servers written inline in the curation file are YAML (JSON flow style included); the
// mirror serves them as JSON. Only plain (unquoted) scalars are typed, so whatever an operator
// quotes stays a string: `version: "1.0"` is the string "1.0", `version: 1.0` the number 1.0.
//  - mapping → object, keys in document order; a key must be a scalar and may not repeat
//    (yaml-cpp keeps both copies, and a JSON object with a repeated key means different things
//    to different readers)
//  - sequence → array
//  - plain `true` / `false` → boolean; plain `null`, `~` or nothing → null; a plain JSON number
//    (-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?) → that number, spelled as written
//  - every other scalar (quoted, block, explicitly tagged, other plain text) → string
#include <string>

#include <yaml-cpp/yaml.h>

namespace mirror::curation {

// Minified JSON. Throws util::yaml_failure at the offending node; its key path is `key`
// followed by the path inside `node` (e.g. "local_servers.inline[0].packages[1]").
std::string yaml_to_json(const YAML::Node& node, const std::string& key = "");

// True when yaml_to_json turns `node` into a JSON string.
bool becomes_json_string(const YAML::Node& node);


}  // namespace mirror::curation
