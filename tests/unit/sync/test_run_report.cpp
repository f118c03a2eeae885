// The run report: the counts a walk adds up (what sync-status, metrics and the summary log line
// show), and summary_line's exact format, which operators grep for.
#include <doctest/doctest.h>

#include "support/rows.hpp"
#include "sync/run_report.hpp"
#include "sync_fixture.hpp"

using namespace mirror;
using namespace mirror::test;

TEST_CASE("summary_line: every count in its place - the error only on a failed run") {
  sync::run_report r;
  r.ok = true;
  r.full = true;
  r.started_us = 1'000'000;
  r.finished_us = 3'500'000;
  r.added = 1, r.changed = 2, r.status_changes = 3, r.unchanged = 4, r.latest_moved = 5;
  r.removed_seed = 6, r.skipped = 7, r.pages = 8, r.requests = 9, r.retries = 10, r.throttled = 11;
  CHECK(sync::summary_line(r) ==
        "sync ok (full): 1 added, 2 changed, 3 status changes, 4 unchanged, 5 latest moved, "
        "6 seed rows removed, 7 skipped | 8 pages, 9 requests, 10 retries, 11 throttled | 2.50s");
  r.ok = false;
  r.full = false;
  r.error = "HTTP 404 from upstream for /v0.1/servers";
  CHECK(sync::summary_line(r) ==
        "sync FAILED (incremental): 1 added, 2 changed, 3 status changes, 4 unchanged, 5 latest moved, "
        "6 seed rows removed, 7 skipped | 8 pages, 9 requests, 10 retries, 11 throttled | 2.50s"
        " | error: HTTP 404 from upstream for /v0.1/servers");
}

TEST_CASE("run report: counts of a full and an incremental two-page walk") {
  sync_fixture f;
  publish_names(f.registry, 3, f.start_us - 1'000'000);  // within the 60 s margin of run 1
  auto first = f.run();
  REQUIRE(first.ok);
  CHECK(first.full);
  CHECK(first.pages == 2);  // [user0, user1], [user2]
  CHECK(first.versions_seen == 3);
  CHECK(first.added == 3);
  CHECK(first.changed == 0);
  CHECK(first.unchanged == 0);
  CHECK(first.requests == 2);
  CHECK(first.retries == 0);
  CHECK(first.latest_refetched == 0);  // full walks do not re-read version lists
  CHECK(first.started_us == f.start_us);
  CHECK(first.finished_us == f.clock_us);
  CHECK(first.finished_us - first.started_us == 1000);  // one 1 ms pacing wait

  // An hour later: user0 is edited; user1 and user2 come back unchanged (inside the margin).
  f.clock_us += 3'600'000'000LL;
  f.registry.edit_server_json("io.github.user0/server", "1.0.0",
                              server_json("io.github.user0/server", "1.0.0", "edited"), f.clock_us);
  const auto before = f.client.targets.size();
  auto second = f.run();
  REQUIRE(second.ok);
  CHECK_FALSE(second.full);
  CHECK(second.pages == 2);
  CHECK(second.versions_seen == 3);
  CHECK(second.added == 0);
  CHECK(second.changed == 1);
  CHECK(second.unchanged == 2);
  CHECK(second.latest_refetched == 1);  // the one touched name
  CHECK(second.requests == 3);          // two pages and one version list
  REQUIRE(f.client.targets.size() == before + 3);
  CHECK(f.client.targets.back() == upstream::versions_target("io.github.user0/server"));

  const auto line = sync::summary_line(second);
  CAPTURE(line);
  CHECK(line.rfind("sync ok (incremental): 0 added, 1 changed, 0 status changes, 2 unchanged", 0) == 0);
  CHECK(line.find("| 2 pages, 3 requests, 0 retries, 0 throttled |") != std::string::npos);
  CHECK(line.find("error") == std::string::npos);
}

TEST_CASE("run report: entries the decoder rejects are counted as skipped and not stored") {
  sync_fixture f;
  f.options.page_limit = 10;  // one page
  f.registry.publish("bad name/x", "1.0.0", f.start_us - 1000);  // a space: not a valid name
  f.registry.publish("io.github.good/server", "1.0.0", f.start_us - 1000);
  auto r = f.run();
  REQUIRE(r.ok);
  CHECK(r.pages == 1);
  CHECK(r.skipped == 1);
  CHECK(r.versions_seen == 1);
  CHECK(r.added == 1);
  const auto stored = f.stored();
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].name == "io.github.good/server");
}
