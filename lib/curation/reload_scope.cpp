#include "curation/reload_scope.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <unordered_map>

#include "curation/decide.hpp"
#include "curation/facts.hpp"
#include "json/tree.hpp"

namespace mirror::curation {
namespace {

// A condition on the name alone, checked before any server.json is parsed.
bool may_match_name(const match& m, std::string_view name) {
  auto any = [](const std::vector<std::string>& wanted, auto&& pred) {
    return wanted.empty() || std::any_of(wanted.begin(), wanted.end(), pred);
  };
  return any(m.names, [&](const std::string& g) { return glob_match(g, name); }) &&
         any(m.namespaces, [&](const std::string& p) { return in_namespace(name, p); });
}

class changed_rules_scope final : public store::recurate_scope {
 public:
  changed_rules_scope(std::vector<rule> changed, std::set<std::string, std::less<>> own_names)
      : changed_(std::move(changed)), own_names_(std::move(own_names)) {}

  bool may_affect(std::string_view name) const override {
    return own_names_.count(name) ||
           std::any_of(changed_.begin(), changed_.end(), [&](const rule& r) { return may_match_name(r.when, name); });
  }

  bool affects(std::string_view name, std::span<const store::row> mirrored, std::int64_t now_us) const override {
    if (own_names_.count(name)) return true;  // a local server's name, in either file
    std::vector<const rule*> candidates;
    for (const auto& r : changed_)
      if (may_match_name(r.when, name)) candidates.push_back(&r);
    if (candidates.empty()) return false;
    for (const auto& row : mirrored) {
      // The facts exactly as curate_name reads them (view.cpp): an unparsable document is an
      // empty object.
      auto tree = json::parse_tree(row.data.server_json);
      const json::node empty = json::node::object();
      const auto f = read_facts(row.data, tree.value ? *tree.value : empty);
      for (const rule* r : candidates)
        if (matches(r->when, f, now_us)) return true;
    }
    return false;
  }

 private:
  std::vector<rule> changed_;
  std::set<std::string, std::less<>> own_names_;
};

// Whether two rules have the same effect: everything but the line they are written on.
bool same_rule(const rule& a, const rule& b) {
  return a.id == b.id && a.when == b.when && a.action == b.action && a.deprecate == b.deprecate &&
         a.pin_latest == b.pin_latest && a.set == b.set;
}

}  // namespace

std::unique_ptr<store::recurate_scope> reload_scope(const rules_curator& before, const rules_curator& after) {
  const auto& old_rules = before.rules();
  const auto& new_rules = after.rules();
  if (old_rules.default_visibility != new_rules.default_visibility) return nullptr;
  if (old_rules.time_dependent() || new_rules.time_dependent()) return nullptr;

  // Rule ids are unique within a file (parse.cpp), so a rule is followed across files by its id.
  std::unordered_map<std::string_view, std::size_t> new_index;
  for (std::size_t i = 0; i < new_rules.rules.size(); ++i) new_index.emplace(new_rules.rules[i].id, i);
  std::vector<rule> changed;
  std::vector<bool> kept(new_rules.rules.size(), false);
  std::size_t last_kept = 0;
  bool first = true;
  for (const auto& r : old_rules.rules) {
    const auto it = new_index.find(r.id);
    if (it == new_index.end() || !same_rule(r, new_rules.rules[it->second])) {
      changed.push_back(r);
      continue;
    }
    // The rules both files share must keep their order: a swap of two of them changes which
    // one wins for the names both match, and nothing in the changed list would say so.
    if (!first && it->second < last_kept) return nullptr;
    first = false;
    last_kept = it->second;
    kept[it->second] = true;
  }
  for (std::size_t i = 0; i < new_rules.rules.size(); ++i)
    if (!kept[i]) changed.push_back(new_rules.rules[i]);

  std::set<std::string, std::less<>> own;
  for (auto& n : before.own_names()) own.insert(std::move(n));
  for (auto& n : after.own_names()) own.insert(std::move(n));
  return std::make_unique<changed_rules_scope>(std::move(changed), std::move(own));
}

}  // namespace mirror::curation
