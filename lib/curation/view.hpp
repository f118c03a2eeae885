#pragma once
// Curating one server name: every version of it through the rules, then `isLatest` resolved
// among the versions that stay visible. Used by the writer (through curation::rules_curator) to
// build the served view, by explain to say why, and by `curate --dry-run` to compare two rule
// files. Pure: same inputs, same output.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "curation/decide.hpp"
#include "curation/rules.hpp"
#include "json/writer.hpp"
#include "model/server_version.hpp"

namespace mirror::curation {

struct input_version {
  model::server_version data;  // as mirrored (or as the local file gives it)
  model::source source = model::source::upstream;
  bool mirror_owned_times = false;  // local server without an official block
};

struct curated_version {
  input_version in;
  bool visible = true;
  model::server_version served;  // valid when visible: bytes and official block as served
  decision why;
  std::vector<effect> effects;   // what rules changed, server.json and official block
  std::optional<std::string> curation_json;  // `_meta["<ns>/curation"]`; none when no effect
};

struct name_view {
  std::vector<curated_version> versions;  // in input order
  std::optional<std::string> latest;      // the served isLatest version
  std::string latest_reason;  // "the upstream's latest", "pinned by rule X", "the highest visible version"
};

name_view curate_name(const rule_set& rules, std::vector<input_version> versions, std::int64_t now_us);

// `[{"id":…,"changed":[…]},…]`: the effects as both the `_meta` note and explain show them.
void write_effects(json::writer& w, std::span<const effect> effects);

}  // namespace mirror::curation
