// `serve` with sync on, against the fake upstream: the scheduled first run, sync-status, the
// token-protected trigger, /health staleness and /metrics (issue: sync, visibility).
#include <doctest/doctest.h>

#include <atomic>
#include <fstream>

#include "support/fake_upstream.hpp"
#include "support/http_client.hpp"
#include "support/json_view.hpp"
#include "support/running_mirror.hpp"
#include "upstream/targets.hpp"

using namespace mirror;
using namespace mirror::test;

namespace {

constexpr std::int64_t now_us = 1'760'000'000'000'000;

config::mirror_config sync_config(const fake_upstream& up) {
  config::mirror_config cfg;
  cfg.upstream.url = up.base_url();
  cfg.upstream.requests_per_second = 1000;
  cfg.upstream.page_limit = 10;
  return cfg;
}

}  // namespace

TEST_CASE("serve --upstream: the first run starts at once and the mirror serves the upstream") {
  fake_upstream up;
  for (int i = 0; i < 25; ++i) up.publish("io.github.s" + std::to_string(i) + "/x", "1.0.0", now_us - 1000);
  running_mirror m({}, sync_config(up), now_us, true);
  auto r = m.await_sync_runs(1);
  CHECK(r.ok);
  CHECK(r.added == 25);
  CHECK(r.removed_seed == 358);  // the bundled seed made way for the upstream's data
  auto l = parse_server_list(http_get(m.port(), "/v0.1/servers?limit=100").body);
  CHECK(l.servers.size() == 25);  // the cache was invalidated by the sync's commits

  auto status = http_get(m.port(), "/v0.1/x/io.github.mcp-mirror/sync-status");
  CHECK(status.status == 200);
  CHECK(status.body.find("\"upstream\":\"" + up.base_url() + "\"") != std::string::npos);
  CHECK(status.body.find("\"lastError\":\"\"") != std::string::npos);
  CHECK(string_at(status.body, "/lastSuccess") == model::format_rfc3339(now_us));
  CHECK(http_get(m.port(), "/v0/x/io.github.mcp-mirror/sync-status").status == 200);
  CHECK(http_get(m.port(), "/v0.1/health").body == "{\"status\":\"ok\"}\n");

  auto metrics = http_get(m.port(), "/metrics");
  CHECK(metrics.status == 200);
  CHECK(metrics.header("content-type") == "text/plain; version=0.0.4; charset=utf-8");
  CHECK(metrics.body.find("mcp_mirror_sync_runs_total{source=\"upstream\"} 1") != std::string::npos);
  CHECK(metrics.body.find("mcp_mirror_sync_versions_applied_total{source=\"upstream\"} 25") != std::string::npos);
  CHECK(metrics.body.find("mcp_mirror_http_requests_total{method=\"GET\",route=\"/v0.1/servers\",status=\"200\"} 1") !=
        std::string::npos);
}

TEST_CASE("a failing upstream shows in sync-status, health and metrics within one run") {
  fake_upstream up;
  up.script(fault::http_status(500), 100);
  auto cfg = sync_config(up);
  cfg.upstream.max_attempts = 2;
  cfg.upstream.staleness_limit = std::chrono::hours(1);
  running_mirror m({}, cfg, now_us, true);
  // The first attempt and its retry fail (the backoff waits a real 0.5–1 s).
  auto r = m.await_sync_runs(1);
  CHECK_FALSE(r.ok);
  auto status = http_get(m.port(), "/v0.1/x/io.github.mcp-mirror/sync-status");
  CHECK(string_at(status.body, "/lastError").find("HTTP 500") != std::string::npos);
  auto health = http_get(m.port(), "/v0.1/health");
  CHECK(health.status == 200);  // still serving the last good data
  CHECK(string_at(health.body, "/status") == "stale");
  auto metrics = http_get(m.port(), "/metrics").body;
  CHECK(metrics.find("mcp_mirror_sync_failures_total{source=\"upstream\"} 1") != std::string::npos);
  CHECK(metrics.find("mcp_mirror_sync_retries_total{source=\"upstream\"} 1") != std::string::npos);
  // The seed is still served: a failed sync never loses data.
  CHECK(parse_server_list(http_get(m.port(), "/v0.1/servers?limit=5").body).servers.size() == 5);
}

TEST_CASE("POST .../sync needs the admin token and starts a run - without a token file it is off") {
  fake_upstream up;
  up.publish("io.github.a/b", "1.0.0", now_us - 10);
  temp_dir secrets;
  const auto token_file = secrets.path() / "token";
  std::ofstream(token_file) << "0123456789abcdef-secret\n";
  auto cfg = sync_config(up);
  cfg.admin_token_file = token_file;
  running_mirror m({}, cfg, now_us, true);
  m.await_sync_runs(1);
  up.publish("io.github.a/b", "2.0.0", now_us + 10);
  const std::string path = "/v0.1/x/io.github.mcp-mirror/sync";
  CHECK(http_request(m.port(), "POST", path).status == 401);
  CHECK(http_request(m.port(), "POST", path, {{"Authorization", "Bearer wrong-token-wrong-token"}}).status == 401);
  auto ok = http_request(m.port(), "POST", path, {{"Authorization", "Bearer 0123456789abcdef-secret"}});
  CHECK(ok.status == 202);
  auto second = m.await_sync_runs(2);
  CHECK(second.ok);
  CHECK(http_get(m.port(), "/v0.1/servers/io.github.a%2Fb/versions/latest").body.find("\"version\":\"2.0.0\"") !=
        std::string::npos);

  running_mirror no_token({}, sync_config(up), now_us, true);
  CHECK(http_request(no_token.port(), "POST", path, {{"Authorization", "Bearer x"}}).status == 404);
}

TEST_CASE("readiness: before the first sync succeeds an unknown name is 503 + Retry-After, after it 404") {
  fake_upstream up;
  up.publish("io.github.ready/x", "1.0.0", now_us - 1000);
  up.script(fault::http_status(500));  // the first run fails (one attempt)
  auto cfg = sync_config(up);
  cfg.upstream.max_attempts = 1;
  temp_dir files;
  cfg.admin_token_file = files.path() / "token";
  std::ofstream(cfg.admin_token_file) << "readiness-token-0123456789";
  running_mirror m({}, cfg, now_us, true);
  REQUIRE_FALSE(m.await_sync_runs(1).ok);

  for (const auto* target : {"/v0.1/servers/io.github.ready%2Fx/versions", "/v0.1/servers/io.github.ready%2Fx/versions/latest",
                             "/v0/servers/io.github.ready%2Fx/versions/1.0.0"}) {
    CAPTURE(target);
    auto r = http_get(m.port(), target);
    CHECK(r.status == 503);
    CHECK(r.header("retry-after") == "30");
    CHECK(r.header("content-type") == "application/problem+json");
    CHECK(r.body.find("first sync") != std::string::npos);
  }
  // What the mirror holds (the bundled seed) answers as usual; so do lists, and a version of a
  // held name that is not there.
  auto seed_list = http_get(m.port(), "/v0.1/servers?limit=1");
  CHECK(seed_list.status == 200);
  const auto at = seed_list.body.find("\"name\":\"") + 8;
  const auto seed_name = seed_list.body.substr(at, seed_list.body.find('"', at) - at);
  CHECK(http_get(m.port(), "/v0.1/servers/" + upstream::percent_encode(seed_name) + "/versions").status == 200);
  CHECK(http_get(m.port(), "/v0.1/servers/" + upstream::percent_encode(seed_name) + "/versions/9.9.9").status == 404);

  auto r = http_request(m.port(), "POST", "/v0.1/x/io.github.mcp-mirror/sync",
                        {{"Authorization", "Bearer readiness-token-0123456789"}});
  REQUIRE(r.status == 202);
  REQUIRE(m.await_sync_runs(2).ok);
  CHECK(http_get(m.port(), "/v0.1/servers/io.github.ready%2Fx/versions").status == 200);
  auto missing = http_get(m.port(), "/v0.1/servers/io.github.absent%2Fx/versions");
  CHECK(missing.status == 404);
  CHECK(missing.header("retry-after").empty());
}

TEST_CASE("readiness: with sync off, or hold_404_until_synced false, an unknown name is 404 at once") {
  {
    // One daemon at a time: two in one process share spdlog's global logger, whose setup races.
    running_mirror off({});
    CHECK(http_get(off.port(), "/v0.1/servers/io.github.absent%2Fx/versions").status == 404);
  }
  fake_upstream up;
  up.script(fault::http_status(500));
  auto cfg = sync_config(up);
  cfg.upstream.max_attempts = 1;
  cfg.upstream.hold_404_until_synced = false;
  running_mirror m({}, cfg, now_us, true);
  REQUIRE_FALSE(m.await_sync_runs(1).ok);
  CHECK(http_get(m.port(), "/v0.1/servers/io.github.absent%2Fx/versions").status == 404);
}

TEST_CASE("readiness: a source that never syncs holds 404s back for its staleness limit, not for good") {
  fake_upstream up;
  for (int i = 0; i < 3; ++i) up.script(fault::http_status(500));
  auto cfg = sync_config(up);
  cfg.upstream.max_attempts = 1;
  cfg.upstream.staleness_limit = std::chrono::minutes(10);
  std::atomic<std::int64_t> clock{now_us};
  running_mirror m({}, cfg, now_us, true, nullptr, [&clock] { return clock.load(); });
  REQUIRE_FALSE(m.await_sync_runs(1).ok);
  CHECK(http_get(m.port(), "/v0.1/servers/io.github.absent%2Fx/versions").status == 503);
  clock += 11 * 60'000'000LL;
  CHECK(http_get(m.port(), "/v0.1/servers/io.github.absent%2Fx/versions").status == 404);
  CHECK(http_get(m.port(), "/v0.1/health").body.find(R"("status":"stale")") != std::string::npos);
}
