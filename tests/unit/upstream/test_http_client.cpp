// upstream::make_http_client against a scripted local server: bodies, keep-alive, reconnects,
// what goes on the wire. Error paths are in test_http_client_errors.cpp, TLS in test_tls.cpp.
#include <doctest/doctest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "run_async.hpp"
#include "upstream/errors.hpp"
#include "upstream/targets.hpp"

using namespace mirror::upstream;
using namespace mirror::upstream::test;
namespace asio = boost::asio;

namespace {
const std::string page = R"({"servers":[],"metadata":{"count":0}})";
}

TEST_CASE("upstream client: a 200 JSON body comes back as is") {
  asio::io_context ioc;
  scripted_server server(ioc, {{http_response(200, page)}});
  auto client = make_http_client(ioc.get_executor(), test_options(server.url()));
  auto body = [&]() -> asio::awaitable<void> {
    const fetch_result r = co_await client->get("/v0.1/servers?limit=100");
    CHECK_FALSE(r.error);
    CHECK(r.status == 200);
    CHECK(r.ok());
    CHECK(r.body == page);
    CHECK_FALSE(r.retry_after.has_value());
  };
  run_async(ioc, server, body);
}

TEST_CASE("upstream client: the request line and headers the server receives") {
  asio::io_context ioc;
  scripted_server server(ioc, {{http_response(200, page)}});
  auto client = make_http_client(ioc.get_executor(), test_options(server.url()));
  page_request request;
  request.cursor = "a/b:1.0.0+build";
  const std::string target = servers_page_target(request);
  auto body = [&]() -> asio::awaitable<void> { co_await client->get(target); };
  run_async(ioc, server, body);
  REQUIRE(server.requests().size() == 1);
  const std::string& head = server.requests()[0];
  CHECK(head.starts_with(
      "GET /v0.1/servers?limit=100&include_deleted=true&cursor=a%2Fb%3A1.0.0%2Bbuild HTTP/1.1\r\n"));
  CHECK(head.find("\r\nHost: 127.0.0.1:" + std::to_string(server.port()) + "\r\n") != std::string::npos);
  CHECK(head.find("\r\nUser-Agent: mcp-mirror/" MIRROR_VERSION "\r\n") != std::string::npos);
  CHECK(head.find("\r\nAccept: application/json\r\n") != std::string::npos);
  CHECK(head.find("\r\nAccept-Encoding: gzip\r\n") != std::string::npos);
}

TEST_CASE("upstream client: two gets share one kept-alive connection") {
  asio::io_context ioc;
  scripted_server server(ioc, {{http_response(200, "[1]")}, {http_response(200, "[2]")}});
  auto client = make_http_client(ioc.get_executor(), test_options(server.url()));
  auto body = [&]() -> asio::awaitable<void> {
    CHECK((co_await client->get("/v0.1/servers")).body == "[1]");
    CHECK((co_await client->get("/v0.1/servers")).body == "[2]");
  };
  run_async(ioc, server, body);
  CHECK(server.connections() == 1);
  CHECK(server.requests().size() == 2);
}

TEST_CASE("upstream client: reconnects once when the server closed the kept connection") {
  asio::io_context ioc;
  scripted_server server(ioc, {{http_response(200, "[1]")}, {http_response(200, "[2]")}});
  auto client = make_http_client(ioc.get_executor(), test_options(server.url()));
  auto body = [&]() -> asio::awaitable<void> {
    CHECK((co_await client->get("/v0.1/servers")).ok());
    server.drop_connections();  // the server's idle timeout, between our requests
    const fetch_result r = co_await client->get("/v0.1/servers");
    CHECK_FALSE(r.error);
    CHECK(r.body == "[2]");
  };
  run_async(ioc, server, body);
  CHECK(server.connections() == 2);
  CHECK(server.requests().size() == 2);
}

TEST_CASE("upstream client: a server that closes right after answering gets a new connection") {
  asio::io_context ioc;
  scripted_server server(ioc, {{http_response(200, "[1]"), reply::then::close},
                               {http_response(200, "[2]", "Connection: close\r\n"), reply::then::close},
                               {http_response(200, "[3]")}});
  auto client = make_http_client(ioc.get_executor(), test_options(server.url()));
  auto body = [&]() -> asio::awaitable<void> {
    CHECK((co_await client->get("/v0.1/a")).body == "[1]");
    CHECK((co_await client->get("/v0.1/b")).body == "[2]");  // resent after a stale write/read
    CHECK((co_await client->get("/v0.1/c")).body == "[3]");  // fresh: we honored Connection: close
  };
  run_async(ioc, server, body);
  CHECK(server.connections() == 3);
  CHECK(server.requests().size() == 3);
}

TEST_CASE("upstream client: a base_url path prefix and a trailing /v0.1 are handled") {
  asio::io_context ioc;
  scripted_server server(ioc, {{http_response(200, "[]")}, {http_response(200, "[]")},
                               {http_response(200, "[]")}});
  auto prefixed = make_http_client(ioc.get_executor(), test_options(server.url("http", "/registry")));
  auto versioned = make_http_client(ioc.get_executor(), test_options(server.url("http", "/mirror/v0.1/")));
  auto bare = make_http_client(ioc.get_executor(), test_options(server.url("http", "/v0.1")));
  auto body = [&]() -> asio::awaitable<void> {
    co_await prefixed->get("/v0.1/servers?limit=1");
    co_await versioned->get("/v0.1/servers?limit=2");
    co_await bare->get("/v0.1/servers?limit=3");
  };
  run_async(ioc, server, body);
  REQUIRE(server.requests().size() == 3);
  CHECK(server.requests()[0].starts_with("GET /registry/v0.1/servers?limit=1 HTTP/1.1\r\n"));
  CHECK(server.requests()[1].starts_with("GET /mirror/v0.1/servers?limit=2 HTTP/1.1\r\n"));
  CHECK(server.requests()[2].starts_with("GET /v0.1/servers?limit=3 HTTP/1.1\r\n"));
}

TEST_CASE("upstream client: status codes other than 200 are results, not errors") {
  asio::io_context ioc;
  scripted_server server(ioc, {{http_response(500, R"({"title":"Internal Server Error"})")},
                               {http_response(429, "{}", "Retry-After: 7\r\n")},
                               {http_response(503, "{}", "Retry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\n")},
                               {http_response(404, "{}", "Retry-After: soon\r\n")}});
  auto client = make_http_client(ioc.get_executor(), test_options(server.url()));
  auto body = [&]() -> asio::awaitable<void> {
    fetch_result r = co_await client->get("/v0.1/servers");
    CHECK_FALSE(r.error);
    CHECK(r.status == 500);
    CHECK_FALSE(r.ok());
    CHECK(r.body == R"({"title":"Internal Server Error"})");

    r = co_await client->get("/v0.1/servers");
    CHECK_FALSE(r.error);
    CHECK(r.status == 429);
    CHECK(r.retry_after == std::chrono::seconds(7));

    r = co_await client->get("/v0.1/servers");  // an HTTP-date in the past: retry now
    CHECK(r.status == 503);
    CHECK(r.retry_after == std::chrono::seconds(0));

    r = co_await client->get("/v0.1/servers");  // unparsable: no hint rather than a guess
    CHECK(r.status == 404);
    CHECK_FALSE(r.retry_after.has_value());
  };
  run_async(ioc, server, body);
  CHECK(server.connections() == 1);  // error statuses keep the connection
}

TEST_CASE("upstream client: a gzip body is inflated") {
  asio::io_context ioc;
  const std::string big = std::string(100'000, 'x') + page;
  scripted_server server(ioc, {{http_response(200, gzip(big), "Content-Encoding: gzip\r\n")},
                               {http_response(200, gzip(page), "Content-Encoding: x-gzip\r\n")}});
  auto client = make_http_client(ioc.get_executor(), test_options(server.url()));
  auto body = [&]() -> asio::awaitable<void> {
    fetch_result r = co_await client->get("/v0.1/servers");
    CHECK_FALSE(r.error);
    CHECK(r.body == big);
    r = co_await client->get("/v0.1/servers");
    CHECK_FALSE(r.error);
    CHECK(r.body == page);
  };
  run_async(ioc, server, body);
}

TEST_CASE("upstream client: concurrent gets are refused, not interleaved") {
  asio::io_context ioc;
  scripted_server server(ioc, {{http_response(200, "[1]")}});
  auto client = make_http_client(ioc.get_executor(), test_options(server.url()));
  std::optional<fetch_result> spawned;
  asio::steady_timer spawned_done(ioc, std::chrono::steady_clock::time_point::max());
  auto body = [&]() -> asio::awaitable<void> {
    asio::co_spawn(ioc, client->get("/v0.1/a"), [&](std::exception_ptr, fetch_result r) {
      spawned = std::move(r);
      spawned_done.cancel();
    });
    const fetch_result direct = co_await client->get("/v0.1/b");
    if (!spawned) co_await spawned_done.async_wait(asio::as_tuple(asio::use_awaitable));
    REQUIRE(spawned.has_value());
    // Whichever started second was refused; the other one went through.
    const bool spawned_refused = spawned->error == errc::concurrent_get;
    const bool direct_refused = direct.error == errc::concurrent_get;
    CHECK(spawned_refused != direct_refused);
    CHECK((spawned_refused ? direct : *spawned).ok());
  };
  run_async(ioc, server, body);
  CHECK(server.requests().size() == 1);
}
