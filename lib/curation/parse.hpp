#pragma once
// The curation file (config/curation.example.yaml documents every key) → a rule_set, the way
// config::parse reads mirror.yaml (docs/design-habits.md H12): unknown or repeated keys are errors,
// and every error names the file, the 1-based line and column of the offending node and its key
// path, e.g. "curation.yaml:7:24: rules[2].match.registry_type[1]: expected ...".
#include <filesystem>
#include <string_view>
#include <variant>

#include "util/file_error.hpp"
#include "curation/rules.hpp"

namespace mirror::curation {

// Touches neither the filesystem nor the environment: `local_servers.directory` is only
// recorded in local_dirs (as written), and local_servers holds the inline servers alone, each
// with origin "<file_name>:<line>". An empty document is an empty rule set (everything
// visible). hash = sha256_hex(yaml + for each local server: origin, NUL, json, NUL).
std::variant<rule_set, util::file_error> parse(std::string_view yaml, std::string_view file_name);

// Reads `file`, parses it, then appends one local server per `*.json` file of
// `local_servers.directory` (relative to the file's directory; local_dirs holds the resolved
// path), in file-name order, origin = the JSON file's path. A missing or unreadable directory,
// more than max_local_files files or a file over max_local_file_bytes is an error at that key.
// hash covers the file's bytes and every local server, as in parse, so a changed local file
// changes it too.
std::variant<rule_set, util::file_error> load(const std::filesystem::path& file);

inline constexpr std::size_t max_local_files = 10'000;
inline constexpr std::uintmax_t max_local_file_bytes = 1u << 20;

}  // namespace mirror::curation
