// Chained mirrors (scale-out): A follows the upstream, B and C follow A through the same v0.1 API
// (updated_since, include_deleted, cursors). After every round of upstream mutations, B and C
// serve exactly what A serves, and A exactly what the upstream holds.
#include <doctest/doctest.h>

#include <fstream>

#include "support/fake_upstream.hpp"
#include "support/http_client.hpp"
#include "support/running_mirror.hpp"
#include "support/served_pages.hpp"
#include "upstream/targets.hpp"

using namespace mirror;
using namespace mirror::test;

namespace {

constexpr std::int64_t now_us = 1'760'000'000'000'000;
constexpr const char* token = "chain-test-token-0123456789";

config::mirror_config follower_of(const std::string& url, const std::filesystem::path& token_file) {
  config::mirror_config cfg;
  cfg.upstream.url = url;
  cfg.upstream.requests_per_second = 1000;
  cfg.upstream.page_limit = 9;
  // Every mirror carries its own `_meta` key with its own change time; with the same fixed
  // clock and source ("upstream") on all three, A, B and C still serve identical bytes.
  cfg.admin_token_file = token_file;
  return cfg;
}

// Every page of the full listing (deleted included) plus every version list, as raw bodies.
std::vector<std::string> served(unsigned short port, const std::vector<model::server_version>& model) {
  auto bodies = listing_pages(port, 7);
  std::string last;
  for (const auto& v : model) {
    if (v.name == last) continue;
    last = v.name;
    bodies.push_back(
        http_get(port, "/v0.1/servers/" + upstream::percent_encode(v.name) + "/versions?include_deleted=true").body);
  }
  return bodies;
}

void trigger(unsigned short port) {
  auto r = http_request(port, "POST", "/v0.1/x/io.github.mcp-mirror/sync",
                        {{"Authorization", std::string("Bearer ") + token}});
  REQUIRE(r.status == 202);
}

}  // namespace

TEST_CASE("chain: B and C follow A, A follows the upstream - all converge after mutations") {
  fake_upstream up;
  for (int n = 0; n < 12; ++n)
    for (int v = 0; v < 3; ++v) up.publish("io.github.c" + std::to_string(n) + "/srv", "1." + std::to_string(v) + ".0", now_us + n * 10 + v);
  temp_dir secrets;
  const auto token_file = secrets.path() / "token";
  std::ofstream(token_file) << token;

  running_mirror a({}, follower_of(up.base_url(), token_file), now_us, true);
  REQUIRE(a.await_sync_runs(1).ok);
  const auto a_url = "http://127.0.0.1:" + std::to_string(a.port());
  running_mirror b({}, follower_of(a_url, token_file), now_us, true);
  running_mirror c({}, follower_of(a_url, token_file), now_us, true);
  REQUIRE(b.await_sync_runs(1).ok);
  REQUIRE(c.await_sync_runs(1).ok);

  std::mt19937 rng(9);
  std::int64_t t = now_us + 1000;
  for (int round = 1; round <= 4; ++round) {
    CAPTURE(round);
    const auto model = up.snapshot();
    const auto a_bodies = served(a.port(), model);
    CHECK(served(b.port(), model) == a_bodies);
    CHECK(served(c.port(), model) == a_bodies);
    // A equals the upstream itself, row by row.
    for (const auto& v : model) {
      auto r = http_get(a.port(), "/v0.1/servers/" + upstream::percent_encode(v.name) + "/versions/" +
                                      upstream::percent_encode(v.version) + "?include_deleted=true");
      CHECK(r.body.starts_with("{\"server\":" + v.server_json + ",\"_meta\":{\"io.modelcontextprotocol.registry/official\":{\"status\":\"" +
                               std::string(model::to_string(v.official.status)) + "\""));
    }
    // Mutate the upstream, then let the chain catch up: A first, then B and C.
    for (int i = 0; i < 6; ++i) {
      t += 10;
      const auto name = "io.github.c" + std::to_string(rng() % 14) + "/srv";
      try {
        switch (rng() % 4) {
          case 0: up.publish(name, "2." + std::to_string(round) + "." + std::to_string(i), t); break;
          case 1: up.delete_version(name, "1." + std::to_string(rng() % 3) + ".0", t); break;
          case 2: up.set_status(name, "1.0.0", model::status::deprecated, "round " + std::to_string(round), t); break;
          default: up.restore(name, "1." + std::to_string(rng() % 3) + ".0", t); break;
        }
      } catch (const std::invalid_argument&) {
      }
    }
    trigger(a.port());
    REQUIRE(a.await_sync_runs(static_cast<std::size_t>(round + 1)).ok);
    trigger(b.port());
    trigger(c.port());
    REQUIRE(b.await_sync_runs(static_cast<std::size_t>(round + 1)).ok);
    REQUIRE(c.await_sync_runs(static_cast<std::size_t>(round + 1)).ok);
  }
}
