#include "store/precedence.hpp"

#include <algorithm>

namespace mirror::store {

picked_source pick_source(std::vector<row> all, std::span<const std::string> order) {
  picked_source out;
  for (const auto& origin : order) {
    const bool holds = std::any_of(all.begin(), all.end(), [&](const row& r) { return r.origin == origin; });
    if (!holds) continue;
    if (out.origin.empty())
      out.origin = origin;
    else
      out.shadowed.push_back(origin);
  }
  std::erase_if(all, [&](const row& r) { return out.origin.empty() || r.origin != out.origin; });
  out.rows = std::move(all);
  return out;
}

std::string shadows_json(std::span<const std::string> shadowed) {
  if (shadowed.empty()) return {};
  std::string out = "[";
  for (const auto& s : shadowed) {
    if (out.size() > 1) out += ',';
    out += '"' + s + '"';
  }
  return out + "]";
}

void stamp_provenance(std::vector<served>& want, const picked_source& picked) {
  const auto shadows = shadows_json(picked.shadowed);
  for (auto& w : want) {
    if (w.source == model::source::local) continue;  // local servers win over every source
    w.origin = picked.origin;
    if (!shadows.empty()) w.shadows = shadows;
  }
}

}  // namespace mirror::store
