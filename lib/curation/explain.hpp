#pragma once
// `mcp-mirror explain NAME[@VERSION]` and GET /v0.1/x/<namespace>/explain: the curation of one
// name as JSON — for every version whether it is served and why (the rule that decided its
// visibility, or the default), every rule that matched it and what each changed, and how
// isLatest was resolved. The CLI and the endpoint print the same document.
#include <optional>
#include <string>
#include <string_view>

#include "curation/rules.hpp"
#include "curation/view.hpp"
#include "store/precedence.hpp"

namespace mirror::curation {

// Which source the name is served from, among the configured ones (store::pick_source).
struct source_choice {
  const store::picked_source* picked = nullptr;  // null: say nothing of sources
  std::span<const std::string> order;
};

// nullopt when `version` is given and the name has no such version.
std::optional<std::string> render_explain(const rule_set& rules, const name_view& view, std::string_view name,
                                          std::optional<std::string_view> version, source_choice sources = {});

}  // namespace mirror::curation
