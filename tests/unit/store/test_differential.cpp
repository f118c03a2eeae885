// Differential test (tdlib's test/db.cpp shape): random batches of upstream-shaped changes are
// applied both to the store and to a std::map model; after every batch, a full keyset walk of the
// store must equal the model, field for field. The model decides isLatest by its own hand-written
// rule, so a bug shared by the writer and model::pick_latest still shows.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <random>

#include "model/timestamp.hpp"
#include "store/reader.hpp"
#include "store/writer.hpp"
#include "support/rows.hpp"
#include "support/stored_versions.hpp"
#include "support/temp_dir.hpp"

using namespace mirror;
using namespace mirror::test;

namespace {

using key = std::pair<std::string, std::string>;

// The latest rule for the versions this test uses, written out by hand from its description
// (docs/upstream-api.md, "Incremental sync and latest") rather than through model::pick_latest,
// which the writer itself calls: SemVer versions by precedence (build metadata ignored),
// non-SemVer ones by publish time, SemVer above non-SemVer. Between equal precedences (1.0.0
// and 1.0.0+build) the later publish wins, which is the writer's choice when it recomputes a
// name (the upstream's own rule only speaks of a fresh publish, which must compare greater).
// Rank 0: not SemVer.
int semver_rank(const std::string& version) {
  static const std::map<std::string, int> rank{
      {"0.1.0", 1}, {"1.0.0-rc.1", 2}, {"1.0.0", 3}, {"1.0.0+build", 3},
      {"1.2.0", 4}, {"2.0.0", 5},      {"10.0.0", 6}};
  const auto it = rank.find(version);
  return it == rank.end() ? 0 : it->second;
}

// Flags the latest row of `name`: the highest by (rank, publish time) among the versions not
// deleted, or among all of them when every one is deleted.
void mark_latest(std::map<key, model::server_version>& m, const std::string& name) {
  std::vector<model::server_version*> rows;
  for (auto& [k, v] : m)
    if (k.first == name) rows.push_back(&v);
  const bool all_deleted = std::all_of(rows.begin(), rows.end(), [](auto* r) {
    return r->official.status == model::status::deleted;
  });
  model::server_version* best = nullptr;
  auto order = [](const model::server_version* r) {
    return std::pair{semver_rank(r->version), r->official.published_at.us};
  };
  for (auto* r : rows) {
    r->official.is_latest = false;
    if (!all_deleted && r->official.status == model::status::deleted) continue;
    if (!best || order(r) > order(best)) best = r;
  }
  if (best) best->official.is_latest = true;
}


}  // namespace

TEST_CASE("differential: random upstream batches against a map model") {
  temp_dir dir;
  auto w = store::writer::open(dir.path() / "m.db");
  auto r = store::reader::open(dir.path() / "m.db");
  std::map<key, model::server_version> model;
  std::mt19937 rng(20261126);
  const std::vector<std::string> names{"a/one", "a/two", "B/three", "b/four", "c/five"};
  const std::vector<std::string> versions{"0.1.0", "1.0.0", "1.0.0-rc.1", "1.2.0", "2.0.0", "10.0.0",
                                          "1.0.0+build", "snapshot", "nightly"};
  std::int64_t clock = t0;
  for (int round = 0; round < 60; ++round) {
    // Every fourth batch is unflagged (a bare server.json import): new versions only, and the
    // writer must decide isLatest itself. The others carry the upstream's flags.
    const bool flagged = round % 4 != 3;
    std::map<key, model::server_version> batch;
    const int changes = 1 + static_cast<int>(rng() % 6);
    for (int c = 0; c < changes; ++c) {
      const auto& name = names[rng() % names.size()];
      const auto& version = versions[rng() % versions.size()];
      clock += 1 + rng() % 1000;
      auto it = model.find({name, version});
      model::server_version v;
      if (it == model.end()) {
        v = upstream_row(name, version, clock, false).data;
      } else if (!flagged) {
        continue;  // an unflagged import cannot change a known version's lifecycle
      } else {
        v = it->second;
        const auto roll = rng() % 3;
        if (roll == 0) v.official.status = model::status::deleted;
        if (roll == 1) v.official.status = model::status::deprecated, v.official.status_message = "old";
        if (roll == 2) v.official.status = model::status::active, v.official.status_message.reset();
        v.official.updated_at = model::make_timestamp(clock);
        v.official.status_changed_at = v.official.updated_at;
      }
      batch[{name, version}] = v;
      model[{name, version}] = v;
    }
    std::set<std::string> touched;
    for (auto& [k, v] : batch) touched.insert(k.first);
    for (auto& name : touched) mark_latest(model, name);
    std::vector<store::incoming> rows;
    for (auto& [k, v] : batch) rows.push_back({model[k], flagged});  // flags as upstream serves them
    w.apply(rows, model::source::upstream, clock);

    auto all = test::stored_versions(r, true, 1 + static_cast<int>(rng() % 7));
    REQUIRE(all.size() == model.size());
    std::size_t i = 0;
    // Not a structured binding: CAPTURE is a lambda, and clang 14 cannot capture those.
    for (auto& entry : model) {
      CAPTURE(round);
      CAPTURE(entry.first.first);
      CAPTURE(entry.first.second);
      CHECK(all[i] == entry.second);
      ++i;
    }
    auto visible = test::stored_versions(r, false, 5);
    CHECK(visible.size() == static_cast<std::size_t>(std::count_if(model.begin(), model.end(), [](auto& kv) {
            return kv.second.official.status != model::status::deleted;
          })));
  }
}
