// A hostile upstream against the whole daemon (sync on, real clock): one that sends 1 byte/s,
// one that never stops sending (a huge Content-Length, endless chunks, no length at all), an
// invalid gzip body, a reset in mid-body, a redirect, and pages slow enough to pass the run
// deadline. Each run ends within the client's deadline or cap (small values here, so the test
// takes seconds), its error shows in sync-status, the served data does not change, and the
// next run against the healthy upstream succeeds.
#include <doctest/doctest.h>

#include <fstream>

#include "support/fake_upstream.hpp"
#include "support/http_client.hpp"
#include "support/json_view.hpp"
#include "support/running_mirror.hpp"

using namespace mirror;
using namespace mirror::test;
using std::chrono::milliseconds;

namespace {

constexpr const char* token = "0123456789abcdef-secret";
constexpr const char* ns = "/v0.1/x/io.github.mcp-mirror";

struct hostile_case {
  const char* label;
  fault f;
  std::string expected;  // part of the run's error
};

}  // namespace

TEST_CASE("hostile upstream: deadlines and caps end every run, sync-status says why, data stays") {
  fake_upstream up;
  const auto now = util::system_now_us();
  for (int i = 0; i < 12; ++i) up.publish("io.github.h/s" + std::to_string(i), "1.0.0", now);
  temp_dir files;
  const auto token_file = files.path() / "token";
  std::ofstream(token_file) << token << "\n";
  config::mirror_config cfg;
  cfg.upstream.url = up.base_url();
  cfg.upstream.requests_per_second = 1000;
  cfg.upstream.max_attempts = 1;  // each fault once: the run ends on it
  cfg.upstream.read_timeout = milliseconds(300);
  cfg.upstream.max_response_bytes = 256 * 1024;
  cfg.upstream.run_deadline = milliseconds(600);
  cfg.upstream.page_limit = 5;
  cfg.admin_token_file = token_file;
  running_mirror m({}, cfg, now, true, nullptr, util::system_now_us);
  REQUIRE(m.await_sync_runs(1).ok);
  const std::string all = "/v0.1/servers?limit=100&include_deleted=true";
  const auto served = http_get(m.port(), all).body;
  REQUIRE(parse_server_list(served).servers.size() == 12);

  const std::vector<hostile_case> cases{
      {"1 byte/s", fault::trickle(std::chrono::seconds(1)), "transport error: upstream response read timed out"},
      {"endless body, Content-Length 1 TB", fault::of(fault::kind::endless_length),
       "transport error: upstream response larger than the configured cap"},
      {"endless chunked body", fault::of(fault::kind::endless_chunked),
       "transport error: upstream response larger than the configured cap"},
      {"endless body until close", fault::of(fault::kind::endless_close),
       "transport error: upstream response larger than the configured cap"},
      {"invalid gzip", fault::of(fault::kind::bad_gzip), "transport error: upstream sent a corrupt or truncated gzip body"},
      {"reset mid-body", fault::of(fault::kind::reset), "transport error: "},
      {"redirect", fault::redirect(302, "http://elsewhere.example/v0.1/servers"),
       "HTTP 302 from upstream for /v0.1/servers?"},
  };
  std::size_t runs = 1;
  for (const auto& c : cases) {
    CAPTURE(c.label);
    up.script(c.f);
    const auto start = std::chrono::steady_clock::now();
    REQUIRE(http_request(m.port(), "POST", std::string(ns) + "/sync", {{"Authorization", std::string("Bearer ") + token}})
                .status == 202);
    const auto r = m.await_sync_runs(++runs);
    const auto took = std::chrono::steady_clock::now() - start;
    CAPTURE(r.error);
    CHECK_FALSE(r.ok);
    CHECK(r.requests == 2);  // the replica probe (a 404) and the one attempt: max_attempts 1, no redirect followed
    CHECK(r.error.find(c.expected) != std::string::npos);
    CHECK(took < milliseconds(2000));  // the 300 ms read deadline or the cap, not the upstream, ended it
    const auto status = http_get(m.port(), std::string(ns) + "/sync-status").body;
    CHECK(string_at(status, "/lastError") == r.error);
    CHECK(http_get(m.port(), all).body == served);
  }
  const auto redirect_error = m.await_sync_runs(runs).error;
  CHECK(redirect_error.find("redirect to \"http://elsewhere.example/v0.1/servers\" not followed") != std::string::npos);

  // Every page arrives, but slowly, and the cursor never ends: the run deadline (600 ms) stops it.
  up.endless_cursor(true);
  up.script(fault::slow(milliseconds(150)), 50);
  const auto start = std::chrono::steady_clock::now();
  REQUIRE(http_request(m.port(), "POST", std::string(ns) + "/sync", {{"Authorization", std::string("Bearer ") + token}})
              .status == 202);
  const auto slow = m.await_sync_runs(++runs);
  CHECK_FALSE(slow.ok);
  CHECK(slow.error.starts_with("run deadline of 600ms passed"));
  CHECK(std::chrono::steady_clock::now() - start < milliseconds(2000));
  up.endless_cursor(false);
  up.clear_faults();

  // Healthy again: the next run succeeds and picks up what changed meanwhile.
  up.publish("io.github.h/new", "1.0.0", util::system_now_us());
  REQUIRE(http_request(m.port(), "POST", std::string(ns) + "/sync", {{"Authorization", std::string("Bearer ") + token}})
              .status == 202);
  const auto healthy = m.await_sync_runs(++runs);
  CHECK(healthy.ok);
  CHECK(string_at(http_get(m.port(), std::string(ns) + "/sync-status").body, "/lastError") == "");
  CHECK(parse_server_list(http_get(m.port(), all).body).servers.size() == 13);
}
