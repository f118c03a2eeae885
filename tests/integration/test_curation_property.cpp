// Property: for random rule sets, every page the daemon serves equals a plain filtered model of
// the mirrored rows — exact pages of `limit` visible entries, `count` and `nextCursor` right,
// `isLatest` on the highest visible version. The model below shares no code with lib/curation:
// it only understands the rule shapes this test generates (exact names, `prefix*` globs,
// namespaces, statuses, `N.*` versions, include/exclude, pin_latest).
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <random>

#include "support/curation_model.hpp"
#include "support/http_client.hpp"
#include "support/json_view.hpp"
#include "support/rows.hpp"
#include "support/running_mirror.hpp"
#include "support/temp_dir.hpp"

using namespace mirror;
using namespace mirror::test;


TEST_CASE("curation property: random rule sets serve exactly the filtered model, page by page") {
  std::mt19937 rng(20261126);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };

  std::vector<store::incoming> incoming;
  const auto rows = random_rows(rng, incoming);

  temp_dir files;
  const auto curation = files.path() / "curation.yaml";
  std::ofstream(curation) << "rules: []\n";
  config::mirror_config cfg;
  cfg.curation_file = curation;
  running_mirror m(incoming, cfg, t0 + 10'000'000);

  for (int iteration = 0; iteration < 60; ++iteration) {
    const bool default_exclude = pick(4) == 0;
    const auto rules = random_rules(rng, rows);
    const auto yaml = yaml_of(default_exclude, rules);
    CAPTURE(yaml);
    std::ofstream(curation, std::ios::trunc) << yaml;
    const auto outcome = m.app().reload_curation().get();
    REQUIRE_MESSAGE(outcome.ok, outcome.error);

    const auto want = filter(rows, default_exclude, rules);
    for (const bool include_deleted : {false, true}) {
      std::vector<std::string> all, latest_only;
      for (const auto& r : want.visible) {
        if (!include_deleted && r.status == model::status::deleted) continue;
        const bool is_latest = want.latest.at(r.name) == r.version;
        const auto item = r.name + "@" + r.version + (is_latest ? " latest" : "");
        all.push_back(item);
        if (is_latest) latest_only.push_back(item);
      }
      const std::string flag = include_deleted ? "&include_deleted=true" : "";
      const int limit = 1 + static_cast<int>(pick(9));
      CAPTURE(limit);
      CHECK(walk(m.port(), flag, limit) == all);
      CHECK(walk(m.port(), flag + "&version=latest", limit) == latest_only);
    }
    // Each name's detail endpoints agree with the model.
    for (int probe = 0; probe < 5; ++probe) {
      const auto& row = rows[pick(rows.size())];
      const auto path = "/v0.1/servers/" + url_encode(row.name) + "/versions/latest?include_deleted=true";
      const auto r = http_get(m.port(), path);
      if (auto it = want.latest.find(row.name); it != want.latest.end()) {
        REQUIRE(r.status == 200);
        CHECK(string_at(r.body, "/server/version") == it->second);
      } else {
        CHECK(r.status == 404);
      }
    }
  }
}
