#pragma once
// Reading one rule of a curation file (and the list helpers the file's walk shares): every key
// of `rules[i]` with its value checked where it is written, so an error names its line, column
// and key path. Internal to lib/curation: parse.cpp walks the document and calls these.
#include <functional>
#include <map>
#include <string>

#include <yaml-cpp/yaml.h>

#include "curation/rules.hpp"

namespace mirror::curation::detail {

// Calls `read` on each item of the list `n` (key `k`); a non-list fails.
void for_each_item(const YAML::Node& n, const std::string& k,
                   const std::function<void(const YAML::Node&, const std::string&)>& read);

// A non-empty string.
std::string text(const YAML::Node& n, const std::string& k);

// `include` or `exclude`.
visibility visibility_value(const YAML::Node& n, const std::string& k);

// One rule; `ids` maps each id to the line of its first use across the file's rules, so a
// duplicate names where the first one is.
rule read_rule(const YAML::Node& n, const std::string& k, std::map<std::string, int, std::less<>>& ids);

}  // namespace mirror::curation::detail
