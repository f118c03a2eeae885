// The sync state and the watermark (docs/upstream-api.md: Incremental sync and latest): a
// success advances it to the run's start, a failure records the error and leaves it, and the
// next run asks only for what changed since (the exact targets the fake client saw).
#include <doctest/doctest.h>

#include "support/rows.hpp"
#include "sync_fixture.hpp"

using namespace mirror;
using namespace mirror::test;

namespace {
constexpr std::int64_t hour = 3'600'000'000LL;
}

TEST_CASE("syncer watermark: a successful run stores the sync state") {
  sync_fixture f;
  publish_names(f.registry, 3, f.start_us - 1000);
  CHECK(f.state().empty());
  auto r = f.run();
  REQUIRE(r.ok);
  const auto s = f.state();
  CHECK(s.watermark_us == f.start_us);  // the run's start, not its end
  CHECK(s.upstream == std::string(sync_fixture::upstream_url));
  CHECK(s.last_success_us == r.finished_us);
  CHECK(r.finished_us > r.started_us);  // the pacing wait moved the clock
  CHECK(s.last_attempt_us == f.start_us);
  CHECK(s.last_error == "");
}

TEST_CASE("syncer watermark: a failed run records the error and leaves the watermark") {
  sync_fixture f;
  publish_names(f.registry, 3, f.start_us - 1000);
  auto ok = f.run();
  REQUIRE(ok.ok);

  f.clock_us += hour;
  const auto second_start = f.clock_us;
  f.client.script(answer::status(500), f.options.max_attempts);
  auto r = f.run();
  CHECK_FALSE(r.ok);
  const auto s = f.state();
  CHECK(s.last_error == r.error);
  CHECK(r.error.find("HTTP 500") != std::string::npos);
  CHECK(s.last_attempt_us == second_start);
  CHECK(s.watermark_us == f.start_us);
  CHECK(s.last_success_us == ok.finished_us);
  CHECK(s.upstream == std::string(sync_fixture::upstream_url));
}

TEST_CASE("syncer watermark: the next run is incremental from the watermark minus the margin") {
  sync_fixture f;
  f.options.page_limit = 10;  // every walk is one page
  publish_names(f.registry, 1, f.start_us - 1000);
  REQUIRE(f.run().ok);
  REQUIRE(f.client.targets.size() == 1);
  CHECK(f.client.targets[0] == "/v0.1/servers?limit=10&include_deleted=true");

  f.clock_us += hour;
  const auto second_start = f.clock_us;
  f.registry.publish("io.github.late/server", "1.0.0", f.clock_us);
  auto r = f.run();
  REQUIRE(r.ok);
  CHECK_FALSE(r.full);
  CHECK(r.added == 1);
  const auto since = f.start_us - 60'000'000;  // watermark − margin (60 s)
  REQUIRE(f.client.targets.size() == 3);
  CHECK(f.client.targets[1] == f.page_target(std::nullopt, since));
  CHECK(f.client.targets[1] ==
        "/v0.1/servers?limit=10&include_deleted=true&updated_since=" +
            upstream::percent_encode(model::format_rfc3339(since)));
  CHECK(f.client.targets[2] == upstream::versions_target("io.github.late/server"));
  CHECK(f.state().watermark_us == second_start);
}

TEST_CASE("syncer watermark: a failed first run leaves no watermark and the next run is full") {
  sync_fixture f;
  publish_names(f.registry, 1, f.start_us - 1000);
  f.client.script(answer::status(404));
  REQUIRE_FALSE(f.run().ok);
  CHECK_FALSE(f.state().watermark_us.has_value());
  CHECK(f.state().last_attempt_us == f.start_us);

  f.clock_us += hour;
  auto r = f.run();
  CHECK(r.ok);
  CHECK(r.full);
  REQUIRE(f.client.targets.size() == 2);
  CHECK(f.client.targets[1] == f.page_target());  // no updated_since
}

TEST_CASE("syncer watermark: another upstream URL means a full walk again") {
  sync_fixture f;
  publish_names(f.registry, 1, f.start_us - 1000);
  REQUIRE(f.run().ok);
  f.clock_us += hour;
  f.options.upstream_url = "https://other-registry.test";
  auto r = f.run();
  CHECK(r.ok);
  CHECK(r.full);
  REQUIRE(f.client.targets.size() == 2);
  CHECK(f.client.targets[1] == f.page_target());
  CHECK(f.state().upstream == std::string("https://other-registry.test"));
}

TEST_CASE("syncer watermark: a 404 on a version list re-read counts as an empty list") {
  sync_fixture f;
  publish_names(f.registry, 1, f.start_us - 1000);
  REQUIRE(f.run().ok);
  f.clock_us += hour;
  f.registry.edit_server_json("io.github.user0/server", "1.0.0",
                              server_json("io.github.user0/server", "1.0.0", "edited"), f.clock_us);
  f.client.script(answer::status(404), 1, "/versions");
  auto r = f.run();
  CHECK(r.ok);
  CHECK(r.changed == 1);
  CHECK(r.latest_refetched == 1);
  CHECK(r.retries == 0);
  CHECK(f.client.pending() == 0);
}
