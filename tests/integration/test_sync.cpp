// Sync against the fake upstream: faithful, incremental, polite, bounded (issue: sync).
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "support/http_client.hpp"
#include "support/json_view.hpp"
#include "support/running_mirror.hpp"
#include "support/rows.hpp"
#include "sync_harness.hpp"
#include "upstream/targets.hpp"

using namespace mirror;
using namespace mirror::test;

namespace {

constexpr std::int64_t T = 1'760'000'000'000'000;
constexpr std::int64_t minute = 60'000'000;

void publish_many(fake_upstream& up, int names, int versions, std::int64_t at) {
  for (int n = 0; n < names; ++n)
    for (int v = 0; v < versions; ++v)
      up.publish("io.github.user" + std::to_string(n) + "/server", std::to_string(v) + ".0.0", at + n * 100 + v);
}

// The store must equal the upstream's model: every (name, version), bytes and official block.
void check_mirrors(sync_harness& h, fake_upstream& up) {
  const auto want = up.snapshot();
  const auto got = h.stored();
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    CAPTURE(want[i].name);
    CAPTURE(want[i].version);
    CHECK(got[i] == want[i]);
  }
}

}  // namespace

TEST_CASE("sync: the first run walks everything, deleted included, and mirrors exactly") {
  fake_upstream up;
  publish_many(up, 5, 4, T);
  up.delete_version("io.github.user1/server", "3.0.0", T + minute, "malware");
  up.set_status("io.github.user2/server", "0.0.0", model::status::deprecated, "use 1.x", T + minute);
  sync_harness h(up);
  auto r = h.run();
  CHECK(r.ok);
  CHECK(r.full);
  CHECK(r.added == 20);
  CHECK(r.pages == 3);  // 20 versions in pages of 7
  check_mirrors(h, up);
  CHECK(up.targets().front() == "/v0.1/servers?limit=7&include_deleted=true");
  CHECK(h.state().watermark_us == 1'770'000'000'000'000);
}

TEST_CASE("sync: incremental runs follow publishes, status changes, edits and silent latest flips") {
  fake_upstream up;
  publish_many(up, 3, 2, T);
  sync_harness h(up);
  REQUIRE(h.run().ok);
  const auto first_watermark = *h.state().watermark_us;

  h.clock_us += 2 * 3'600'000'000LL;
  const std::int64_t later = h.clock_us;
  up.publish("io.github.user0/server", "2.0.0", later);           // 1.0.0 loses isLatest silently
  up.delete_version("io.github.user1/server", "1.0.0", later + 1);  // latest moves to 0.0.0
  up.edit_server_json("io.github.user2/server", "0.0.0",
                      server_json("io.github.user2/server", "0.0.0", "edited"), later + 2);
  up.publish("io.github.new/server", "1.0.0+build.5", later + 3);
  auto r = h.run();
  CHECK(r.ok);
  CHECK_FALSE(r.full);
  CHECK(r.added == 2);
  CHECK(r.changed == 2);
  CHECK(r.status_changes == 1);
  check_mirrors(h, up);
  // The walk asked only for what changed since the last success (minus the margin).
  const auto since = model::format_rfc3339(first_watermark - 60'000'000);
  CHECK(up.targets()[std::size_t(r.requests == 0 ? 0 : up.requests() - r.requests)].find(
            "updated_since=" + upstream::percent_encode(since)) != std::string::npos);
  CHECK(r.latest_refetched == 4);
  CHECK(*h.state().watermark_us != first_watermark);
}

TEST_CASE("sync: a no-change incremental run is one request") {
  fake_upstream up;
  publish_many(up, 4, 3, T);
  sync_harness h(up);
  REQUIRE(h.run().ok);
  h.clock_us += 3'600'000'000LL;
  const auto before = up.requests();
  auto r = h.run();
  CHECK(r.ok);
  CHECK(r.requests == 1);
  CHECK(up.requests() - before == 1);
  CHECK(r.added + r.changed == 0);
}

TEST_CASE("sync: 429 honours Retry-After - 5xx, truncated, garbage and closed answers are retried") {
  fake_upstream up;
  publish_many(up, 2, 2, T);
  up.script(fault::http_status(429, 7));
  up.script(fault::http_status(503));
  up.script(fault::truncated());
  sync_harness h(up);
  auto r = h.run();
  CHECK(r.ok);
  CHECK(r.throttled == 1);
  CHECK(r.retries == 3);
  REQUIRE(h.waits.size() >= 3);
  CHECK(h.waits[0] == std::chrono::seconds(7));
  // Backoff grows: attempt 1 waits 1–2 s... with equal jitter, attempt n waits in [d/2, d].
  CHECK(h.waits[1] >= std::chrono::milliseconds(1000));
  CHECK(h.waits[1] <= std::chrono::milliseconds(2000));
  CHECK(h.waits[2] >= std::chrono::milliseconds(2000));
  CHECK(h.waits[2] <= std::chrono::milliseconds(4000));
  check_mirrors(h, up);

  up.script(fault::garbage());
  up.script(fault::close());
  h.clock_us += 3'600'000'000LL;
  auto again = h.run();
  CHECK(again.ok);
  // The closed connection looks like a stale keep-alive connection: the client reconnects and
  // resends once by itself, so only the garbage page costs a retry here.
  CHECK(again.retries == 1);
  check_mirrors(h, up);
}

TEST_CASE("sync: a persistent failure fails the run, keeps the watermark and writes no partial page") {
  fake_upstream up;
  publish_many(up, 3, 3, T);  // 9 versions: pages of 7 + 2
  sync_harness h(up);
  up.script(fault::http_status(500).only_for("cursor="), 4);  // every attempt of page 2
  auto r = h.run();
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("HTTP 500") != std::string::npos);
  CHECK(r.error.find("gave up after 4 attempts") != std::string::npos);
  CHECK(h.stored().size() == 7);  // page 1 committed whole, page 2 not at all
  CHECK(h.state().watermark_us == std::nullopt);
  CHECK(h.state().last_error == r.error);
  // The next run walks from scratch again and converges.
  auto next = h.run();
  CHECK(next.ok);
  CHECK(next.full);
  check_mirrors(h, up);
  CHECK(h.state().last_error == "");
}

TEST_CASE("sync: a 4xx is not retried") {
  fake_upstream up;
  sync_harness h(up);
  up.script(fault::http_status(404));
  auto r = h.run();
  CHECK_FALSE(r.ok);
  CHECK(r.requests == 1);
  CHECK(r.error.find("HTTP 404") != std::string::npos);
}

TEST_CASE("sync: an endless cursor stops at the page cap - a repeated cursor at once") {
  fake_upstream up;
  publish_many(up, 1, 2, T);
  auto options = sync_harness::fast_options();
  options.max_pages = 25;
  {
    up.endless_cursor(endless::fresh);
    sync_harness h(up, options);
    auto r = h.run();
    CHECK_FALSE(r.ok);
    CHECK(r.error.find("page cap of 25 pages") != std::string::npos);
    CHECK(r.pages == 25);
    CHECK(h.state().watermark_us == std::nullopt);
  }
  {
    up.endless_cursor(endless::repeat);
    sync_harness h(up, options);
    auto r = h.run();
    CHECK_FALSE(r.ok);
    CHECK(r.error.find("repeated cursor") != std::string::npos);
    CHECK(r.pages <= 3);
  }
}

TEST_CASE("sync: a run past its deadline fails instead of hanging") {
  fake_upstream up;
  publish_many(up, 4, 4, T);
  auto options = sync_harness::fast_options();
  options.run_deadline = std::chrono::milliseconds(5000);
  sync_harness h(up, options);
  up.script(fault::http_status(503), 1);  // the backoff wait pushes the fake clock
  up.on_request([&](std::size_t, std::string_view) { h.clock_us += 3'000'000; });
  auto r = h.run();
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("run deadline") != std::string::npos);
}

TEST_CASE("sync: entries published during a walk are picked up by the next run") {
  fake_upstream up;
  publish_many(up, 4, 4, T);
  sync_harness h(up);
  std::int64_t t = T + minute;
  up.on_request([&](std::size_t index, std::string_view) {
    if (index == 1) {
      up.publish("a.first/behind-the-cursor", "1.0.0", h.clock_us);   // sorts before page 2
      up.publish("zz.last/ahead-of-the-cursor", "1.0.0", h.clock_us);  // seen in this walk
      up.delete_version("io.github.user0/server", "3.0.0", h.clock_us, std::nullopt);
    }
    t += 1;
  });
  auto first = h.run();
  CHECK(first.ok);
  up.on_request({});
  h.clock_us += 3'600'000'000LL;
  auto second = h.run();
  CHECK(second.ok);
  check_mirrors(h, up);
}

TEST_CASE("sync: versions with build metadata page correctly (cursor '+' sent as %2B)") {
  fake_upstream up;
  for (int i = 0; i < 10; ++i) up.publish("io.github.x/build", "1.0.0+b" + std::to_string(i), T + i);
  sync_harness h(up);
  auto r = h.run();
  CHECK(r.ok);
  check_mirrors(h, up);
  bool saw_encoded_plus = false;
  for (const auto& t : up.targets()) saw_encoded_plus |= t.find("%2Bb") != std::string::npos;
  CHECK(saw_encoded_plus);
}

TEST_CASE("sync: the first full sync replaces the bundled seed rows") {
  fake_upstream up;
  publish_many(up, 2, 2, T);
  sync_harness h(up);
  {
    auto w = store::writer::open(app::database_path(h.data_dir()));
    auto seed = upstream_row("io.github.user0/server", "0.0.1-seed", T - minute, true);
    auto other = upstream_row("io.github.only/seeded", "0.0.1-seed", T - minute, true);
    w.apply(std::vector{seed, other}, model::source::seed, T);
  }
  auto r = h.run();
  CHECK(r.ok);
  CHECK(r.removed_seed == 2);
  check_mirrors(h, up);
}

TEST_CASE("sync: differential — random mutation batches, served pages equal the upstream") {
  fake_upstream up;
  sync_harness h(up);
  config::mirror_config cfg;
  cfg.http.cache_bytes = 0;  // another writer fills the database
  const auto dir = h.data_dir();
  std::mt19937 rng(4242);
  std::vector<std::pair<std::string, std::string>> published;
  std::int64_t t = T;
  for (int round = 0; round < 12; ++round) {
    t = h.clock_us;  // the upstream changes "now", after the previous run
    const int mutations = 1 + static_cast<int>(rng() % 12);
    for (int i = 0; i < mutations; ++i) {
      t += 1 + rng() % 100;
      const auto roll = rng() % 10;
      try {
        if (roll < 5 || published.empty()) {
          auto name = "com.example.n" + std::to_string(rng() % 8) + "/srv";
          auto version = std::to_string(rng() % 4) + "." + std::to_string(rng() % 3) + ".0" +
                         (rng() % 5 == 0 ? "+b" + std::to_string(rng() % 3) : "");
          up.publish(name, version, t);
          published.emplace_back(name, version);
        } else {
          const auto& [name, version] = published[rng() % published.size()];
          if (roll < 7) up.delete_version(name, version, t);
          else if (roll < 8) up.restore(name, version, t);
          else if (roll < 9) up.set_status(name, version, model::status::deprecated, "old " + std::to_string(t), t);
          else up.edit_server_json(name, version, server_json(name, version, "edit " + std::to_string(t)), t);
        }
      } catch (const std::invalid_argument&) {
        // the upstream's 400s (duplicate publish, no-op status change): nothing changed
      }
    }
    h.clock_us = t + minute;
    auto r = h.run();
    REQUIRE(r.ok);
    check_mirrors(h, up);
  }
  // What the mirror serves equals the model, through every read endpoint.
  running_mirror m({}, cfg, T, false, &dir);
  const auto model = up.snapshot();
  auto walk = [&](const std::string& extra) {
    std::vector<listed> all;
    std::string target = "/v0.1/servers?limit=5" + extra;
    for (;;) {
      auto l = parse_server_list(http_get(m.port(), target).body);
      all.insert(all.end(), l.servers.begin(), l.servers.end());
      if (!l.has_next_cursor) return all;
      target = "/v0.1/servers?limit=5" + extra + "&cursor=" + upstream::percent_encode(l.next_cursor);
    }
  };
  auto everything = walk("&include_deleted=true");
  REQUIRE(everything.size() == model.size());
  std::size_t visible = 0;
  for (std::size_t i = 0; i < model.size(); ++i) {
    const auto& v = model[i];
    CHECK(everything[i].name == v.name);
    CHECK(everything[i].version == v.version);
    CHECK(everything[i].status == model::to_string(v.official.status));
    CHECK(everything[i].is_latest == v.official.is_latest);
    visible += v.official.status != model::status::deleted;
    const auto path = "/v0.1/servers/" + upstream::percent_encode(v.name) + "/versions/" +
                      upstream::percent_encode(v.version);
    auto detail = http_get(m.port(), path + "?include_deleted=true");
    REQUIRE(detail.status == 200);
    CHECK(detail.body.starts_with("{\"server\":" + v.server_json + ",\"_meta\":"));
    CHECK(http_get(m.port(), path).status == (v.official.status == model::status::deleted ? 404u : 200u));
  }
  CHECK(walk("").size() == visible);
  // /versions and /versions/latest of every name, with and without deleted versions.
  std::map<std::string, std::vector<const model::server_version*>> by_name;
  for (const auto& v : model) by_name[v.name].push_back(&v);
  for (const auto& [name, rows] : by_name) {
    const auto base = "/v0.1/servers/" + upstream::percent_encode(name) + "/versions";
    const auto all = parse_server_list(http_get(m.port(), base + "?include_deleted=true").body);
    CHECK(all.servers.size() == rows.size());
    const auto live = std::count_if(rows.begin(), rows.end(),
                                    [](auto* v) { return v->official.status != model::status::deleted; });
    auto shown = http_get(m.port(), base);
    CHECK(shown.status == (live ? 200u : 404u));
    if (live) CHECK(parse_server_list(shown.body).servers.size() == static_cast<std::size_t>(live));
    const auto latest = std::find_if(rows.begin(), rows.end(), [](auto* v) { return v->official.is_latest; });
    REQUIRE(latest != rows.end());
    auto got = http_get(m.port(), base + "/latest?include_deleted=true");
    CHECK(string_at(got.body, "/server/version") == (*latest)->version);
  }
}
