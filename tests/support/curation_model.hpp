#pragma once
// A plain model of curation for property tests: it shares no code with lib/curation and only
// understands the rule shapes the tests generate (exact names, `prefix*` globs, namespaces,
// statuses, `N.*` versions, include/exclude, pin_latest); and a walk of every list page.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "model/status.hpp"
#include "support/http_client.hpp"
#include "support/json_view.hpp"
#include "support/rows.hpp"

namespace mirror::test {

struct model_row {
  std::string name, version;
  model::status status;
  bool upstream_latest = false;
};

struct gen_rule {
  std::string id;
  std::optional<std::string> name_exact, name_prefix, ns, version_major, status;
  std::optional<bool> include;  // nullopt: a pin rule
  std::string pin;
};

inline const std::vector<std::string> namespaces{"io.github.a", "io.github.ab", "io.github.a.b", "com.example", "org.x"};
inline const std::vector<std::string> versions{"1.0.0", "1.1.0", "2.0.0", "10.0.0"};

inline int major_of(const std::string& v) { return std::stoi(v.substr(0, v.find('.'))); }
// The generated versions are all MAJOR.MINOR.0, so (major, minor) orders them as SemVer does.
inline std::pair<int, int> semver_of(const std::string& v) {
  const auto dot = v.find('.');
  return {std::stoi(v.substr(0, dot)), std::stoi(v.substr(dot + 1, v.find('.', dot + 1) - dot - 1))};
}

inline bool in_ns(const std::string& name, const std::string& prefix) {
  const auto ns = name.substr(0, name.find('/'));
  return ns == prefix || (ns.size() > prefix.size() && ns.compare(0, prefix.size(), prefix) == 0 &&
                          ns[prefix.size()] == '.');
}

inline bool rule_matches(const gen_rule& r, const model_row& row) {
  if (r.name_exact && row.name != *r.name_exact) return false;
  if (r.name_prefix && row.name.rfind(*r.name_prefix, 0) != 0) return false;
  if (r.ns && !in_ns(row.name, *r.ns)) return false;
  if (r.version_major && row.version.rfind(*r.version_major + ".", 0) != 0) return false;
  if (r.status && model::to_string(row.status) != *r.status) return false;
  return true;
}

inline std::string yaml_of(bool default_exclude, const std::vector<gen_rule>& rules) {
  std::string y = default_exclude ? "default: exclude\nrules:\n" : "default: include\nrules:\n";
  if (rules.empty()) y = default_exclude ? "default: exclude\n" : "rules: []\n";
  for (const auto& r : rules) {
    y += "  - id: " + r.id + "\n";
    if (r.name_exact || r.name_prefix || r.ns || r.version_major || r.status) y += "    match:\n";
    if (r.name_exact) y += "      name: \"" + *r.name_exact + "\"\n";
    if (r.name_prefix) y += "      name: \"" + *r.name_prefix + "*\"\n";
    if (r.ns) y += "      namespace: " + *r.ns + "\n";
    if (r.version_major) y += "      version: \"" + *r.version_major + ".*\"\n";
    if (r.status) y += "      status: " + *r.status + "\n";
    if (r.include)
      y += std::string("    action: ") + (*r.include ? "include" : "exclude") + "\n";
    else
      y += "    pin_latest: \"" + r.pin + "\"\n";
  }
  return y;
}

struct expected_view {
  std::vector<model_row> visible;           // (name, version) byte order
  std::map<std::string, std::string> latest;  // name → served latest version
};

inline expected_view filter(const std::vector<model_row>& rows, bool default_exclude, const std::vector<gen_rule>& rules) {
  expected_view out;
  std::map<std::string, std::vector<const model_row*>> by_name;
  for (const auto& row : rows) {
    bool visible = !default_exclude;
    for (const auto& r : rules)
      if (r.include && rule_matches(r, row)) visible = *r.include;
    if (!visible) continue;
    out.visible.push_back(row);
    by_name[row.name].push_back(&row);
  }
  for (const auto& [name, versions] : by_name) {
    const auto& vis = versions;  // a reference the lambdas can capture (clang 14 cannot capture bindings)
    auto has = [&](const std::string& v) {
      return std::any_of(vis.begin(), vis.end(), [&](const model_row* r) { return r->version == v; });
    };
    std::optional<std::string> latest;
    for (std::size_t i = rules.size(); i-- > 0 && !latest;) {
      const auto& r = rules[i];
      if (r.include || !has(r.pin)) continue;
      if (std::any_of(vis.begin(), vis.end(), [&](const model_row* row) { return rule_matches(r, *row); }))
        latest = r.pin;
    }
    for (const auto* r : vis)
      if (!latest && r->upstream_latest) latest = r->version;
    if (!latest) {
      const model_row* best = nullptr;
      for (const auto* r : vis) {
        const bool deleted = r->status == model::status::deleted;
        const bool best_deleted = best && best->status == model::status::deleted;
        if (!best || (best_deleted && !deleted) ||
            (best_deleted == deleted && semver_of(r->version) > semver_of(best->version)))
          best = r;
      }
      latest = best->version;
    }
    out.latest[name] = *latest;
  }
  std::sort(out.visible.begin(), out.visible.end(),
            [](const model_row& a, const model_row& b) { return std::tie(a.name, a.version) < std::tie(b.name, b.version); });
  return out;
}

inline std::string url_encode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

// Walks every page of `query`; checks each page's shape; returns "name@version latest" items.
inline std::vector<std::string> walk(unsigned short port, const std::string& query, int limit,
                                     const std::string& base = "", const std::string& authorization = "") {
  std::vector<std::string> items;
  std::string cursor;
  for (int pages = 0; pages < 1000; ++pages) {
    std::string target = base + "/v0.1/servers?limit=" + std::to_string(limit) + query;
    if (!cursor.empty()) target += "&cursor=" + url_encode(cursor);
    std::vector<std::pair<std::string, std::string>> headers;
    if (!authorization.empty()) headers.emplace_back("Authorization", authorization);
    const auto r = http_request(port, "GET", target, headers);
    REQUIRE(r.status == 200);
    const auto page = parse_server_list(r.body);
    CHECK(page.count == static_cast<std::int64_t>(page.servers.size()));
    CHECK(page.servers.size() <= static_cast<std::size_t>(limit));
    for (const auto& s : page.servers) items.push_back(s.name + "@" + s.version + (s.is_latest ? " latest" : ""));
    // A cursor exactly when the page is full (docs/upstream-api.md: Order and pagination).
    CHECK(page.has_next_cursor == (page.servers.size() == static_cast<std::size_t>(limit)));
    if (!page.has_next_cursor) return items;
    cursor = page.next_cursor;
  }
  FAIL("pagination did not end");
  return items;
}

// Random rows over the model's namespaces and versions, the upstream's latest on each name.
inline std::vector<model_row> random_rows(std::mt19937& rng, std::vector<store::incoming>& incoming) {
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  std::vector<model_row> rows;
  for (int i = 0; i < 40; ++i) {
    const auto name = namespaces[pick(namespaces.size())] + "/s" + std::to_string(i);
    std::vector<model_row> mine;
    for (std::size_t v = 0, n = 1 + pick(versions.size()); v < n; ++v) {
      const auto roll = pick(100);
      const auto st = roll < 70 ? model::status::active : roll < 85 ? model::status::deprecated : model::status::deleted;
      mine.push_back({name, versions[v], st, false});
    }
    auto best = mine.end();
    for (auto it = mine.begin(); it != mine.end(); ++it)
      if (it->status != model::status::deleted) best = it;
    if (best == mine.end()) best = mine.end() - 1;
    best->upstream_latest = true;
    for (std::size_t v = 0; v < mine.size(); ++v) {
      incoming.push_back(upstream_row(name, mine[v].version, t0 + static_cast<std::int64_t>(v) * 1000,
                                      mine[v].upstream_latest, mine[v].status));
      rows.push_back(mine[v]);
    }
  }
  return rows;
}

inline std::vector<gen_rule> random_rules(std::mt19937& rng, const std::vector<model_row>& rows) {
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  std::vector<gen_rule> rules;
  for (std::size_t i = 0, n = pick(6); i < n; ++i) {
    gen_rule r;
    r.id = "r" + std::to_string(i);
    const auto& some = rows[pick(rows.size())];
    switch (pick(4)) {
      case 0: r.name_exact = some.name; break;
      case 1: r.name_prefix = some.name.substr(0, 1 + pick(some.name.size())); break;
      case 2: r.ns = namespaces[pick(namespaces.size())]; break;
      default: break;
    }
    if (pick(3) == 0) r.version_major = std::to_string(major_of(versions[pick(versions.size())]));
    if (pick(3) == 0) r.status = std::string(model::to_string(static_cast<model::status>(pick(3))));
    if (pick(5) == 0)
      r.pin = versions[pick(versions.size())];
    else
      r.include = pick(2) == 0;
    rules.push_back(r);
  }
  return rules;
}

}  // namespace mirror::test
