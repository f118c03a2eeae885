#include "curation/rule_reader.hpp"

#include <algorithm>
#include <chrono>
#include <initializer_list>
#include <optional>

#include <fmt/format.h>

#include "util/yaml_fields.hpp"
#include "curation/facts.hpp"
#include "json/writer.hpp"

namespace mirror::curation::detail {

using util::fail;
using util::field_map;
using util::index_key;
using util::join_key;
using util::walk;

void for_each_item(const YAML::Node& n, const std::string& k,
                   const std::function<void(const YAML::Node&, const std::string&)>& read) {
  if (!n.IsSequence()) fail(n, k, "expected a list");
  for (std::size_t i = 0; i < n.size(); ++i) read(n[i], index_key(k, i));
}

std::string text(const YAML::Node& n, const std::string& k) {  // non-empty string
  auto v = util::scalar(n, k);
  if (v.empty()) fail(n, k, "must not be empty");
  return v;
}

namespace {

// A match condition takes one value or a list of them (any may match). An empty list would
// match nothing, which no one means: it is an error.
template <class T>
util::field_setter one_or_list(std::vector<T>& into, T (*read)(const YAML::Node&, const std::string&)) {
  return [&into, read](const YAML::Node& n, const std::string& k) {
    if (n.IsSequence() && n.size() == 0) fail(n, k, "expected a value or a non-empty list");
    if (!n.IsSequence()) return into.push_back(read(n, k));
    for_each_item(n, k, [&](const YAML::Node& v, const std::string& vk) { into.push_back(read(v, vk)); });
  };
}

std::string one_of(const YAML::Node& n, const std::string& k,
                   std::initializer_list<std::string_view> allowed) {
  auto v = util::scalar(n, k);
  if (std::find(allowed.begin(), allowed.end(), v) != allowed.end()) return v;
  std::string list;
  for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  fail(n, k, fmt::format("expected one of {}; got \"{}\"", list, v));
}

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool lower_digit_dash(char c) { return is_lower(c) || is_digit(c) || c == '-'; }
bool dns_label_char(char c) { return lower_digit_dash(c) || is_upper(c); }
bool env_char(char c) { return is_lower(c) || is_upper(c) || is_digit(c) || c == '_'; }
bool every_char(std::string_view s, bool (*ok)(char)) { return std::all_of(s.begin(), s.end(), ok); }

// Characters as JSON Schema's maxLength counts them: code points, not bytes.
std::size_t code_points(std::string_view s) {
  return std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xc0) != 0x80; });
}

std::string rule_id(const YAML::Node& n, const std::string& k) {
  auto v = text(n, k);
  if (v.size() > 64 || !(is_lower(v[0]) || is_digit(v[0])) ||
      !every_char(v, [](char c) { return lower_digit_dash(c) || c == '.' || c == '_'; }))
    fail(n, k, fmt::format("expected up to 64 of a-z 0-9 . _ - starting with a letter or digit; "
                           "got \"{}\"", v));
  return v;
}

std::string namespace_prefix(const YAML::Node& n, const std::string& k) {
  auto v = text(n, k);
  std::string_view rest = v;
  for (auto dot = rest.find('.');; dot = rest.find('.')) {
    const auto label = rest.substr(0, dot);
    if (label.empty() || !every_char(label, dns_label_char))
      fail(n, k, fmt::format("expected a reverse-DNS prefix such as io.github.acme (labels of "
                             "letters, digits and '-' joined by dots; no '/'); got \"{}\"", v));
    if (dot == std::string_view::npos) return v;
    rest.remove_prefix(dot + 1);
  }
}

std::string registry_type(const YAML::Node& n, const std::string& k) {
  auto v = text(n, k);
  if (!every_char(v, lower_digit_dash))
    fail(n, k, fmt::format("expected a registryType such as npm, pypi or oci (a-z 0-9 -); got \"{}\"", v));
  return v;
}

std::string transport(const YAML::Node& n, const std::string& k) {
  return one_of(n, k, {"stdio", "streamable-http", "sse"});
}

shape shape_value(const YAML::Node& n, const std::string& k) {
  const auto v = one_of(n, k, {"remote-only", "package-only", "both", "neither"});
  return v == "remote-only"    ? shape::remote_only
         : v == "package-only" ? shape::package_only
         : v == "both"         ? shape::both
                               : shape::neither;
}

model::status status_value(const YAML::Node& n, const std::string& k) {
  const auto v = util::scalar(n, k);
  if (auto s = model::parse_status(v)) return *s;
  fail(n, k, fmt::format("expected one of active, deprecated, deleted; got \"{}\"", v));
}

// YYYY-MM-DD naming a real day: the dates in `$schema` URLs.
std::string date(const YAML::Node& n, const std::string& k) {
  auto v = util::scalar(n, k);
  if (!is_date(v) || !std::chrono::year_month_day(std::chrono::year(std::stoi(v.substr(0, 4))),
                                              std::chrono::month(std::stoul(v.substr(5, 2))),
                                              std::chrono::day(std::stoul(v.substr(8, 2))))
                      .ok())
    fail(n, k, fmt::format("expected a date YYYY-MM-DD such as 2025-09-29; got \"{}\"", v));
  return v;
}

std::string url(const YAML::Node& n, const std::string& k, std::initializer_list<std::string_view> schemes) {
  auto v = util::scalar(n, k);
  for (auto s : schemes)
    if (v.size() > s.size() && v.starts_with(s)) return v;
  fail(n, k, fmt::format("expected a URL starting with {}; got \"{}\"",
                         schemes.size() == 1 ? "https://" : "http:// or https://", v));
}

// title and description: 1–100 characters, the server.json schema's bounds.
std::string short_text(const YAML::Node& n, const std::string& k) {
  auto v = text(n, k);
  if (code_points(v) > 100)
    fail(n, k, fmt::format("at most 100 characters (server.json limit); this has {}", code_points(v)));
  return v;
}

match read_match(const YAML::Node& n, const std::string& k) {
  match m;
  walk(n, k, {
      {"name", one_or_list(m.names, text)},
      {"namespace", one_or_list(m.namespaces, namespace_prefix)},
      {"version", one_or_list(m.versions, text)},
      {"registry_type", one_or_list(m.registry_types, registry_type)},
      {"transport", one_or_list(m.transports, transport)},
      {"shape", one_or_list(m.shapes, shape_value)},
      {"status", one_or_list(m.statuses, status_value)},
      {"schema", one_or_list(m.schema_dates, date)},
      {"schema_before", [&](auto& v, auto& vk) { m.schema_before = date(v, vk); }},
      {"published_older_than",
       [&](auto& v, auto& vk) { m.published_older_than = util::duration_value(v, vk); }},
      {"published_newer_than",
       [&](auto& v, auto& vk) { m.published_newer_than = util::duration_value(v, vk); }},
  });
  return m;
}

// "48x48" or "any": the server.json schema's ^(\d+x\d+|any)$.
std::string icon_size(const YAML::Node& n, const std::string& k) {
  auto v = util::scalar(n, k);
  const auto x = v.find('x');
  const auto number = [](std::string_view d) { return !d.empty() && every_char(d, is_digit); };
  if (v != "any" && (x == std::string::npos || !number(std::string_view(v).substr(0, x)) ||
                     !number(std::string_view(v).substr(x + 1))))
    fail(n, k, fmt::format("expected WIDTHxHEIGHT such as 48x48, or any; got \"{}\"", v));
  return v;
}

// Icons as the server.json `icons` array: keys in schema order src, mimeType, sizes, theme.
std::string read_icons(const YAML::Node& n, const std::string& k) {
  std::string out;
  json::writer w(out);
  w.begin_array();
  for_each_item(n, k, [&](const YAML::Node& icon, const std::string& ik) {
    std::optional<std::string> src, mime_type, theme;
    std::optional<std::vector<std::string>> sizes;
    walk(icon, ik, {
        {"src", [&](auto& v, auto& vk) {
           src = url(v, vk, {"https://"});
           if (src->size() > 255) fail(v, vk, "at most 255 characters (server.json limit)");
         }},
        {"mimeType", [&](auto& v, auto& vk) {
           mime_type = one_of(v, vk, {"image/png", "image/jpeg", "image/jpg", "image/svg+xml", "image/webp"});
         }},
        {"sizes", [&](auto& v, auto& vk) {
           sizes.emplace();
           for_each_item(v, vk, [&](auto& s, auto& sk) { sizes->push_back(icon_size(s, sk)); });
         }},
        {"theme", [&](auto& v, auto& vk) { theme = one_of(v, vk, {"light", "dark"}); }},
    });
    if (!src) fail(icon, join_key(ik, "src"), "missing: every icon needs a src");
    w.begin_object().member("src", *src);
    if (mime_type) w.member("mimeType", *mime_type);
    if (sizes) {
      w.key("sizes").begin_array();
      for (const auto& s : *sizes) w.string(s);
      w.end_array();
    }
    if (theme) w.member("theme", *theme);
    w.end_object();
  });
  w.end_array();
  return out;
}

rewrite read_rewrite(const YAML::Node& n, const std::string& k) {
  rewrite r;
  std::optional<YAML::Node> field, from, to, type;  // kept for the checks that need every key
  walk(n, k, {
      {"field", [&](auto& v, auto& vk) {
         field.emplace(v);
         const auto f = one_of(v, vk, {"package_identifier", "registry_base_url", "oci_host", "remote_url"});
         r.target = f == "package_identifier" ? rewrite::field::package_identifier
                    : f == "registry_base_url" ? rewrite::field::registry_base_url
                    : f == "oci_host"          ? rewrite::field::oci_host
                                               : rewrite::field::remote_url;
       }},
      {"from", [&](auto& v, auto& vk) {
         from.emplace(v);
         r.from = util::scalar(v, vk);
       }},
      {"to", [&](auto& v, auto& vk) {
         to.emplace(v);
         r.to = util::scalar(v, vk);
       }},
      {"registry_type", [&](auto& v, auto& vk) {
         type.emplace(v);
         r.registry_type = registry_type(v, vk);
       }},
  });
  using given = std::pair<const std::optional<YAML::Node>*, const char*>;
  for (const auto& [seen, name] : {given{&field, "field"}, given{&from, "from"}, given{&to, "to"}})
    if (!*seen) fail(n, join_key(k, name), "missing: every rewrite needs field, from and to");
  // Only registryBaseUrl can be absent, so only there does an empty prefix mean something
  // ("set it where missing"); elsewhere it would prepend `to` to every value.
  if (r.from.empty() && r.target != rewrite::field::registry_base_url)
    fail(*from, join_key(k, "from"), "must not be empty (only registry_base_url takes from: \"\")");
  if (type && r.target == rewrite::field::remote_url)
    fail(*type, join_key(k, "registry_type"), "remote_url rewrites remotes, which have no registry_type");
  return r;
}

std::vector<std::pair<std::string, std::string>> read_env_defaults(const YAML::Node& n,
                                                                   const std::string& k) {
  if (!n.IsMap()) fail(n, k, "expected a mapping of NAME: value");
  util::refuse_repeated_keys(n, k);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& kv : n) {
    auto name = util::scalar(kv.first, k);
    const auto path = join_key(k, name);
    if (name.empty() || is_digit(name[0]) || !every_char(name, env_char))
      fail(kv.first, path, "expected an environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
    if (kv.second.IsNull()) fail(kv.first, path, "has no value (write \"\" for an empty default)");
    out.emplace_back(std::move(name), util::scalar(kv.second, path));
  }
  return out;
}

}  // namespace

visibility visibility_value(const YAML::Node& n, const std::string& k) {
  return one_of(n, k, {"include", "exclude"}) == "include" ? visibility::include : visibility::exclude;
}

// `ids`: id → line of its first use, across the file's rules.
rule read_rule(const YAML::Node& n, const std::string& k, std::map<std::string, int, std::less<>>& ids) {
  rule r;
  r.line = n.Mark().line + 1;
  walk(n, k, {
      {"id", [&](auto& v, auto& vk) {
         r.id = rule_id(v, vk);
         const auto [first, fresh] = ids.emplace(r.id, v.Mark().line + 1);
         if (!fresh) fail(v, vk, fmt::format("duplicate id \"{}\" (first at line {})", r.id, first->second));
       }},
      {"match", [&](auto& v, auto& vk) { r.when = read_match(v, vk); }},
      {"action", [&](auto& v, auto& vk) { r.action = visibility_value(v, vk); }},
      {"deprecate", [&](auto& v, auto& vk) { r.deprecate = text(v, vk); }},
      {"pin_latest", [&](auto& v, auto& vk) { r.pin_latest = text(v, vk); }},
      {"set", [&](auto& v, auto& vk) {
         walk(v, vk, {
             {"title", [&](auto& f, auto& fk) { r.set.title = short_text(f, fk); }},
             {"description", [&](auto& f, auto& fk) { r.set.description = short_text(f, fk); }},
             {"website_url",
              [&](auto& f, auto& fk) { r.set.website_url = url(f, fk, {"http://", "https://"}); }},
             {"icons", [&](auto& f, auto& fk) { r.set.icons_json = read_icons(f, fk); }},
         });
       }},
      {"rewrite", [&](auto& v, auto& vk) {
         for_each_item(v, vk, [&](const YAML::Node& item, const std::string& ik) {
           r.set.rewrites.push_back(read_rewrite(item, ik));
         });
       }},
      {"env_defaults", [&](auto& v, auto& vk) { r.set.env_defaults = read_env_defaults(v, vk); }},
  });
  if (r.id.empty()) fail(n, join_key(k, "id"), "missing: every rule needs an id");
  if (r.action == visibility::unchanged && !r.deprecate && !r.pin_latest && r.set.empty())
    fail(n, k, "rule does nothing: give it an action, deprecate, pin_latest, set, rewrite or env_defaults");
  return r;
}

}  // namespace mirror::curation::detail
