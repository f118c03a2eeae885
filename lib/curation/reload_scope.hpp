#pragma once
// What a reload must recompute: the names whose served view can differ between the rules the
// view was built with and the new ones. A reload that edits one rule of fifty then rewrites the
// names that rule matches (before or after the edit), not all of them (writer::recurate_step).
//
// Exact, not a heuristic: the served view of a name is a function of the ordered list of rules
// that match its versions, the `default`, the local servers and, for age rules, the clock. A name
// that no added, removed or edited rule matches sees the same ordered list of matching rules
// under both files when the rules both files share keep their relative order, so its view is
// unchanged. When that cannot be shown cheaply (a changed `default`, reordered shared rules, an
// age rule on either side) the scope is every name.
#include <memory>

#include "curation/rules_curator.hpp"
#include "store/curator.hpp"

namespace mirror::curation {

// The scope of going from `before` to `after`; nullptr means every name.
std::unique_ptr<store::recurate_scope> reload_scope(const rules_curator& before, const rules_curator& after);

}  // namespace mirror::curation
