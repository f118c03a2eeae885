// Exact replicas (sync/replica.cpp): a mirror whose upstream is another mcp-mirror copies the
// parent's served view through its change feed. A three-level chain (A curated, following a fake
// upstream; B follows A; C follows B) under random rounds of upstream changes and rule changes:
// after every round B and C serve A's pages byte for byte, from incremental runs only. Then the
// feed's retention (410 Gone, a full walk, identical again) and a loop (refused on both sides,
// nothing written).
#include <doctest/doctest.h>

#include <atomic>
#include <fstream>
#include <random>

#include "app/sync_once.hpp"
#include "support/fake_upstream.hpp"
#include "support/http_client.hpp"
#include "support/running_mirror.hpp"
#include "support/served_pages.hpp"
#include "support/static_server.hpp"
#include "upstream/targets.hpp"

using namespace mirror;
using namespace mirror::test;

namespace {

constexpr std::int64_t t0 = 1'760'000'000'000'000;
constexpr const char* token = "replica-test-token-0123456789";
constexpr std::string_view ns = "/v0.1/x/io.github.mcp-mirror";

config::mirror_config follower_of(const std::string& url, const std::filesystem::path& token_file) {
  config::mirror_config cfg;
  cfg.upstream.url = url;
  cfg.upstream.requests_per_second = 1000;
  cfg.upstream.page_limit = 7;
  cfg.admin_token_file = token_file;
  return cfg;
}

std::string url_of(running_mirror& m) { return "http://127.0.0.1:" + std::to_string(m.port()); }

// Every page of the full listing (deleted included), every version list and the latest of every
// name, as status and raw body: what hosts and other mirrors read.
std::vector<std::string> served(unsigned short port, const std::vector<std::string>& names) {
  auto bodies = listing_pages(port, 7);
  for (const auto& name : names) {
    const auto base = "/v0.1/servers/" + upstream::percent_encode(name);
    for (const auto* tail : {"/versions?include_deleted=true", "/versions", "/versions/latest"}) {
      auto r = http_get(port, base + tail);
      bodies.push_back(std::to_string(r.status) + " " + r.body);
    }
  }
  return bodies;
}

// "" when equal; else the first differing response of each, for the failure message.
std::string first_difference(const std::vector<std::string>& got, const std::vector<std::string>& want) {
  if (got.size() != want.size()) return "response counts " + std::to_string(got.size()) + " vs " + std::to_string(want.size());
  for (std::size_t i = 0; i < got.size(); ++i)
    if (got[i] != want[i]) return "response " + std::to_string(i) + ":\n" + got[i] + "\nexpected:\n" + want[i];
  return "";
}

sync::run_report run(running_mirror& m, std::size_t& runs) {
  auto r = http_request(m.port(), "POST", std::string(ns) + "/sync", {{"Authorization", std::string("Bearer ") + token}});
  REQUIRE(r.status == 202);
  return m.await_sync_runs(++runs);
}

std::string names_rule(std::mt19937& rng, int n) {
  const auto name = "io.github.r" + std::to_string(rng() % 10) + "/srv";
  switch (rng() % 5) {
    case 0: return "  - {id: hide-" + std::to_string(n) + ", match: {name: \"" + name + "\"}, action: exclude}\n";
    case 1:
      return "  - {id: hide-v-" + std::to_string(n) + ", match: {name: \"" + name + "\", version: \"1.1.0\"}, action: exclude}\n";
    case 2: return "  - {id: dep-" + std::to_string(n) + ", match: {name: \"" + name + "\"}, deprecate: \"round " + std::to_string(n) + "\"}\n";
    case 3: return "  - {id: pin-" + std::to_string(n) + ", match: {name: \"" + name + "\"}, pin_latest: \"1.0.0\"}\n";
    default:
      return "  - {id: title-" + std::to_string(n) + ", match: {name: \"" + name + "\"}, set: {title: \"Title " +
             std::to_string(n) + "\"}}\n";
  }
}

struct chain {
  fake_upstream up;
  temp_dir files;
  std::filesystem::path token_file = files.path() / "token";
  std::filesystem::path rules = files.path() / "curation.yaml";
  std::atomic<std::int64_t> a_clock{t0};
  std::unique_ptr<running_mirror> a, b, c;
  std::size_t a_runs = 0, b_runs = 0, c_runs = 0;
  std::vector<std::string> names;

  explicit chain(std::chrono::milliseconds retention = std::chrono::hours(24 * 30)) {
    for (int n = 0; n < 10; ++n) {
      names.push_back("io.github.r" + std::to_string(n) + "/srv");
      for (int v = 0; v < 3; ++v) up.publish(names.back(), "1." + std::to_string(v) + ".0", t0 - 1000 + n * 10 + v);
    }
    std::ofstream(token_file) << token;
    std::ofstream(rules) << "rules:\n  - {id: start, match: {name: \"io.github.r0/srv\"}, deprecate: \"start\"}\n";
    auto a_cfg = follower_of(up.base_url(), token_file);
    a_cfg.curation_file = rules;
    a_cfg.changes.retention = retention;
    a = std::make_unique<running_mirror>(std::span<const store::incoming>{}, a_cfg, t0, true, nullptr,
                                         [this] { return a_clock.load(); });
    REQUIRE(a->await_sync_runs(++a_runs).ok);
    b = std::make_unique<running_mirror>(std::span<const store::incoming>{}, follower_of(url_of(*a), token_file), t0, true);
    REQUIRE(b->await_sync_runs(++b_runs).ok);
    c = std::make_unique<running_mirror>(std::span<const store::incoming>{}, follower_of(url_of(*b), token_file), t0, true);
    REQUIRE(c->await_sync_runs(++c_runs).ok);
  }

  void reload_a(const std::string& text) {
    std::ofstream(rules) << text;
    REQUIRE(a->app().reload_curation().get().ok);
  }

  // B then C catch up, each a replica run: incremental unless a full walk is expected.
  void follow(bool b_full = false, bool c_full = false) {
    for (auto* m : {b.get(), c.get()}) {
      auto& runs = m == b.get() ? b_runs : c_runs;
      const auto r = run(*m, runs);
      CAPTURE(r.error);
      REQUIRE(r.ok);
      CHECK(r.replica);
      CHECK(r.full == (m == b.get() ? b_full : c_full));
    }
    const auto expected = served(a->port(), names);
    CHECK(first_difference(served(b->port(), names), expected) == "");
    CHECK(first_difference(served(c->port(), names), expected) == "");
  }
};

}  // namespace

TEST_CASE("replica: B and C serve curated A's pages byte for byte after upstream and rule changes, without full walks") {
  chain ch;
  ch.follow();  // the first runs of B and C were full walks; from here on every run is incremental
  std::mt19937 rng(11);
  std::int64_t t = t0;
  std::string rules = "rules:\n";
  int rule_count = 0;
  for (int round = 1; round <= 8; ++round) {
    CAPTURE(round);
    if (round % 2 == 1) {  // the upstream changes
      for (int i = 0; i < 4; ++i) {
        t += 10;
        const auto& name = ch.names[rng() % ch.names.size()];
        try {
          switch (rng() % 3) {
            case 0: ch.up.publish(name, "2." + std::to_string(round) + "." + std::to_string(i), t); break;
            case 1: ch.up.set_status(name, "1.0.0", model::status::deprecated, "r" + std::to_string(round), t); break;
            default: ch.up.delete_version(name, "1.2.0", t); break;
          }
        } catch (const std::invalid_argument&) {
        }
      }
      ch.a_clock += 1'000'000;
      REQUIRE(run(*ch.a, ch.a_runs).ok);
    } else {  // the rules change: hide, unhide (a rule dropped), deprecate, pin latest, rewrite
      rules += names_rule(rng, ++rule_count);
      if (rule_count > 3 && rng() % 2) {  // drop the oldest rule: what it hid is shown again
        const auto second = rules.find("\n  - ", 7);
        rules = "rules:\n" + rules.substr(second + 1);
      }
      ch.reload_a(rules);
    }
    ch.follow();
  }
}

TEST_CASE("replica: a position older than the parent's feed retention is 410 Gone, then a full walk") {
  chain ch(std::chrono::hours(1));
  ch.follow();
  // A changes while B is behind; then, an hour and more later, once more: the first changes are
  // pruned from A's feed before B has read them.
  ch.up.publish(ch.names[1], "3.0.0", t0 + 100);
  REQUIRE(run(*ch.a, ch.a_runs).ok);
  ch.a_clock += 2 * 3'600'000'000LL;
  ch.up.publish(ch.names[2], "3.0.0", t0 + 200);
  REQUIRE(run(*ch.a, ch.a_runs).ok);

  auto feed = http_get(ch.a->port(), std::string(ns) + "/changes?since=1");
  CHECK(feed.status == 410);
  CHECK(feed.header("content-type") == "application/problem+json");
  CHECK(feed.body.find("older than this feed's retention") != std::string::npos);
  CHECK(http_get(ch.a->port(), std::string(ns) + "/changes").status == 200);  // no since: from the oldest kept

  ch.follow(true, false);  // B: 410, then a full walk; C: B's own feed still has everything
}

TEST_CASE("replica: /info names the instance, its parent and its ancestry") {
  chain ch;
  const auto a = http_get(ch.a->port(), std::string(ns) + "/info");
  const auto b = http_get(ch.b->port(), std::string(ns) + "/info");
  const auto c = http_get(ch.c->port(), std::string(ns) + "/info");
  REQUIRE(a.status == 200);
  auto id_of = [](const std::string& body) {
    const auto at = body.find("\"instanceId\":\"") + 14;
    return body.substr(at, body.find('"', at) - at);
  };
  const auto a_id = id_of(a.body), b_id = id_of(b.body), c_id = id_of(c.body);
  CHECK(a_id.size() == 32);
  CHECK(a_id != b_id);
  CHECK(b_id != c_id);
  CHECK(a.body.find("\"ancestry\":[]") != std::string::npos);  // its upstream is a registry
  CHECK(a.body.find("\"parent\":null") != std::string::npos);
  CHECK(b.body.find("\"ancestry\":[\"" + a_id + "\"]") != std::string::npos);
  CHECK(b.body.find("\"parent\":\"" + a_id + "\"") != std::string::npos);
  CHECK(c.body.find("\"ancestry\":[\"" + b_id + "\",\"" + a_id + "\"]") != std::string::npos);
  // The id is kept across restarts.
  CHECK(id_of(http_get(ch.a->port(), std::string(ns) + "/info").body) == a_id);
}

TEST_CASE("replica: a loop (A follows B follows A) is refused on both sides and nothing is written") {
  temp_dir files;
  const auto token_file = files.path() / "token";
  std::ofstream(token_file) << token;
  running_mirror a({}, {}, t0);  // serves its seed, no sync
  std::size_t b_runs = 0;
  running_mirror b({}, follower_of(url_of(a), token_file), t0, true);
  REQUIRE(b.await_sync_runs(++b_runs).ok);
  const auto a_before = served(a.port(), {});
  const auto b_before = served(b.port(), {});

  // A is pointed at B: B's ancestry holds A.
  auto a_cfg = follower_of(url_of(b), token_file);
  a_cfg.data_dir = a.data_dir();
  const auto refused = app::sync_once(a_cfg, [] { return t0 + 1; });
  CHECK_FALSE(refused.ok);
  CHECK(refused.error.find("loop refused") != std::string::npos);
  CHECK(refused.added + refused.changed + refused.removed_seed == 0);
  // And B's next run sees A's ancestry (B, A): refused as well.
  const auto r = run(b, b_runs);
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("loop refused") != std::string::npos);
  const auto status = http_get(b.port(), std::string(ns) + "/sync-status").body;
  CHECK(status.find("loop refused") != std::string::npos);
  CHECK(served(a.port(), {}) == a_before);
  CHECK(served(b.port(), {}) == b_before);
}

TEST_CASE("replica: an upstream answering /info with something else is synced as a registry") {
  // A mock that answers every route (or another product at that path) is not a parent.
  static_server odd;
  odd.put("/v0.1/x/io.github.mcp-mirror/info", R"({"instanceId":42,"changes":"soon"})");
  odd.put("/v0.1/servers?limit=100&include_deleted=true",
          R"({"servers":[{"server":{"name":"io.github.odd/x","version":"1.0.0","description":"d"},"_meta":{)"
          R"("io.modelcontextprotocol.registry/official":{"status":"active","statusChangedAt":"2025-01-01T00:00:00Z",)"
          R"("publishedAt":"2025-01-01T00:00:00Z","updatedAt":"2025-01-01T00:00:00Z","isLatest":true},)"
          R"("com.example/extra":{"kept":false}}}],"metadata":{"count":1}})");
  temp_dir dir;
  config::mirror_config cfg;
  cfg.data_dir = dir.path();
  cfg.upstream.url = odd.base_url();
  const auto r = app::sync_once(cfg, [] { return t0; });
  CAPTURE(r.error);
  CHECK(r.ok);
  CHECK_FALSE(r.replica);
  CHECK(r.requests == 2);  // the probe, not retried, and the page
  running_mirror m({}, {}, t0, false, &cfg.data_dir);
  const auto body = http_get(m.port(), "/v0.1/servers/io.github.odd%2Fx/versions/1.0.0").body;
  CHECK(body.find("com.example/extra") == std::string::npos);  // a registry's other blocks are not relayed
  CHECK(body.find("\"io.github.mcp-mirror/mirror\":{\"source\":\"upstream\"") != std::string::npos);
}
