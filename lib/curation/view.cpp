#include "curation/view.hpp"

#include <algorithm>

#include "json/writer.hpp"
#include "model/latest.hpp"

namespace mirror::curation {
namespace {

bool no_rules(const rule_set& rules) {
  return rules.rules.empty() && rules.default_visibility != visibility::exclude;
}

// Rules and overrides for one version; the official block is handled by the caller.
void curate_version(const rule_set& rules, curated_version& v, std::int64_t now_us) {
  v.served = v.in.data;
  if (no_rules(rules)) return;
  auto tree = json::parse_tree(v.in.data.server_json);
  const json::node empty = json::node::object();
  const json::node& server = tree.value ? *tree.value : empty;
  v.why = decide(rules, read_facts(v.in.data, server), now_us);
  v.visible = v.why.visible;
  if (!v.visible || !tree.value) return;
  v.effects = apply_overrides(v.why, *tree.value);
  if (!v.effects.empty()) v.served.server_json = tree.value->to_string();
  if (const rule* r = v.why.deprecate; r && v.served.official.status != model::status::deleted) {
    effect e{r->id, {}};
    auto& o = v.served.official;
    if (o.status != model::status::deprecated) e.changed.emplace_back("status");
    if (o.status_message != r->deprecate) e.changed.emplace_back("statusMessage");
    o.status = model::status::deprecated;
    o.status_message = r->deprecate;
    // One entry per rule: a rule that also set or rewrote fields already has one.
    auto same = std::find_if(v.effects.begin(), v.effects.end(),
                             [&](const effect& x) { return x.rule_id == r->id; });
    if (same != v.effects.end())
      same->changed.insert(same->changed.end(), e.changed.begin(), e.changed.end());
    else if (!e.changed.empty())
      v.effects.push_back(std::move(e));
  }
}

void add_effect(std::vector<effect>& effects, const std::string& rule_id, std::string what) {
  for (auto& e : effects)
    if (e.rule_id == rule_id) {
      e.changed.push_back(std::move(what));
      return;
    }
  effects.push_back({rule_id, {std::move(what)}});
}

std::string render_curation(const curated_version& v) {
  std::string out;
  json::writer w(out);
  w.begin_object().key("rules");
  write_effects(w, v.effects);
  // The upstream's values of the official-block fields a rule replaced (docs/upstream-api.md:
  // Responses: the official block
  // itself is served as curated, so a host can still see what the upstream said).
  const auto& up = v.in.data.official;
  const auto& now = v.served.official;
  if (up.status != now.status || up.status_message != now.status_message || up.is_latest != now.is_latest) {
    w.key("upstream").begin_object();
    if (up.status != now.status) w.member("status", model::to_string(up.status));
    if (up.status_message != now.status_message) {
      w.key("statusMessage");
      if (up.status_message)
        w.string(*up.status_message);
      else
        w.null();
    }
    if (up.is_latest != now.is_latest) w.member("isLatest", up.is_latest);
    w.end_object();
  }
  w.end_object();
  return out;
}

}  // namespace

void write_effects(json::writer& w, std::span<const effect> effects) {
  w.begin_array();
  for (const auto& e : effects) {
    w.begin_object().member("id", e.rule_id).key("changed").begin_array();
    for (const auto& c : e.changed) w.string(c);
    w.end_array().end_object();
  }
  w.end_array();
}

name_view curate_name(const rule_set& rules, std::vector<input_version> versions, std::int64_t now_us) {
  name_view view;
  view.versions.reserve(versions.size());
  for (auto& in : versions) {
    curated_version v;
    v.in = std::move(in);
    curate_version(rules, v, now_us);
    view.versions.push_back(std::move(v));
  }

  // isLatest among the visible versions: a pin (the last rule in the file that matches a visible
  // version of the name and pins a visible version), else the upstream's own choice when it is visible, else the upstream's rule.
  std::vector<curated_version*> visible;
  for (auto& v : view.versions)
    if (v.visible) visible.push_back(&v);
  auto find_visible = [&](const std::string& version) -> curated_version* {
    for (auto* v : visible)
      if (v->served.version == version) return v;
    return nullptr;
  };
  curated_version* latest = nullptr;
  const rule* pin = nullptr;
  for (auto* v : visible)
    for (const rule* r : v->why.matched)  // file order: a later rule is a later element
      if (r->pin_latest && find_visible(*r->pin_latest) && (!pin || r > pin)) pin = r;
  if (pin) {
    latest = find_visible(*pin->pin_latest);
    view.latest_reason = "pinned by rule " + pin->id;
  }
  if (!latest)
    for (auto* v : visible)
      if (v->in.data.official.is_latest) {
        latest = v;
        view.latest_reason = "the upstream's latest";
      }
  if (!latest && !visible.empty()) {
    std::vector<model::latest_candidate> candidates;
    for (auto* v : visible)
      candidates.push_back({v->served.version, v->served.official.published_at.us,
                            v->served.official.status == model::status::deleted});
    latest = visible[*model::pick_latest(candidates)];
    view.latest_reason = "the highest visible version";
  }
  // Which rule moved the flag away from the upstream's latest: the pin, or what hid that version.
  std::string mover = pin ? pin->id : "default";
  for (const auto& v : view.versions)
    if (!pin && !v.visible && v.in.data.official.is_latest && v.why.visibility_rule) mover = v.why.visibility_rule->id;

  for (auto* v : visible) {
    v->served.official.is_latest = v == latest;
    // A local server without its own official block has no upstream flag to depart from.
    if (v->served.official.is_latest != v->in.data.official.is_latest && !v->in.mirror_owned_times)
      add_effect(v->effects, mover, "isLatest");
    if (!v->effects.empty()) v->curation_json = render_curation(*v);
  }
  if (latest) view.latest = latest->served.version;
  return view;
}

}  // namespace mirror::curation
