// upstream::make_http_client over TLS against a scripted server presenting a certificate made
// at test time: verification, SNI, keep-alive and reconnects through ssl::stream.
#include <doctest/doctest.h>

#include "run_async.hpp"
#include "test_cert.hpp"
#include "upstream/errors.hpp"

using namespace mirror::upstream;
using namespace mirror::upstream::test;
namespace asio = boost::asio;

namespace {
std::string https_url(const scripted_server& server, const std::string& host) {
  return "https://" + host + ":" + std::to_string(server.port());
}
}  // namespace

TEST_CASE("upstream tls: verified, with SNI, kept alive, and reconnected after a drop") {
  const test_cert cert = make_self_signed("DNS:localhost,IP:127.0.0.1");
  auto tls = server_context(cert);
  asio::io_context ioc;
  scripted_server server(ioc, {{http_response(200, "[1]")}, {http_response(200, "[2]")},
                               {http_response(200, "[3]")}}, &tls);
  std::unique_ptr<client> c;
  {
    trust_scope trust(cert);
    c = make_http_client(ioc.get_executor(), test_options(https_url(server, "localhost")));
  }
  auto body = [&]() -> asio::awaitable<void> {
    fetch_result r = co_await c->get("/v0.1/servers");
    CHECK_FALSE(r.error);
    CHECK(r.body == "[1]");
    CHECK((co_await c->get("/v0.1/servers")).body == "[2]");
    server.drop_connections();  // no close_notify: the client sees a truncated TLS stream
    r = co_await c->get("/v0.1/servers");
    CHECK_FALSE(r.error);
    CHECK(r.body == "[3]");
  };
  run_async(ioc, server, body);
  CHECK(server.connections() == 2);
  CHECK(server.server_names() == std::vector<std::string>{"localhost", "localhost"});
  CHECK(server.requests().size() == 3);
  REQUIRE_FALSE(server.requests().empty());
  CHECK(server.requests()[0].find("\r\nHost: localhost:" + std::to_string(server.port()) + "\r\n") !=
        std::string::npos);
}

TEST_CASE("upstream tls: an IP-literal base sends no SNI and is checked against the IP SAN") {
  const test_cert cert = make_self_signed("IP:127.0.0.1");
  auto tls = server_context(cert);
  asio::io_context ioc;
  scripted_server server(ioc, {{http_response(200, "[]", "Connection: close\r\n"), reply::then::close},
                               {http_response(200, "[]")}}, &tls);
  std::unique_ptr<client> c;
  {
    trust_scope trust(cert);
    c = make_http_client(ioc.get_executor(), test_options(https_url(server, "127.0.0.1")));
  }
  auto body = [&]() -> asio::awaitable<void> {
    CHECK((co_await c->get("/v0.1/servers")).ok());  // then a close_notify-less close: fine
    CHECK((co_await c->get("/v0.1/servers")).ok());
  };
  run_async(ioc, server, body);
  CHECK(server.connections() == 2);
  CHECK(server.server_names() == std::vector<std::string>{"", ""});
}

TEST_CASE("upstream tls: untrusted or misnamed certificates are refused") {
  const test_cert other_name = make_self_signed("DNS:other.example");
  const test_cert right_name = make_self_signed("DNS:localhost");
  for (const bool trusted : {true, false}) {
    CAPTURE(trusted);
    const test_cert& cert = trusted ? other_name : right_name;
    auto tls = server_context(cert);
    asio::io_context ioc;
    scripted_server server(ioc, {{http_response(200, "[]")}}, &tls);
    std::unique_ptr<client> c;
    if (trusted) {
      trust_scope trust(cert);  // trusted, but issued for another name
      c = make_http_client(ioc.get_executor(), test_options(https_url(server, "localhost")));
    } else {
      trust_scope trust(other_name);  // the right name, but not a certificate we trust
      c = make_http_client(ioc.get_executor(), test_options(https_url(server, "localhost")));
    }
    auto body = [&]() -> asio::awaitable<void> {
      const fetch_result r = co_await c->get("/v0.1/servers");
      CHECK(r.error);
      CHECK(r.error.category() == asio::error::get_ssl_category());
      CHECK(r.status == 0);
    };
    run_async(ioc, server, body);
    CHECK(server.requests().empty());
  }
}
