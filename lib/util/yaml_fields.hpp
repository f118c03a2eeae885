#pragma once
// Typed reads of YAML scalars for the two YAML files the daemon reads (mirror.yaml and the
// curation file). Every failure throws yaml_failure carrying the node's line:column and the
// dotted key path, so a caller turns it into "file:line:column: key: message"
// (docs/design-habits.md H12). Unknown keys are errors: `walk` only accepts the keys it is given.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "util/file_error.hpp"

namespace mirror::util {

struct yaml_failure {
  file_error e;  // file left empty; the caller fills it
};

[[noreturn]] void fail(const YAML::Node& node, const std::string& key, std::string message);

std::string scalar(const YAML::Node& node, const std::string& key);
std::uint64_t unsigned_value(const YAML::Node& node, const std::string& key);
// An integer in [min, max], range-checked as 64 bits before the caller narrows it.
std::uint64_t ranged_value(const YAML::Node& node, const std::string& key, std::uint64_t min,
                           std::uint64_t max);
// Every duration of both files is at most this: long enough for any interval or retention,
// short enough that deadline arithmetic in nanoseconds cannot overflow.
inline constexpr std::chrono::milliseconds max_duration{3650LL * 86'400'000};
// "250ms", "30s", "5m", "1h", "7d"; at most max_duration.
std::chrono::milliseconds duration_value(const YAML::Node& node, const std::string& key);
bool bool_value(const YAML::Node& node, const std::string& key);

using field_setter = std::function<void(const YAML::Node&, const std::string&)>;
using field_map = std::map<std::string, field_setter, std::less<>>;

// Calls the setter of every key of `map`; an unknown, repeated or non-string key, a known key
// without a value, or a non-mapping fails.
void walk(const YAML::Node& map, const std::string& prefix, const field_map& fields);

// Fails on the second occurrence of a key in `map`, naming the line of the first.
void refuse_repeated_keys(const YAML::Node& map, const std::string& prefix);

// "a.b" / "a[3]" path helpers for error keys.
inline std::string join_key(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : prefix + "." + name;
}
inline std::string index_key(const std::string& prefix, std::size_t i) {
  return prefix + "[" + std::to_string(i) + "]";
}

// Runs `body`, turning yaml_failure and yaml-cpp syntax errors into an `error` for `file_name`.
std::optional<file_error> guarded(std::string_view file_name, const std::function<void()>& body);

}  // namespace mirror::util
