// A reload recomputes only the names its changed rules can reach (curation::reload_scope,
// store::writer::recurate_step), a batch of names per transaction, and ends with exactly the
// view a full rebuild under the new rules gives.
#include <doctest/doctest.h>

#include <random>

#include "curation/reload_scope.hpp"
#include "rules_fixture.hpp"
#include "store/reader.hpp"
#include "store/writer.hpp"
#include "support/rows.hpp"
#include "support/temp_dir.hpp"

using namespace mirror;
using namespace mirror::test;

namespace {

std::shared_ptr<const curation::rules_curator> curator_of(std::string_view yaml) {
  return std::make_shared<const curation::rules_curator>(rules(yaml), curation::local_catalog{});
}

const std::vector<std::string> spaces{"io.github.a", "io.github.ab", "com.example", "org.x"};
const std::vector<std::string> versions{"1.0.0", "1.1.0", "2.0.0"};

// `names` names spread over `spaces`, 1 to 3 versions each, the highest flagged latest.
std::vector<store::incoming> data(std::mt19937& rng, int names) {
  std::vector<store::incoming> rows;
  for (int i = 0; i < names; ++i) {
    const auto name = spaces[rng() % spaces.size()] + "/s" + std::to_string(i);
    const auto n = 1 + rng() % versions.size();
    for (std::size_t v = 0; v < n; ++v) {
      const auto st = rng() % 5 == 0 ? model::status::deprecated : model::status::active;
      rows.push_back(upstream_row(name, versions[v], t0 + static_cast<std::int64_t>(v) * 1000, v + 1 == n, st));
    }
  }
  return rows;
}

struct mirror_db {
  temp_dir dir;
  store::writer w = store::writer::open(dir.path() / "m.db");
  store::reader r = store::reader::open(dir.path() / "m.db");

  mirror_db(std::span<const store::incoming> rows, std::shared_ptr<const store::curator> c) {
    w.set_curator(std::move(c));
    w.apply(rows, model::source::upstream, t0);
  }
  // Every served row, in order: what a client can see of the view.
  std::vector<std::string> view() {
    std::vector<std::string> out;
    model::list_query q;
    q.limit = 100;
    q.include_deleted = true;
    for (;;) {
      auto page = r.list(q);
      for (const auto& row : page)
        out.push_back(row.data.name + "@" + row.data.version + " " + row.data.server_json + " " +
                      std::string(model::to_string(row.data.official.status)) + " " +
                      row.data.official.status_message.value_or("-") + (row.data.official.is_latest ? " L " : " - ") +
                      row.curation.value_or("-"));
      if (static_cast<int>(page.size()) < q.limit) return out;
      q.after = model::cursor{page.back().data.name, page.back().data.version};
    }
  }
  // Steps to the end under `next`, from the scope of `before` → `next`; the recurated names.
  std::size_t reload(const curation::rules_curator& before, std::shared_ptr<const curation::rules_curator> next,
                     std::size_t batch) {
    const auto scope = curation::reload_scope(before, *next);
    w.set_curator(std::move(next));
    store::recurate_progress p;
    while (!p.done) w.recurate_step(p, scope.get(), batch, t0 + 1);
    CHECK_FALSE(w.needs_recurate());
    return p.counts.names;
  }
};

struct gen_rule {
  std::string match, body;
};

std::string yaml_of(bool exclude_by_default, const std::vector<std::pair<std::string, gen_rule>>& rules) {
  std::string y = exclude_by_default ? "default: exclude\n" : "";
  y += rules.empty() ? "rules: []\n" : "rules:\n";
  for (const auto& [id, r] : rules) y += "  - id: " + id + "\n" + r.match + r.body;
  return y;
}

gen_rule random_rule(std::mt19937& rng, int names) {
  gen_rule r;
  switch (rng() % 4) {
    case 0: r.match = "    match: {name: \"" + spaces[rng() % spaces.size()] + "/s" + std::to_string(rng() % names) + "\"}\n"; break;
    case 1: r.match = "    match: {namespace: " + spaces[rng() % spaces.size()] + "}\n"; break;
    case 2: r.match = "    match: {version: \"" + versions[rng() % versions.size()] + "\"}\n"; break;
    default: r.match = "    match: {status: deprecated}\n"; break;
  }
  switch (rng() % 5) {
    case 0: r.body = "    action: exclude\n"; break;
    case 1: r.body = "    action: include\n"; break;
    case 2: r.body = "    set: {title: T" + std::to_string(rng() % 3) + "}\n"; break;
    case 3: r.body = "    pin_latest: \"" + versions[rng() % versions.size()] + "\"\n"; break;
    default: r.body = "    deprecate: \"old " + std::to_string(rng() % 2) + "\"\n"; break;
  }
  return r;
}

}  // namespace

TEST_CASE("reload scope: a name no changed rule matches keeps its view") {
  const auto before = curator_of(R"(rules:
  - {id: hide-a, match: {namespace: io.github.a}, action: exclude}
  - {id: brand, match: {namespace: com.example}, set: {title: Old}}
)");
  const auto after = curator_of(R"(rules:
  - {id: new-top, match: {name: "org.x/*"}, action: exclude}
  - {id: hide-a, match: {namespace: io.github.a}, action: exclude}
  - {id: brand, match: {namespace: com.example}, set: {title: New}}
)");
  const auto scope = curation::reload_scope(*before, *after);
  REQUIRE(scope);
  const auto row = [](const std::string& name) {
    store::row r;
    r.data = upstream_row(name, "1.0.0", t0, true).data;
    return r;
  };
  const std::vector<store::row> none;
  auto affects = [&](const std::string& name) {
    const std::vector<store::row> rows{row(name)};
    return scope->affects(name, rows, t0);
  };
  CHECK(scope->may_affect("com.example/x"));
  CHECK(scope->may_affect("org.x/y"));
  CHECK_FALSE(scope->may_affect("io.github.a/z"));  // no changed rule can match this name
  CHECK(affects("com.example/x"));   // an edited rule (old and new title)
  CHECK(affects("org.x/y"));         // an added rule
  CHECK_FALSE(affects("io.github.a/z"));  // only an unchanged rule, moved down a line
  CHECK_FALSE(affects("io.github.ab/z"));
  CHECK_FALSE(scope->affects("org.x/y", none, t0));  // no version to match

  // Removed rules count as changed too.
  const auto removed = curation::reload_scope(*after, *curator_of("rules: []\n"));
  REQUIRE(removed);
  const std::vector<store::row> a_rows{row("io.github.a/z")};
  CHECK(removed->affects("io.github.a/z", a_rows, t0));
}

TEST_CASE("reload scope: every name when the change is not confined to some rules") {
  const auto two = curator_of(R"(rules:
  - {id: one, match: {namespace: io.github.a}, action: exclude}
  - {id: two, match: {name: "io.github.a/keep"}, action: include}
)");
  const auto swapped = curator_of(R"(rules:
  - {id: two, match: {name: "io.github.a/keep"}, action: include}
  - {id: one, match: {namespace: io.github.a}, action: exclude}
)");
  CHECK_FALSE(curation::reload_scope(*two, *swapped));  // the same rules in another order
  CHECK_FALSE(curation::reload_scope(*two, *curator_of("default: exclude\nrules: []\n")));
  CHECK_FALSE(curation::reload_scope(
      *two, *curator_of("rules:\n  - {id: age, match: {published_older_than: 30d}, action: exclude}\n")));
  CHECK(curation::reload_scope(*two, *two));
  // A changed rule with no condition on names: any name may be affected, its rows decide.
  const auto by_version = curation::reload_scope(
      *two, *curator_of("rules:\n  - {id: v, match: {version: \"1.*\"}, action: exclude}\n"));
  REQUIRE(by_version);
  CHECK(by_version->may_affect("org.other/anything"));
}

TEST_CASE("reload steps: only the names a changed rule matches are recurated, other writes interleave") {
  std::mt19937 rng(7);
  const auto rows = data(rng, 60);
  const auto before = curator_of("rules:\n  - {id: brand, match: {namespace: io.github.a}, set: {title: Old}}\n");
  const auto after = curator_of("rules:\n  - {id: brand, match: {namespace: io.github.a}, set: {title: New}}\n");
  mirror_db db(rows, before);
  std::set<std::string> in_a;
  for (const auto& r : rows)
    if (curation::in_namespace(r.data.name, "io.github.a")) in_a.insert(r.data.name);
  REQUIRE(in_a.size() > 3);

  const auto scope = curation::reload_scope(*before, *after);
  db.w.set_curator(after);
  store::recurate_progress p;
  db.w.recurate_step(p, scope.get(), 10, t0 + 1);
  CHECK(p.names_done == 10);
  CHECK_FALSE(p.done);
  // Between steps the view is being rebuilt: a sync page is applied under the new rules for its
  // names only, not by a rebuild of every name; a restart (another writer) would rebuild all.
  CHECK_FALSE(db.w.needs_recurate());
  const auto last_a = *in_a.rbegin();
  db.w.apply(std::vector{upstream_row("org.x/new", "1.0.0", t0 + 5, true)}, model::source::upstream, t0 + 2);
  CHECK(db.r.get(last_a, "1.0.0", false)->data.server_json.find("\"title\":\"Old\"") != std::string::npos);
  {
    auto other = store::writer::open(db.dir.path() / "m.db");
    other.set_curator(after);
    CHECK(other.needs_recurate());
  }
  while (!p.done) db.w.recurate_step(p, scope.get(), 10, t0 + 1);
  CHECK(p.counts.names == in_a.size());
  CHECK(p.names_done == 61);  // every name looked at once, the one added between steps too
  CHECK(db.r.get(last_a, "1.0.0", false)->data.server_json.find("\"title\":\"New\"") != std::string::npos);

  mirror_db full(rows, after);
  full.w.apply(std::vector{upstream_row("org.x/new", "1.0.0", t0 + 5, true)}, model::source::upstream, t0 + 2);
  CHECK(db.view() == full.view());
}

TEST_CASE("reload steps property: random edits of random rule sets end in the full rebuild's view") {
  std::mt19937 rng(20261203);
  constexpr int names = 50;
  const auto rows = data(rng, names);
  std::size_t partial = 0;
  for (int iteration = 0; iteration < 40; ++iteration) {
    std::vector<std::pair<std::string, gen_rule>> old_rules;
    for (int i = 0, n = static_cast<int>(rng() % 6); i < n; ++i)
      old_rules.emplace_back("r" + std::to_string(i), random_rule(rng, names));
    auto new_rules = old_rules;
    for (int edit = 0, n = 1 + static_cast<int>(rng() % 2); edit < n; ++edit) {
      const auto at = new_rules.empty() ? 0 : rng() % new_rules.size();
      switch (rng() % 4) {
        case 0: if (!new_rules.empty()) new_rules.erase(new_rules.begin() + static_cast<std::ptrdiff_t>(at)); break;
        case 1: if (!new_rules.empty()) new_rules[at].second.body = random_rule(rng, names).body; break;
        case 2: if (!new_rules.empty()) new_rules[at].second.match = random_rule(rng, names).match; break;
        default:
          new_rules.insert(new_rules.begin() + static_cast<std::ptrdiff_t>(at),
                           {"n" + std::to_string(iteration) + "x" + std::to_string(edit), random_rule(rng, names)});
      }
    }
    const bool old_exclude = rng() % 8 == 0;
    const bool new_exclude = rng() % 8 == 0 ? !old_exclude : old_exclude;
    const auto old_yaml = yaml_of(old_exclude, old_rules);
    const auto new_yaml = yaml_of(new_exclude, new_rules);
    CAPTURE(old_yaml);
    CAPTURE(new_yaml);
    const auto before = curator_of(old_yaml);
    const auto after = curator_of(new_yaml);

    mirror_db stepped(rows, before);
    const auto batch = 1 + rng() % 16;
    const auto recurated = stepped.reload(*before, after, batch);
    mirror_db full(rows, after);
    CHECK(stepped.view() == full.view());
    partial += recurated < names;
  }
  CHECK(partial > 10);  // the scope does narrow the work, not only keep it exact
}
