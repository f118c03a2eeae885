// Several sources through the whole daemon: two fake registries with overlapping names, served by
// precedence with provenance in every response; a failing source does not hold up the other;
// reordering and removing a source (a restart with a new config) re-serve without a resync.
#include <doctest/doctest.h>

#include <atomic>
#include <fstream>

#include "app/sync_once.hpp"
#include "config/invalid_config.hpp"
#include "support/fake_upstream.hpp"
#include "support/http_client.hpp"
#include "support/running_mirror.hpp"
#include "upstream/targets.hpp"

using namespace mirror;
using namespace mirror::test;

namespace {

constexpr std::int64_t now_us = 1'760'000'000'000'000;
constexpr const char* token = "sources-test-token-0123456789";
constexpr std::string_view ns = "/v0.1/x/io.github.mcp-mirror";

config::source_config source(std::string name, const fake_upstream& up) {
  config::source_config s;
  s.name = std::move(name);
  s.upstream.url = up.base_url();
  s.upstream.requests_per_second = 1000;
  s.upstream.page_limit = 5;
  s.upstream.max_attempts = 1;
  return s;
}

// "name@version=source" for every served version (deleted included), from the list pages.
std::vector<std::string> served(unsigned short port) {
  std::vector<std::string> out;
  std::string target = "/v0.1/servers?include_deleted=true&limit=100";
  const auto body = http_get(port, target).body;
  for (std::size_t at = 0; (at = body.find("{\"server\":", at)) != std::string::npos; ++at) {
    auto field = [&](const std::string& key, std::size_t from) {
      const auto k = body.find("\"" + key + "\":\"", from) + key.size() + 4;
      return body.substr(k, body.find('"', k) - k);
    };
    const auto meta = body.find("\"io.github.mcp-mirror/mirror\":", at);
    out.push_back(field("name", at) + "@" + field("version", at) + "=" + field("source", meta));
  }
  return out;
}

struct two_registries {
  fake_upstream official, partner;
  temp_dir files, data;
  std::filesystem::path data_dir = data.path();

  two_registries() {
    official.publish("io.github.o/shared", "1.0.0", now_us - 3000);
    official.publish("io.github.o/shared", "2.0.0", now_us - 2000);
    official.publish("io.github.o/official-only", "1.0.0", now_us - 2000);
    partner.publish("io.github.o/shared", "0.5.0", now_us - 1000);
    partner.publish("io.github.p/partner-only", "1.0.0", now_us - 1000);
    std::ofstream(files.path() / "token") << token;
  }
  config::mirror_config config(std::vector<std::string> order) {
    config::mirror_config cfg;
    for (const auto& name : order) cfg.source_list.push_back(source(name, name == "official" ? official : partner));
    cfg.admin_token_file = files.path() / "token";
    return cfg;
  }
};

}  // namespace

TEST_CASE("sources: a name both registries hold is served from the first source, with provenance everywhere") {
  two_registries r;
  running_mirror m({}, r.config({"partner", "official"}), now_us, true, &r.data_dir);
  REQUIRE(m.await_sync_runs(2).ok);
  CHECK(served(m.port()) == std::vector<std::string>{"io.github.o/official-only@1.0.0=official",
                                                      "io.github.o/shared@0.5.0=partner",
                                                      "io.github.p/partner-only@1.0.0=partner"});
  // The winner says whom it shadows, in the list, the version list and the detail.
  const std::string shadowing = R"("io.github.mcp-mirror/mirror":{"source":"partner","shadows":["official"],)";
  CHECK(http_get(m.port(), "/v0.1/servers?search=shared").body.find(shadowing) != std::string::npos);
  CHECK(http_get(m.port(), "/v0.1/servers/io.github.o%2Fshared/versions").body.find(shadowing) != std::string::npos);
  CHECK(http_get(m.port(), "/v0.1/servers/io.github.o%2Fshared/versions/latest").body.find(shadowing) !=
        std::string::npos);
  CHECK(http_get(m.port(), "/v0.1/servers/io.github.o%2Fshared/versions/2.0.0").status == 404);  // official's

  const auto explain = http_get(m.port(), std::string(ns) + "/explain?name=io.github.o/shared").body;
  CHECK(explain.find(R"("source":{"served":"partner","shadows":["official"],"order":["partner","official"],)") !=
        std::string::npos);
  // Per-source state: both listed in sync-status and /info.
  const auto status = http_get(m.port(), std::string(ns) + "/sync-status").body;
  CHECK(status.find(R"("sources":[{"name":"partner",)") != std::string::npos);
  CHECK(status.find(R"({"name":"official",)") != std::string::npos);
  const auto info = http_get(m.port(), std::string(ns) + "/info").body;
  CHECK(info.find(R"("sources":[{"name":"partner","url":")" + r.partner.base_url()) != std::string::npos);
  const auto metrics = http_get(m.port(), "/metrics").body;
  CHECK(metrics.find(R"(mcp_mirror_sync_runs_total{source="partner"} 1)") != std::string::npos);
  CHECK(metrics.find(R"(mcp_mirror_sync_runs_total{source="official"} 1)") != std::string::npos);
}

TEST_CASE("sources: a failing source neither blocks the other nor loses its rows") {
  two_registries r;
  std::atomic<std::int64_t> clock{now_us};
  auto cfg = r.config({"partner", "official"});
  cfg.source_list[0].upstream.staleness_limit = std::chrono::minutes(30);
  running_mirror m({}, cfg, now_us, true, &r.data_dir, [&clock] { return clock.load(); });
  REQUIRE(m.await_sync_runs(2).ok);
  CHECK(http_get(m.port(), "/v0.1/health").body.find("\"status\":\"ok\"") != std::string::npos);
  clock += 3'600'000'000LL;  // an hour later: partner (30 min limit) is stale, official (3 h) is not
  r.partner.script(fault::http_status(500));
  r.partner.script(fault::http_status(500));
  r.official.publish("io.github.o/official-only", "1.1.0", now_us + 10);
  REQUIRE(http_request(m.port(), "POST", std::string(ns) + "/sync", {{"Authorization", std::string("Bearer ") + token}})
              .status == 202);
  const auto first = m.await_sync_runs(3), second = m.await_sync_runs(4);
  const auto& failed = first.source == "partner" ? first : second;
  const auto& ok = first.source == "partner" ? second : first;
  CHECK_FALSE(failed.ok);
  CHECK(ok.ok);
  CHECK(ok.source == "official");
  CHECK(served(m.port()) == std::vector<std::string>{"io.github.o/official-only@1.0.0=official",
                                                      "io.github.o/official-only@1.1.0=official",
                                                      "io.github.o/shared@0.5.0=partner",
                                                      "io.github.p/partner-only@1.0.0=partner"});
  const auto status = http_get(m.port(), std::string(ns) + "/sync-status").body;
  CHECK(status.find(R"("sources":[{"name":"partner","enabled":true,)") != std::string::npos);
  CHECK(status.find("HTTP 500") != std::string::npos);
  const auto health = http_get(m.port(), "/v0.1/health");
  CHECK(health.status == 200);  // a stale mirror still serves
  CHECK(health.body.find(R"("status":"stale")") != std::string::npos);
  CHECK(health.body.find(R"("stale_source":"partner")") != std::string::npos);
}

TEST_CASE("sources: reordering and removing a source re-serve what is mirrored, without a resync") {
  two_registries r;
  {
    running_mirror m({}, r.config({"partner", "official"}), now_us, true, &r.data_dir);
    REQUIRE(m.await_sync_runs(2).ok);
  }
  const auto requests = r.official.requests() + r.partner.requests();
  {
    running_mirror m({}, r.config({"official", "partner"}), now_us, false, &r.data_dir);
    CHECK(served(m.port()) == std::vector<std::string>{"io.github.o/official-only@1.0.0=official",
                                                        "io.github.o/shared@1.0.0=official",
                                                        "io.github.o/shared@2.0.0=official",
                                                        "io.github.p/partner-only@1.0.0=partner"});
    // The change feed says what moved.
    const auto info = http_get(m.port(), std::string(ns) + "/info").body;
    const auto at = info.find("\"seq\":") + 6;
    const auto seq = std::stoll(info.substr(at, info.find(',', at) - at));
    const auto feed = http_get(m.port(), std::string(ns) + "/changes?limit=100&since=" + std::to_string(seq - 10)).body;
    CHECK(feed.find(R"("name":"io.github.o/shared","version":"0.5.0","kind":"hidden")") != std::string::npos);
  }
  {
    running_mirror m({}, r.config({"official"}), now_us, false, &r.data_dir);
    CHECK(served(m.port()) == std::vector<std::string>{"io.github.o/official-only@1.0.0=official",
                                                        "io.github.o/shared@1.0.0=official",
                                                        "io.github.o/shared@2.0.0=official"});
  }
  {
    running_mirror m({}, r.config({"partner", "official"}), now_us, false, &r.data_dir);
    CHECK(served(m.port()).size() == 3);  // back as it was, from the rows kept
  }
  CHECK(r.official.requests() + r.partner.requests() == requests);  // nothing was fetched again
}

TEST_CASE("sources: sync --once runs every source in order, or the one named") {
  two_registries r;
  auto cfg = r.config({"partner", "official"});
  cfg.data_dir = r.data_dir;
  const auto both = app::sync_sources_once(cfg, [] { return now_us; });
  REQUIRE(both.size() == 2);
  CHECK(both[0].source == "partner");
  CHECK(both[1].source == "official");
  CHECK((both[0].ok && both[1].ok));
  const auto requests = r.partner.requests();
  const auto one = app::sync_sources_once(cfg, [] { return now_us; }, "official");
  REQUIRE(one.size() == 1);
  CHECK(one[0].source == "official");
  CHECK(r.partner.requests() == requests);
  CHECK_THROWS_AS(app::sync_sources_once(cfg, [] { return now_us; }, "nobody"), config::invalid_config);
}
