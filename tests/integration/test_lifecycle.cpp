// Connection limits, deadlines and graceful stop (issue: lifecycle; docs/design-habits.md H3).
#include <doctest/doctest.h>

#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include "registry_fixture.hpp"
#include "support/http_client.hpp"
#include "support/raw_http.hpp"
#include "support/running_mirror.hpp"

using namespace mirror::test;
namespace asio = boost::asio;


TEST_CASE("oversized headers get 431, oversized bodies 413, garbage 400, then the connection closes") {
  mirror::config::mirror_config cfg;
  cfg.http.max_header_bytes = 1024;
  cfg.http.max_body_bytes = 100;
  running_mirror m(registry_rows(), cfg);
  auto big_header = raw_exchange(m.port(), "GET /v0.1/servers HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                               std::string(4000, 'a') + "\r\n\r\n");
  CHECK(big_header.starts_with("HTTP/1.1 431"));
  auto big_body = raw_exchange(m.port(), "POST /v0.1/publish HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" +
                                             std::string(1000, 'b'));
  CHECK(big_body.starts_with("HTTP/1.1 413"));
  auto garbage = raw_exchange(m.port(), "NOT-HTTP\r\n\r\n");
  CHECK(garbage.starts_with("HTTP/1.1 400"));
}

TEST_CASE("an idle keep-alive connection is closed after the idle deadline") {
  mirror::config::mirror_config cfg;
  cfg.http.idle_timeout = std::chrono::milliseconds(200);
  running_mirror m(registry_rows(), cfg);
  // One request, then nothing: the server answers and closes after 200 ms of silence. Without
  // the idle deadline the client's own 5 s deadline ends the exchange with the connection open.
  const auto out = exchange_until_close(m.port(), "GET /v0.1/ping HTTP/1.1\r\nHost: x\r\n\r\n", std::chrono::seconds(5));
  CHECK(out.bytes.starts_with("HTTP/1.1 200"));
  CHECK(out.bytes.find("{\"pong\":true}") != std::string::npos);
  CHECK(out.closed_by_server);
}

TEST_CASE("a client that never finishes its request is cut at the read deadline") {
  mirror::config::mirror_config cfg;
  cfg.http.read_timeout = std::chrono::milliseconds(200);
  running_mirror m(registry_rows(), cfg);
  // No blank line: the request never ends. The server closes at 200 ms without answering; without
  // the read deadline the client's 5 s deadline ends the exchange with the connection open.
  const auto out = exchange_until_close(m.port(), "GET /v0.1/servers HTTP/1.1\r\nHost: x\r\n", std::chrono::seconds(5));
  CHECK(out.bytes.empty());
  CHECK(out.closed_by_server);
}

TEST_CASE("connections beyond the limit are refused while existing ones keep working") {
  mirror::config::mirror_config cfg;
  cfg.http.max_connections = 1;
  running_mirror m(registry_rows(), cfg);
  asio::io_context ioc;
  // The held connection occupies the only slot once the server has accepted it; prove that by a
  // request on it before opening the second one.
  auto held = held_connection(ioc, m.port());
  // Refused: closed unanswered, not left in the accept queue until the client gives up.
  const auto refused = exchange_until_close(m.port(), "GET /v0.1/ping HTTP/1.1\r\nHost: x\r\n\r\n", std::chrono::seconds(5));
  CHECK(refused.bytes.empty());
  CHECK(refused.closed_by_server);
  // The held connection still works.
  asio::write(held->socket(), asio::buffer(std::string("GET /v0.1/ping HTTP/1.1\r\nHost: x\r\n\r\n")));
  std::string again;
  held->expires_after(std::chrono::seconds(10));
  boost::system::error_code read_error;
  asio::async_read_until(*held, asio::dynamic_buffer(again), "{\"pong\":true}",
                         [&read_error](const boost::system::error_code& ec, std::size_t) { read_error = ec; });
  ioc.run();
  CHECK_FALSE(read_error);
  CHECK(again.find("HTTP/1.1 200") != std::string::npos);
}

TEST_CASE("stop drains: idle connections close and the app returns") {
  running_mirror m(registry_rows());
  asio::io_context ioc;
  auto idle = held_connection(ioc, m.port());
  m.stop();  // returns only after the drain
  const auto rest = read_until_close(ioc, *idle, std::chrono::seconds(5));
  CHECK(rest.closed_by_server);
  CHECK(rest.bytes.empty());
}

TEST_CASE("a stopped daemon leaves its database whole: the WAL checkpointed and removed") {
  temp_dir dir;
  const auto rows = registry_rows();
  {
    running_mirror m(rows, {}, 1'760'000'000'000'000, false, &dir.path());
    // The reader threads open their connections, the io thread its commit watch.
    REQUIRE(http_get(m.port(), "/v0.1/servers?limit=3").status == 200);
    REQUIRE(http_get(m.port(), "/v0.1/servers?limit=3").status == 200);
    CHECK(std::filesystem::exists(dir.path() / "mirror.db-wal"));
  }
  // The writer's connection closed last, so SQLite checkpointed the WAL into mirror.db and
  // removed it: a copy of mirror.db alone is the whole database again.
  CHECK(std::filesystem::exists(dir.path() / "mirror.db"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "mirror.db-wal"));
}

TEST_CASE("first start on an empty database serves the bundled seed") {
  running_mirror m({});
  CHECK(m.summary().seeded);
  CHECK(m.summary().versions == 358);
  CHECK(m.summary().names == 358);
  auto r = http_get(m.port(), "/v0.1/servers?limit=100&version=latest");
  CHECK(r.status == 200);
  CHECK(r.body.find("\"description\":\"\"") == std::string::npos);  // VS Code drops such pages
}
