// The page walk: following nextCursor, and the guards that keep a broken upstream from
// wedging the mirror (repeated cursor, page cap, unparsable pages, a stop request). Page
// bodies come from fake_registry, so they are the upstream's real JSON shape.
#include <doctest/doctest.h>

#include "sync_fixture.hpp"

using namespace mirror;
using namespace mirror::test;

TEST_CASE("syncer walk: follows nextCursor page by page until it is absent") {
  sync_fixture f;
  publish_names(f.registry, 5, f.start_us - 1000);
  auto r = f.run();
  CHECK(r.ok);
  CHECK(r.full);
  CHECK(r.pages == 3);
  CHECK(r.versions_seen == 5);
  CHECK(f.client.targets == std::vector<std::string>{
                                f.page_target(),
                                f.page_target("io.github.user1/server:1.0.0"),
                                f.page_target("io.github.user3/server:1.0.0"),
                            });
  // The cursor is percent-encoded in the target ('/' and ':' are reserved).
  CHECK(f.client.targets[1].find("cursor=io.github.user1%2Fserver%3A1.0.0") != std::string::npos);
  const auto stored = f.stored();
  REQUIRE(stored.size() == 5);
  CHECK(stored == f.registry.snapshot());
}

TEST_CASE("syncer walk: a repeated cursor stops the run and keeps the pages before it") {
  sync_fixture f;
  publish_names(f.registry, 2, f.start_us - 1000);
  f.registry.endless_cursor(endless::repeat);  // page 2 hands back the cursor it was asked with
  auto r = f.run();
  CHECK_FALSE(r.ok);
  CHECK(r.error == "upstream repeated cursor \"io.github.user1/server:1.0.0\" at page 2");
  CHECK(r.pages == 2);
  CHECK(r.requests == 2);
  CHECK(f.stored().size() == 2);  // page 1 was committed
  CHECK_FALSE(f.state().watermark_us.has_value());
}

TEST_CASE("syncer walk: max_pages caps a cursor that never ends") {
  sync_fixture f;
  publish_names(f.registry, 2, f.start_us - 1000);
  f.registry.endless_cursor(endless::fresh);  // a new cursor on every page
  f.options.max_pages = 3;
  auto r = f.run();
  CHECK_FALSE(r.ok);
  CHECK(r.error == "page cap of 3 pages reached; the upstream's cursor does not end");
  CHECK(r.pages == 3);
  CHECK(r.requests == 3);
  CHECK(f.client.targets.size() == 3);  // page 4 is never asked for
}

TEST_CASE("syncer walk: an unparsable page is retried, then fails the run") {
  {
    sync_fixture f;
    publish_names(f.registry, 1, f.start_us - 1000);
    f.client.script(answer::page("<html>Bad gateway</html>"));
    auto r = f.run();
    CHECK(r.ok);
    CHECK(r.retries == 1);
    CHECK(f.stored().size() == 1);
  }
  sync_fixture f;
  f.options.max_attempts = 3;
  f.client.script(answer::page("{\"servers\": [tru"), 3);
  auto r = f.run();
  CHECK_FALSE(r.ok);
  CHECK(r.error.rfind("unparsable page: ", 0) == 0);
  const std::string tail = " for " + f.page_target() + " (gave up after 3 attempts)";
  REQUIRE(r.error.size() > tail.size());
  CHECK(r.error.substr(r.error.size() - tail.size()) == tail);
  CHECK(r.retries == 2);
  CHECK(r.pages == 0);
}

TEST_CASE("syncer walk: a failure on a later page keeps the earlier pages and writes no partial page") {
  sync_fixture f;
  publish_names(f.registry, 3, f.start_us - 1000);  // pages [user0, user1], [user2]
  f.options.max_attempts = 2;
  f.client.script(answer::status(500), 2, "cursor=");
  auto r = f.run();
  CHECK_FALSE(r.ok);
  CHECK(r.pages == 1);
  CHECK(r.added == 2);
  const auto stored = f.stored();
  REQUIRE(stored.size() == 2);
  CHECK(stored[0].name == "io.github.user0/server");
  CHECK(stored[1].name == "io.github.user1/server");
}

TEST_CASE("syncer walk: request_stop ends the run before its next request") {
  sync_fixture f;
  publish_names(f.registry, 5, f.start_us - 1000);
  f.client.on_get([&](const std::string&) { f.job->request_stop(); });
  auto r = f.run();
  CHECK_FALSE(r.ok);
  CHECK(r.error == "stopped");
  CHECK(r.requests == 1);
  CHECK(f.state().last_error == "stopped");
}
