// upstream::make_http_client failure paths: every one ends as fetch_result::error, within the
// configured deadline, and leaves the client usable for the next get().
#include <doctest/doctest.h>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/error.hpp>

#include "run_async.hpp"
#include "upstream/errors.hpp"

using namespace mirror::upstream;
using namespace mirror::upstream::test;
namespace asio = boost::asio;
using std::chrono::milliseconds;
using clock_type = std::chrono::steady_clock;

TEST_CASE("upstream client: a corrupt or truncated gzip body is an error") {
  const std::string packed = gzip(std::string(10'000, 'y'));
  std::string corrupt = packed;
  corrupt[corrupt.size() / 2] ^= 0x55;
  const std::string truncated = packed.substr(0, packed.size() - 6);
  asio::io_context ioc;
  scripted_server server(ioc, {{http_response(200, corrupt, "Content-Encoding: gzip\r\n")},
                               {http_response(200, truncated, "Content-Encoding: gzip\r\n")},
                               {http_response(200, "not gzip at all", "Content-Encoding: gzip\r\n")},
                               {http_response(200, "[]", "Content-Encoding: br\r\n")}});
  auto client = make_http_client(ioc.get_executor(), test_options(server.url()));
  auto body = [&]() -> asio::awaitable<void> {
    for (int i = 0; i < 3; ++i) {
      const fetch_result r = co_await client->get("/v0.1/servers");
      CHECK(r.error == errc::bad_gzip);
      CHECK(r.body.empty());
      CHECK_FALSE(r.ok());
    }
    CHECK((co_await client->get("/v0.1/servers")).error == errc::unsupported_encoding);
  };
  run_async(ioc, server, body);
  CHECK(server.connections() == 1);  // the HTTP exchange itself was fine each time
}

TEST_CASE("upstream client: bodies over max_response_bytes are refused") {
  const std::string big(5000, 'z');
  const std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
                              std::string("1388\r\n") + big + "\r\n0\r\n\r\n";  // 0x1388 = 5000
  asio::io_context ioc;
  scripted_server server(ioc, {{http_response(200, big)},
                               {chunked},
                               {http_response(200, gzip(big), "Content-Encoding: gzip\r\n")},
                               {http_response(200, std::string(1000, 'a'))}});
  client_options options = test_options(server.url());
  options.max_response_bytes = 1000;
  auto client = make_http_client(ioc.get_executor(), options);
  auto body = [&]() -> asio::awaitable<void> {
    CHECK((co_await client->get("/v0.1/a")).error == errc::response_too_large);  // Content-Length
    CHECK((co_await client->get("/v0.1/b")).error == errc::response_too_large);  // chunked
    CHECK((co_await client->get("/v0.1/c")).error == errc::response_too_large);  // inflated
    const fetch_result r = co_await client->get("/v0.1/d");                     // exactly the cap
    CHECK_FALSE(r.error);
    CHECK(r.body.size() == 1000);
  };
  run_async(ioc, server, body);
}

TEST_CASE("upstream client: a server that never answers ends in read_timeout") {
  asio::io_context ioc;
  scripted_server server(ioc, {{"", reply::then::hang}, {http_response(200, "[]")}});
  client_options options = test_options(server.url());
  options.read_timeout = milliseconds(200);
  auto client = make_http_client(ioc.get_executor(), options);
  auto body = [&]() -> asio::awaitable<void> {
    const auto start = clock_type::now();
    const fetch_result r = co_await client->get("/v0.1/servers");
    const auto took = clock_type::now() - start;
    CHECK(r.error == errc::read_timeout);
    CHECK(r.error == boost::system::errc::timed_out);  // every phase's timeout compares so
    CHECK(r.status == 0);
    CHECK(took >= milliseconds(190));
    CHECK(took < milliseconds(1500));
    CHECK((co_await client->get("/v0.1/servers")).ok());  // on a new connection
  };
  run_async(ioc, server, body);
  CHECK(server.connections() == 2);
}

TEST_CASE("upstream client: a body cut short by the server closing is an error") {
  asio::io_context ioc;
  const std::string cut = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"servers\":";
  scripted_server server(ioc, {{cut, reply::then::close}, {http_response(200, "[]")}});
  auto client = make_http_client(ioc.get_executor(), test_options(server.url()));
  auto body = [&]() -> asio::awaitable<void> {
    const fetch_result r = co_await client->get("/v0.1/servers");
    CHECK(r.error == boost::beast::http::error::partial_message);
    CHECK(r.status == 200);  // the header had arrived; the error still makes it a failure
    CHECK_FALSE(r.ok());
    CHECK(r.body.empty());
    CHECK((co_await client->get("/v0.1/servers")).ok());  // no resend: a response had begun
  };
  run_async(ioc, server, body);
  CHECK(server.requests().size() == 2);
}

TEST_CASE("upstream client: a refused connection is an error with no status") {
  asio::io_context ioc;
  unsigned short closed_port = 0;
  {
    asio::ip::tcp::acceptor probe(ioc, {asio::ip::make_address("127.0.0.1"), 0});
    closed_port = probe.local_endpoint().port();
  }
  scripted_server server(ioc, {});
  auto client = make_http_client(ioc.get_executor(),
                                 test_options("http://127.0.0.1:" + std::to_string(closed_port)));
  auto body = [&]() -> asio::awaitable<void> {
    const fetch_result r = co_await client->get("/v0.1/servers");
    CHECK(r.error == asio::error::connection_refused);
    CHECK(r.status == 0);
    CHECK_FALSE(r.ok());
  };
  run_async(ioc, server, body);
}

TEST_CASE("upstream client: https:// to a plain HTTP port fails cleanly") {
  for (const bool answers : {true, false}) {
    CAPTURE(answers);
    asio::io_context ioc;
    scripted_server server(ioc, {});
    server.answer_garbage(answers);  // a 400 to the ClientHello, or silence
    client_options options = test_options(server.url("https"));
    options.handshake_timeout = milliseconds(200);
    auto client = make_http_client(ioc.get_executor(), options);
    auto body = [&]() -> asio::awaitable<void> {
      const auto start = clock_type::now();
      const fetch_result r = co_await client->get("/v0.1/servers");
      CHECK(r.error);
      CHECK(r.status == 0);
      if (!answers) CHECK(r.error == errc::handshake_timeout);
      CHECK(clock_type::now() - start < milliseconds(1500));
    };
    run_async(ioc, server, body);
  }
}

TEST_CASE("upstream client: a cancelled get returns promptly and the client stays usable") {
  using namespace asio::experimental::awaitable_operators;
  asio::io_context ioc;
  scripted_server server(ioc, {{"", reply::then::hang}, {http_response(200, "[]")}});
  client_options options = test_options(server.url());
  options.read_timeout = std::chrono::seconds(10);
  auto client = make_http_client(ioc.get_executor(), options);
  auto body = [&]() -> asio::awaitable<void> {
    asio::steady_timer stop(ioc, milliseconds(50));
    const auto start = clock_type::now();
    auto winner = co_await (client->get("/v0.1/servers") || stop.async_wait(asio::use_awaitable));
    CHECK(winner.index() == 1);  // the "shutdown" timer won; the get was cancelled
    CHECK(clock_type::now() - start < milliseconds(1500));
    CHECK((co_await client->get("/v0.1/servers")).ok());
  };
  run_async(ioc, server, body);
}

TEST_CASE("upstream client: make_http_client rejects a base_url that is not http(s)") {
  asio::io_context ioc;
  for (const char* bad : {"", "registry.modelcontextprotocol.io", "ftp://example.com",
                          "https://user:pw@example.com", "https://example.com/?x=1",
                          "https://example.com#f", "http://:80", "http://example.com:0"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(make_http_client(ioc.get_executor(), test_options(bad)), std::invalid_argument);
  }
  CHECK_NOTHROW(make_http_client(ioc.get_executor(), test_options("HTTPS://Registry.Example.COM")));
}
