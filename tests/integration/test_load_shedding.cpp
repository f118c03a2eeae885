// The bounded queue in front of the reader pool (hardening issue §3): when max_queued_requests
// cache misses are already waiting for or running on the pool, the next one is answered 503 with
// Retry-After at once on the io thread, instead of joining a queue whose latency has no bound.
#include <doctest/doctest.h>

#include <future>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "http/server.hpp"
#include "store/error.hpp"
#include "support/http_client.hpp"

using namespace mirror;
namespace asio = boost::asio;

TEST_CASE("cache misses beyond the queue bound get 503 + Retry-After - the queued ones are served") {
  asio::io_context ioc{1};
  asio::thread_pool pool(1);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> first_running;
  std::atomic<int> calls{0};
  http::server_options o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.cache_bytes = 0;
  o.max_queued_requests = 1;
  // /metrics is the one route that reads no store: its hook stands in for a slow handler.
  api::mirror_hooks hooks;
  hooks.metrics_text = [&] {
    if (calls++ == 0) {
      first_running.set_value();
      released.wait();  // holds the only queue place until the test lets go
    }
    return std::string("ok 1\n");
  };
  const api::service svc({}, []() -> store::reader& { throw store::error("no store in this test"); },
                         std::move(hooks));
  http::server srv(ioc, pool, o, svc, [](std::string_view) { return std::uint64_t{1}; });
  const auto port = srv.listen().port();
  asio::co_spawn(ioc, srv.run(), asio::detached);
  std::thread io([&] { ioc.run(); });

  auto slow = std::async(std::launch::async, [&] { return test::http_get(port, "/metrics"); });
  first_running.get_future().wait();
  const auto shed = test::http_get(port, "/metrics");
  CHECK(shed.status == 503);
  CHECK(shed.header("retry-after") == "1");
  CHECK(shed.header("content-type") == "application/problem+json");
  CHECK(calls == 1);  // the shed request never reached the handler
  // Requests that run no handler (404s, redirects) are answered on the io thread: they neither
  // wait for nor take a place in the full queue.
  CHECK(test::http_get(port, "/no/such/path").status == 404);
  CHECK(test::http_get(port, "/v0.1/servers/").status == 308);
  release.set_value();
  CHECK(slow.get().status == 200);
  CHECK(test::http_get(port, "/metrics").status == 200);  // the place is free again

  asio::post(ioc, [&] { srv.stop(); });
  io.join();
  pool.join();
}
