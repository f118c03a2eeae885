// Views (0009_views.sql): each view's catalog read through the overlay equals its rules applied
// to the mirrored rows directly, through random batches of upstream changes and rule changes;
// a view stores only what it changes, and its feed moves only when what it shows does.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <random>
#include <set>

#include <sqlite3.h>

#include "store/error.hpp"
#include "store/reader.hpp"
#include "store/writer.hpp"
#include "support/rows.hpp"
#include "support/temp_dir.hpp"

using namespace mirror;
using namespace mirror::test;

namespace {

// Hides the versions whose (name, version) hash falls in 1/`modulus`, titles names under `titled`,
// and resolves isLatest among what stays: the upstream's when visible, else the newest visible.
class hiding_curator final : public store::curator {
 public:
  hiding_curator(unsigned salt, unsigned modulus, std::string titled)
      : salt_(salt), modulus_(modulus), titled_(std::move(titled)) {}
  bool hides(std::string_view name, std::string_view version) const {
    return modulus_ && std::hash<std::string>{}(std::string(name) + "@" + std::string(version) +
                                                std::to_string(salt_)) % modulus_ == 0;
  }
  std::vector<store::served> serve(std::string_view name, std::span<const store::row> mirrored,
                                   std::int64_t) const override {
    std::vector<store::served> out;
    bool upstream_latest_visible = false;
    for (const auto& m : mirrored) {
      if (hides(name, m.data.version)) continue;
      store::served s{m.data, m.source, std::nullopt, false};
      if (!titled_.empty() && name.starts_with(titled_)) {
        s.data.server_json.insert(s.data.server_json.size() - 1, R"(,"title":"T")");
        s.curation = R"({"rules":["t"]})";
      }
      upstream_latest_visible |= m.data.official.is_latest;
      out.push_back(std::move(s));
    }
    if (!upstream_latest_visible && !out.empty()) {
      auto newest = std::max_element(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.data.official.published_at.us < b.data.official.published_at.us;
      });
      newest->data.official.is_latest = true;
    }
    return out;
  }
  std::vector<std::string> own_names() const override { return {}; }
  std::string hash() const override { return "hiding:" + std::to_string(salt_) + ":" + std::to_string(modulus_) + titled_; }
  bool time_dependent() const override { return false; }

 private:
  unsigned salt_, modulus_;
  std::string titled_;
};

std::vector<std::string> keys(const std::vector<store::row>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows)
    out.push_back(r.data.name + "@" + r.data.version + (r.data.official.is_latest ? "*" : "") + " " +
                  r.data.server_json + " " + std::string(model::to_string(r.data.official.status)));
  return out;
}

// The view computed without the store's overlay: the curator over each name's mirrored rows.
std::vector<std::string> expected(store::reader& raw, const hiding_curator& c, bool include_deleted) {
  std::vector<store::row> rows;
  for (const auto& name : raw.mirrored_names()) {
    auto mirrored = raw.mirrored_versions(name);
    for (auto& s : c.serve(name, mirrored, 0)) {
      if (!include_deleted && s.data.official.status == model::status::deleted) continue;
      store::row r;
      r.data = std::move(s.data);
      rows.push_back(std::move(r));
    }
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return std::tie(a.data.name, a.data.version) < std::tie(b.data.name, b.data.version);
  });
  return keys(rows);
}

std::vector<std::string> walk(store::reader& r, bool include_deleted, int limit) {
  model::list_query q;
  q.limit = limit;
  q.include_deleted = include_deleted;
  std::vector<store::row> all;
  for (store::page_walk w(r, q); auto page = w.next();)
    for (auto& row : *page) all.push_back(std::move(row));
  return keys(all);
}

std::int64_t count(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(h, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
  const std::int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
  sqlite3_finalize(s);
  sqlite3_close(h);
  return n;
}

}  // namespace

TEST_CASE("views: random changes and rules, every view equals its rules over the mirrored rows") {
  temp_dir dir;
  const auto file = dir.path() / "m.db";
  auto w = store::writer::open(file);
  auto r = store::reader::open(file);
  auto raw = store::reader::open(file, store::view::mirrored);
  std::mt19937 rng(1203);
  auto pick = [&](unsigned n) { return static_cast<unsigned>(rng() % n); };
  std::vector<std::shared_ptr<hiding_curator>> rules{std::make_shared<hiding_curator>(1, 10, ""),
                                                     std::make_shared<hiding_curator>(2, 3, "n/1"),
                                                     std::make_shared<hiding_curator>(3, 0, "n/2")};
  const std::vector<std::string> names{"platform", "product", "contractors"};
  w.set_curator(std::make_shared<hiding_curator>(9, 7, ""));  // the root has rules of its own
  std::vector<store::view_spec> specs;
  for (std::size_t i = 0; i < names.size(); ++i) specs.push_back({names[i], rules[i]});
  w.set_views(specs);
  w.prepare_views(t0);

  std::int64_t now = t0;
  bool saw_complete = false, saw_overlay = false;  // both storages were read and written
  for (int round = 0; round < 40; ++round) {
    now += 1'000'000;
    std::vector<store::incoming> batch;
    for (unsigned i = 0, n = 1 + pick(30); i < n; ++i) {
      const auto name = "n/" + std::to_string(pick(40));
      const auto version = "1." + std::to_string(pick(6)) + ".0";
      const auto st = pick(10) == 0 ? model::status::deleted : pick(8) == 0 ? model::status::deprecated
                                                                             : model::status::active;
      auto in = upstream_row(name, version, t0 + pick(1000) * 1000, false, st, now);
      in.authoritative = false;  // isLatest decided by the store
      if (pick(3) == 0) in.data.server_json = server_json(name, version, "d" + std::to_string(round));
      batch.push_back(std::move(in));
    }
    w.apply(batch, model::source::upstream, now);
    if (round % 6 == 5) {  // a view's rules change: rebuilt stepwise, as a reload does
      const auto v = pick(3);
      // Every other rebuild retitles every name ("n/"): the view then overrides all the root's
      // rows and is stored complete; the others hide a fifth or less and stay an overlay. (The
      // picks are separate statements: argument order differs between compilers.)
      const unsigned modulus = 5 + pick(5);
      const bool retitle_all = (round / 6) % 2 == 0;
      const std::string titled = retitle_all ? "n/" : pick(2) ? "n/3" : "";
      rules[v] = std::make_shared<hiding_curator>(round, modulus, titled);
      w.set_view_rules(names[v], rules[v]);
      store::recurate_progress p;
      while (!p.done) w.recurate_step(p, nullptr, 7, now, &names[v]);
      CHECK_FALSE(w.view_needs_rebuild(names[v]));
      const auto complete = count(file, "SELECT count(*) FROM mirror_state WHERE key = 'view." + names[v] +
                                            ".mode' AND value = 'complete'");
      (complete ? saw_complete : saw_overlay) = true;
      if (complete) CHECK(count(file, "SELECT count(*) FROM view_versions WHERE view = '" + names[v] + "' AND hidden = 1") == 0);
    }
    for (std::size_t v = 0; v < names.size(); ++v) {
      CAPTURE(round);
      CAPTURE(names[v]);
      r.set_view(names[v]);
      for (const bool deleted : {false, true}) CHECK(walk(r, deleted, 1 + static_cast<int>(pick(9))) == expected(raw, *rules[v], deleted));
      // Per-name reads agree with the list.
      const auto name = "n/" + std::to_string(pick(40));
      std::vector<std::string> listed;
      for (const auto& k : expected(raw, *rules[v], true))
        if (k.starts_with(name + "@")) listed.push_back(k);
      auto versions = r.versions(name, true);
      std::sort(versions.begin(), versions.end(),
                [](const auto& a, const auto& b) { return a.data.version < b.data.version; });
      CHECK(keys(versions) == listed);
      const auto latest = r.latest(name, true);
      CHECK(latest.has_value() == !listed.empty());
    }
    r.set_view("");
  }
  CHECK(saw_complete);
  CHECK(saw_overlay);
  // A view never stores more rows than the root serves plus what the root hides.
  const auto versions = count(file, "SELECT count(*) FROM server_versions");
  const auto stored = count(file, "SELECT count(*) FROM view_versions");
  CHECK(stored <= 3 * versions);
}

TEST_CASE("views: a view with the root's rules stores nothing - its feed moves only with what it shows") {
  temp_dir dir;
  const auto file = dir.path() / "m.db";
  auto w = store::writer::open(file);
  auto r = store::reader::open(file);
  auto hide_b = std::make_shared<hiding_curator>(0, 0, "");
  w.set_views({{"same", nullptr}, {"no-b", nullptr}});
  w.prepare_views(t0);
  std::vector<store::incoming> rows;
  for (int i = 0; i < 50; ++i) rows.push_back(upstream_row("a/" + std::to_string(i), "1.0.0", t0, true));
  rows.push_back(upstream_row("b/x", "1.0.0", t0, true));
  w.apply(rows, model::source::upstream, t0);
  CHECK(count(file, "SELECT count(*) FROM view_versions") == 0);

  // "no-b" hides b/*: one hidden marker, not a copy of the 50 others.
  class hide_prefix final : public store::curator {
   public:
    std::vector<store::served> serve(std::string_view name, std::span<const store::row> m, std::int64_t) const override {
      std::vector<store::served> out;
      if (name.starts_with("b/")) return out;
      for (const auto& x : m) out.push_back({x.data, x.source, std::nullopt, false});
      return out;
    }
    std::vector<std::string> own_names() const override { return {}; }
    std::string hash() const override { return "no-b"; }
    bool time_dependent() const override { return false; }
  };
  r.set_view("no-b");
  const auto seq_before = r.change_seq();
  CHECK(r.changes(0, 1000).size() == 102);  // 51 versions added, 51 latest flags set, as in the root's feed
  w.set_view_rules("no-b", std::make_shared<hide_prefix>());
  CHECK(w.view_needs_rebuild("no-b"));
  CHECK(w.prepare_views(t0 + 1) > 0);
  CHECK(count(file, "SELECT count(*) FROM view_versions WHERE view = 'no-b'") == 1);
  CHECK(count(file, "SELECT count(*) FROM view_versions WHERE view = 'no-b' AND hidden = 1") == 1);
  CHECK(r.change_seq() == seq_before + 1);  // the rebuild after a change of rules: b/x hidden
  CHECK(r.changes(seq_before, 10).at(0).kind == "hidden");
  CHECK_FALSE(r.serves_name("b/x"));
  CHECK_FALSE(r.get("b/x", "1.0.0", true));
  CHECK(r.get("a/1", "1.0.0", true));

  // A change to b/x moves the root's and "same"'s feeds, not "no-b"'s.
  const auto before = w.positions();
  auto edit = upstream_row("b/x", "1.0.0", t0, true, model::status::active, t0 + 5);
  edit.data.server_json = server_json("b/x", "1.0.0", "edited");
  w.apply(std::vector{edit}, model::source::upstream, t0 + 5);
  const auto after = w.positions();
  CHECK(after.root > before.root);
  CHECK(after.views[0] > before.views[0]);
  CHECK(after.views[1] == before.views[1]);
  CHECK(count(file, "SELECT count(*) FROM view_versions") == 1);

  // A writer whose config does not list a stored view refuses, naming it, and changes nothing;
  // the daemon drops it with its feed and state.
  w.set_views({{"same", nullptr}});
  CHECK_THROWS_WITH_AS(w.prepare_views(t0 + 6), doctest::Contains("views the config does not list (no-b)"),
                       store::error);
  CHECK(count(file, "SELECT count(*) FROM view_versions WHERE view = 'no-b'") == 1);
  w.prepare_views(t0 + 6, store::writer::unlisted_views::drop);
  CHECK(count(file, "SELECT count(*) FROM view_versions WHERE view = 'no-b'") == 0);
  CHECK(count(file, "SELECT count(*) FROM view_changes WHERE view = 'no-b'") == 0);
  CHECK(count(file, "SELECT count(*) FROM mirror_state WHERE key LIKE 'view.no-b.%'") == 0);
  (void)hide_b;
}
