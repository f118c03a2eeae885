#pragma once
// What the match conditions of a rule look at, read once per version from its server.json.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json/tree.hpp"
#include "model/server_version.hpp"

namespace mirror::curation {

struct facts {
  std::string name, version;
  model::status status = model::status::active;  // the upstream's (before any rule)
  std::int64_t published_us = 0;
  std::vector<std::string> registry_types;  // packages[].registryType
  std::vector<std::string> transports;      // packages[].transport.type and remotes[].type
  bool has_packages = false;                // a non-empty packages array
  bool has_remotes = false;                 // a non-empty remotes array
  std::optional<std::string> schema_date;   // "2025-09-29" from .../schemas/2025-09-29/...
};

facts read_facts(const model::server_version& v, const json::node& server);

// True for the shape YYYY-MM-DD (digits only; not a calendar check).
bool is_date(std::string_view s);

// The YYYY-MM-DD path segment of a `$schema` URL, if it has one.
std::optional<std::string> schema_date_of(std::string_view url);

}  // namespace mirror::curation
