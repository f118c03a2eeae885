#pragma once
// Local servers (rule_set::local_servers) decoded into versions the view can serve. Each
// document may be any shape `mcp-mirror import` accepts (a bare server.json, {server, _meta},
// an array or JSON lines of them); one without an official block gets a made-up active one,
// and the mirror then owns its timestamps (store::served::mirror_owned_times).
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "curation/rules.hpp"
#include "curation/view.hpp"

namespace mirror::curation {

struct local_catalog {
  std::map<std::string, std::vector<input_version>, std::less<>> by_name;
};

// An error names the origin and the entry: "local/tools.json: entry 0: server.name: missing".
// A (name, version) given twice is an error.
std::variant<local_catalog, std::string> decode_local(const rule_set& rules, std::int64_t now_us);

}  // namespace mirror::curation
