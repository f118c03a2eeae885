#include "curation/decide.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

namespace mirror::curation {
namespace {

template <class T>
bool any_of_or_empty(const std::vector<T>& wanted, auto&& pred) {
  return wanted.empty() || std::any_of(wanted.begin(), wanted.end(), pred);
}

bool contains(const std::vector<std::string>& values, const std::string& v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

// A configured duration in microseconds; absurdly long ones saturate instead of overflowing.
std::int64_t saturated_us(std::chrono::milliseconds d) {
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  return d.count() > max / 1000 ? max : d.count() * 1000;
}

shape shape_of(const facts& f) {
  if (f.has_packages && f.has_remotes) return shape::both;
  if (f.has_packages) return shape::package_only;
  if (f.has_remotes) return shape::remote_only;
  return shape::neither;
}

// Sets a string member when its value differs; true when it changed.
bool set_text(json::node& object, std::string_view key, const std::string& value) {
  if (const auto* current = object.find(key); current && current->text() == value) return false;
  object.set(key, json::node::string(value));
  return true;
}

// Prefix rewrite of a string member; true when it changed. A registry_base_url rewrite with
// `from: ""` sets the whole value, present or not.
bool rewrite_prefix(json::node& object, std::string_view key, const rewrite& r) {
  auto* value = object.find(key);
  if (r.from.empty() && r.target == rewrite::field::registry_base_url) {
    if (value && value->text() == r.to) return false;
    object.set(key, json::node::string(r.to));
    return true;
  }
  if (!value) return false;
  auto text = value->text();
  if (!text || !text->starts_with(r.from)) return false;
  const auto next = r.to + text->substr(r.from.size());
  if (next == *text) return false;
  *value = json::node::string(next);
  return true;
}

std::string_view trim_slash(std::string_view s) {
  while (s.ends_with('/')) s.remove_suffix(1);
  return s;
}

// An OCI reference's registry host: the first path segment when it looks like a host (has a dot
// or a port, or is localhost), else the implicit docker.io.
bool oci_host_rewrite(json::node& package, const rewrite& r) {
  const auto from = trim_slash(r.from), to = trim_slash(r.to);
  bool changed = false;
  if (auto* id = package.find("identifier")) {
    if (auto text = id->text()) {
      const auto slash = text->find('/');
      const std::string_view first = std::string_view(*text).substr(0, slash);
      const bool explicit_host = slash != std::string::npos &&
                                 (first.find('.') != std::string_view::npos ||
                                  first.find(':') != std::string_view::npos || first == "localhost");
      std::string next;
      if (explicit_host && first == from) {
        next = fmt::format("{}{}", to, std::string_view(*text).substr(slash));
      } else if (!explicit_host && from == "docker.io") {
        // Docker Hub shorthand: "foo/bar" is docker.io/foo/bar, "nginx" docker.io/library/nginx.
        next = fmt::format("{}/{}{}", to, slash == std::string::npos ? "library/" : "", *text);
      }
      if (!next.empty() && next != *text) {
        *id = json::node::string(next);
        changed = true;
      }
    }
  }
  if (auto* base = package.find("registryBaseUrl")) {
    if (auto text = base->text()) {
      for (const auto* scheme : {"https://", "http://"}) {
        const auto old_base = fmt::format("{}{}", scheme, from);
        if (trim_slash(*text) == old_base) {
          *base = json::node::string(fmt::format("{}{}", scheme, to));
          changed = true;
        }
      }
    }
  }
  return changed;
}

std::string indexed(std::string_view array, std::size_t i, std::string_view field) {
  return fmt::format("{}[{}].{}", array, i, field);
}

void apply_rewrite(const rewrite& r, json::node& server, std::vector<std::string>& changed) {
  if (r.target == rewrite::field::remote_url) {
    auto* remotes = server.find("remotes");
    if (!remotes || !remotes->is_array()) return;
    for (std::size_t i = 0; i < remotes->items().size(); ++i)
      if (rewrite_prefix(remotes->items()[i], "url", r)) changed.push_back(indexed("remotes", i, "url"));
    return;
  }
  auto* packages = server.find("packages");
  if (!packages || !packages->is_array()) return;
  for (std::size_t i = 0; i < packages->items().size(); ++i) {
    auto& p = packages->items()[i];
    if (!p.is_object()) continue;
    const auto type = p.find("registryType") ? p.find("registryType")->text() : std::nullopt;
    if (r.registry_type && type != *r.registry_type) continue;
    switch (r.target) {
      case rewrite::field::package_identifier:
        if (rewrite_prefix(p, "identifier", r)) changed.push_back(indexed("packages", i, "identifier"));
        break;
      case rewrite::field::registry_base_url:
        if (rewrite_prefix(p, "registryBaseUrl", r)) changed.push_back(indexed("packages", i, "registryBaseUrl"));
        break;
      case rewrite::field::oci_host:
        if (type == "oci" && oci_host_rewrite(p, r)) changed.push_back(fmt::format("packages[{}]", i));
        break;
      case rewrite::field::remote_url: break;
    }
  }
}

void apply_env_default(const std::string& var, const std::string& value, json::node& server,
                       std::vector<std::string>& changed) {
  auto* packages = server.find("packages");
  if (!packages || !packages->is_array()) return;
  for (std::size_t i = 0; i < packages->items().size(); ++i) {
    auto& p = packages->items()[i];
    if (!p.is_object()) continue;
    auto* env = p.find("environmentVariables");
    if (!env || !env->is_array()) env = &p.set("environmentVariables", json::node::array());
    auto& items = env->items();
    auto it = std::find_if(items.begin(), items.end(), [&](const json::node& e) {
      const auto* n = e.find("name");
      return n && n->text() == var;
    });
    if (it == items.end()) {
      auto entry = json::node::object();
      entry.set("name", json::node::string(var));
      items.push_back(std::move(entry));
      it = items.end() - 1;
    }
    if (!it->is_object() || !set_text(*it, "default", value)) continue;
    changed.push_back(fmt::format("packages[{}].environmentVariables[{}].default", i, it - items.begin()));
  }
}

}  // namespace

bool glob_match(std::string_view p, std::string_view t) {
  // Iterative matcher with one backtrack point: linear in practice, no recursion.
  std::size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && (p[pi] == '?' || p[pi] == t[ti])) {
      ++pi;
      ++ti;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

bool in_namespace(std::string_view name, std::string_view prefix) {
  const auto ns = name.substr(0, name.find('/'));
  return ns == prefix || (ns.starts_with(prefix) && ns.size() > prefix.size() && ns[prefix.size()] == '.');
}

bool matches(const match& m, const facts& f, std::int64_t now_us) {
  if (!any_of_or_empty(m.names, [&](const std::string& g) { return glob_match(g, f.name); })) return false;
  if (!any_of_or_empty(m.namespaces, [&](const std::string& p) { return in_namespace(f.name, p); })) return false;
  if (!any_of_or_empty(m.versions, [&](const std::string& g) { return glob_match(g, f.version); })) return false;
  if (!any_of_or_empty(m.registry_types, [&](const std::string& t) { return contains(f.registry_types, t); }))
    return false;
  if (!any_of_or_empty(m.transports, [&](const std::string& t) { return contains(f.transports, t); })) return false;
  if (!any_of_or_empty(m.shapes, [&](shape s) { return s == shape_of(f); })) return false;
  if (!any_of_or_empty(m.statuses, [&](model::status s) { return s == f.status; })) return false;
  if (!any_of_or_empty(m.schema_dates, [&](const std::string& d) { return f.schema_date == d; })) return false;
  if (m.schema_before && f.schema_date && !(*f.schema_date < *m.schema_before)) return false;
  const auto age_us = now_us - f.published_us;
  if (m.published_older_than && !(age_us > saturated_us(*m.published_older_than))) return false;
  if (m.published_newer_than && !(age_us < saturated_us(*m.published_newer_than))) return false;
  return true;
}

decision decide(const rule_set& rules, const facts& f, std::int64_t now_us) {
  decision d;
  d.visible = rules.default_visibility != visibility::exclude;
  for (const auto& r : rules.rules) {
    if (!matches(r.when, f, now_us)) continue;
    d.matched.push_back(&r);
    if (r.action != visibility::unchanged) {
      d.visible = r.action == visibility::include;
      d.visibility_rule = &r;
    }
    if (r.deprecate) d.deprecate = &r;
    if (r.pin_latest) d.pin = &r;
  }
  return d;
}

std::vector<effect> apply_overrides(const decision& d, json::node& server) {
  std::vector<effect> effects;
  for (const rule* r : d.matched) {
    if (r->set.empty()) continue;
    effect e{r->id, {}};
    const auto& o = r->set;
    if (o.title && set_text(server, "title", *o.title)) e.changed.emplace_back("title");
    if (o.description && set_text(server, "description", *o.description)) e.changed.emplace_back("description");
    if (o.website_url && set_text(server, "websiteUrl", *o.website_url)) e.changed.emplace_back("websiteUrl");
    if (o.icons_json) {
      const auto* current = server.find("icons");
      if (!current || current->to_string() != *o.icons_json) {
        server.set("icons", *json::parse_tree(*o.icons_json).value);
        e.changed.emplace_back("icons");
      }
    }
    for (const auto& rw : o.rewrites) apply_rewrite(rw, server, e.changed);
    for (const auto& [var, value] : o.env_defaults) apply_env_default(var, value, server, e.changed);
    if (!e.changed.empty()) effects.push_back(std::move(e));
  }
  return effects;
}

}  // namespace mirror::curation
