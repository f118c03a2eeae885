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
  // One request, then nothing: the server answers and closes after 200 ms of silence, which
  // raw_exchange observes as EOF (bounded by its own 10 s deadline).
  auto out = raw_exchange(m.port(), "GET /v0.1/ping HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(out.starts_with("HTTP/1.1 200"));
  CHECK(out.find("{\"pong\":true}") != std::string::npos);
}

TEST_CASE("a client that never finishes its request is cut at the read deadline") {
  mirror::config::mirror_config cfg;
  cfg.http.read_timeout = std::chrono::milliseconds(200);
  running_mirror m(registry_rows(), cfg);
  auto out = raw_exchange(m.port(), "GET /v0.1/servers HTTP/1.1\r\nHost: x\r\n");  // no blank line
  CHECK(out.empty());
}

TEST_CASE("connections beyond the limit are refused while existing ones keep working") {
  mirror::config::mirror_config cfg;
  cfg.http.max_connections = 1;
  running_mirror m(registry_rows(), cfg);
  asio::io_context ioc;
  // The held connection occupies the only slot once the server has accepted it; prove that by a
  // request on it before opening the second one.
  auto held = held_connection(ioc, m.port());
  auto refused = raw_exchange(m.port(), "GET /v0.1/ping HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(refused.empty());
}

TEST_CASE("stop drains: idle connections close and the app returns") {
  running_mirror m(registry_rows());
  asio::io_context ioc;
  auto idle = held_connection(ioc, m.port());
  m.stop();  // returns only after the drain
  std::string rest;
  boost::system::error_code ec;
  asio::read(idle->socket(), asio::dynamic_buffer(rest), ec);
  CHECK(ec == asio::error::eof);
  CHECK(rest.empty());
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
