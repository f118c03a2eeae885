#include "curation/explain.hpp"

#include <fmt/format.h>

#include "json/writer.hpp"

namespace mirror::curation {
namespace {

std::string where(const rule_set& rules, const rule& r) {
  return fmt::format("rule {} ({}:{})", r.id, rules.file.empty() ? "curation file" : rules.file, r.line);
}

// The actions a rule carries, whether or not they changed this version.
void write_actions(json::writer& w, const rule& r) {
  w.key("actions").begin_array();
  if (r.action == visibility::include) w.string("include");
  if (r.action == visibility::exclude) w.string("exclude");
  if (r.deprecate) w.string("deprecate");
  if (r.pin_latest) w.string("pin_latest " + *r.pin_latest);
  if (r.set.title || r.set.description || r.set.website_url || r.set.icons_json) w.string("set");
  if (!r.set.rewrites.empty()) w.string("rewrite");
  if (!r.set.env_defaults.empty()) w.string("env_defaults");
  w.end_array();
}

std::string visibility_reason(const rule_set& rules, const curated_version& v) {
  const auto verb = v.visible ? "served" : "hidden";
  if (const rule* r = v.why.visibility_rule)
    return fmt::format("{}: {} by {}, the last matching include/exclude rule", verb,
                       r->action == visibility::include ? "included" : "excluded", where(rules, *r));
  return fmt::format("{}: no include/exclude rule matched, so the default ({}) applies", verb,
                     rules.default_visibility == visibility::exclude ? "exclude" : "include");
}

void write_source(json::writer& w, const source_choice& sources) {
  const auto& p = *sources.picked;
  std::string order;
  for (const auto& s : sources.order) order += (order.empty() ? "" : ", ") + s;
  w.key("source").begin_object();
  w.key("served");
  if (p.origin.empty())
    w.null();
  else
    w.string(p.origin);
  w.key("shadows").begin_array();
  for (const auto& s : p.shadowed) w.string(s);
  w.end_array();
  w.key("order").begin_array();
  for (const auto& s : sources.order) w.string(s);
  w.end_array();
  if (p.origin.empty())
    w.member("reason", fmt::format("no configured source ({}) holds this name", order));
  else if (p.shadowed.empty())
    w.member("reason", fmt::format("{} is the only configured source ({}) that holds this name", p.origin, order));
  else
    w.member("reason", fmt::format("{} is the first of the configured sources ({}) that holds this name; "
                                   "its versions are served, none of the others'",
                                   p.origin, order));
  w.end_object();
}

}  // namespace

std::optional<std::string> render_explain(const rule_set& rules, const name_view& view, std::string_view name,
                                          std::optional<std::string_view> version, source_choice sources) {
  std::string out;
  json::writer w(out);
  w.begin_object().member("name", name);
  if (sources.picked) write_source(w, sources);
  w.key("rules").begin_object().member("file", rules.file).member("hash", rules.hash);
  w.member("count", static_cast<std::int64_t>(rules.rules.size()));
  w.member("default", rules.default_visibility == visibility::exclude ? "exclude" : "include").end_object();
  w.key("latest");
  if (view.latest)
    w.string(*view.latest);
  else
    w.null();
  w.member("latestReason", view.latest ? view.latest_reason : "no version is served");
  w.key("versions").begin_array();
  bool found = false;
  for (const auto& v : view.versions) {
    if (version && v.in.data.version != *version) continue;
    found = true;
    w.begin_object()
        .member("version", v.in.data.version)
        .member("source", model::to_string(v.in.source))
        .member("served", v.visible)
        .member("reason", visibility_reason(rules, v));
    w.key("matched").begin_array();
    for (const rule* r : v.why.matched) {
      w.begin_object().member("id", r->id).member("line", r->line);
      write_actions(w, *r);
      w.end_object();
    }
    w.end_array().key("changed");
    write_effects(w, v.effects);
    const auto& up = v.in.data.official;
    w.key("upstream").begin_object().member("status", model::to_string(up.status)).member("isLatest", up.is_latest).end_object();
    if (v.visible) {
      const auto& s = v.served.official;
      w.key("servedAs").begin_object().member("status", model::to_string(s.status)).member("isLatest", s.is_latest).end_object();
    }
    w.end_object();
  }
  w.end_array().end_object();
  if (version && !found) return std::nullopt;
  out += '\n';
  return out;
}

}  // namespace mirror::curation
