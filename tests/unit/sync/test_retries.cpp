// Which upstream answers the syncer retries (5xx, 429, transport errors) and which end the run
// at once (4xx, 3xx, a Retry-After beyond retry_after_max), with the exact waits and messages:
// the retry policy lives in the syncer alone (upstream/client.hpp), so it is tested here.
#include <doctest/doctest.h>

#include "sync_fixture.hpp"

using namespace mirror;
using namespace mirror::test;
using std::chrono::microseconds;
using std::chrono::seconds;

TEST_CASE("syncer retries: a 503 then a 200 is retried once and succeeds") {
  sync_fixture f;
  publish_names(f.registry, 1, f.start_us - 1000);
  f.client.script(answer::status(503));
  auto r = f.run();
  CHECK(r.ok);
  CHECK(r.retries == 1);
  CHECK(r.requests == 2);
  CHECK(r.throttled == 0);
  CHECK(f.client.targets == std::vector<std::string>{f.page_target(), f.page_target()});
  REQUIRE(f.waits.size() == 1);  // backoff attempt 0 with backoff_initial 1 s: [0.5 s, 1 s]
  CHECK(f.waits[0] >= microseconds(500'000));
  CHECK(f.waits[0] <= microseconds(1'000'000));
  CHECK(f.stored().size() == 1);
}

TEST_CASE("syncer retries: a 429 waits exactly Retry-After and counts as throttled") {
  sync_fixture f;
  publish_names(f.registry, 1, f.start_us - 1000);
  f.client.script(answer::throttled(seconds(7)));
  f.client.script(answer::status(429));  // no Retry-After: backoff attempt 1, [1 s, 2 s]
  auto r = f.run();
  CHECK(r.ok);
  CHECK(r.throttled == 2);
  CHECK(r.retries == 2);
  REQUIRE(f.waits.size() == 2);
  CHECK(f.waits[0] == seconds(7));
  CHECK(f.waits[1] >= seconds(1));
  CHECK(f.waits[1] <= seconds(2));
}

TEST_CASE("syncer retries: a Retry-After above retry_after_max fails the run at once") {
  sync_fixture f;
  publish_names(f.registry, 1, f.start_us - 1000);
  f.client.script(answer::throttled(seconds(301)));  // retry_after_max is 300 s
  auto r = f.run();
  CHECK_FALSE(r.ok);
  CHECK(r.error == "upstream asked to retry after 301s for " + f.page_target());
  CHECK(r.requests == 1);
  CHECK(r.throttled == 1);
  CHECK(r.retries == 0);
  CHECK(f.waits.empty());
}

TEST_CASE("syncer retries: max_attempts answers of 503 fail with gave up after N attempts") {
  sync_fixture f;
  publish_names(f.registry, 1, f.start_us - 1000);
  f.options.max_attempts = 3;
  f.client.script(answer::status(503), 3);
  auto r = f.run();
  CHECK_FALSE(r.ok);
  CHECK(r.error == "HTTP 503 for " + f.page_target() + " (gave up after 3 attempts)");
  CHECK(r.requests == 3);
  CHECK(r.retries == 2);
  CHECK(f.stored().empty());
}

TEST_CASE("syncer retries: transport errors are retried and named when attempts run out") {
  const auto reset = make_error_code(boost::asio::error::connection_reset);
  {
    sync_fixture f;
    publish_names(f.registry, 1, f.start_us - 1000);
    f.client.script(answer::transport(reset));
    auto r = f.run();
    CHECK(r.ok);
    CHECK(r.retries == 1);
  }
  sync_fixture f;
  f.options.max_attempts = 2;
  f.client.script(answer::transport(reset), 2);
  auto r = f.run();
  CHECK_FALSE(r.ok);
  CHECK(r.error == "transport error: " + reset.message() + " for " + f.page_target() +
                       " (gave up after 2 attempts)");
  CHECK(r.requests == 2);
}

TEST_CASE("syncer retries: a 404 on the list fails at once without a retry") {
  sync_fixture f;
  publish_names(f.registry, 1, f.start_us - 1000);
  f.client.script(answer::status(404));
  auto r = f.run();
  CHECK_FALSE(r.ok);
  CHECK(r.error == "HTTP 404 from upstream for " + f.page_target());
  CHECK(r.requests == 1);
  CHECK(r.retries == 0);
  CHECK(f.waits.empty());
  CHECK(f.client.pending() == 0);
}

TEST_CASE("syncer retries: a redirect is not followed and the error names the Location") {
  sync_fixture f;
  publish_names(f.registry, 1, f.start_us - 1000);
  const std::string location = "https://elsewhere.example/v0.1/servers?limit=2";
  f.client.script(answer::redirect(301, location));
  auto r = f.run();
  CHECK_FALSE(r.ok);
  CHECK(r.error == "HTTP 301 from upstream for " + f.page_target() + ": redirect to \"" + location +
                       "\" not followed (set upstream.url to the new location if it moved)");
  CHECK(f.client.targets == std::vector<std::string>{f.page_target()});  // nothing sent elsewhere
  CHECK(r.retries == 0);
}

TEST_CASE("syncer retries: the run deadline ends a run that keeps being told to wait") {
  sync_fixture f;
  publish_names(f.registry, 1, f.start_us - 1000);
  f.options.run_deadline = std::chrono::milliseconds(10'000);
  f.client.script(answer::throttled(seconds(6)), 2);  // 6 s, then 12 s past the start
  auto r = f.run();
  CHECK_FALSE(r.ok);
  CHECK(r.error == "run deadline of 10s passed");
  CHECK(r.requests == 2);
  CHECK(f.clock_us - f.start_us == 12'000'000);
}
