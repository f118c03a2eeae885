#pragma once
// The pure part of curation: which rules match a version, whether it is served, and what the
// matching rules' overrides do to its server.json. No I/O, no clock (now is an argument).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "curation/facts.hpp"
#include "curation/rules.hpp"
#include "json/tree.hpp"

namespace mirror::curation {

bool glob_match(std::string_view pattern, std::string_view text);  // `*` any run, `?` one byte
bool in_namespace(std::string_view name, std::string_view prefix);  // reverse-DNS, label-bounded
bool matches(const match& m, const facts& f, std::int64_t now_us);

struct decision {
  bool visible = true;
  const rule* visibility_rule = nullptr;  // the last matching include/exclude; null: `default`
  std::vector<const rule*> matched;       // every matching rule, in file order
  const rule* deprecate = nullptr;        // the last matching rule with `deprecate`
  const rule* pin = nullptr;              // the last matching rule with `pin_latest` (view.cpp
                                          // weighs every matching pin against visibility)
};

decision decide(const rule_set& rules, const facts& f, std::int64_t now_us);

// What one rule changed in one version: JSON paths relative to `server` ("title",
// "packages[0].identifier") or official-block fields ("status", "isLatest").
struct effect {
  std::string rule_id;
  std::vector<std::string> changed;
};

// Applies the overrides (set, rewrite, env_defaults) of every matching rule, in order, to
// `server`. Returns one effect per rule that changed something; a rule whose values were
// already there changes nothing.
std::vector<effect> apply_overrides(const decision& d, json::node& server);

}  // namespace mirror::curation
