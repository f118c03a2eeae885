// What a hostile client found (hardening issue §4), each against the whole daemon on loopback:
// request smuggling through Transfer-Encoding, Host rules, absolute-form targets, per-client
// connection limits and shedding of half-open connections, a clear bind error, and pages that
// stay cached after another process imported into the data dir.
#include <doctest/doctest.h>

#include "registry_fixture.hpp"
#include "support/http_client.hpp"
#include "support/raw_http.hpp"
#include "support/running_mirror.hpp"

using namespace mirror::test;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("a Transfer-Encoding other than chunked is a 400 and the connection closes: no smuggled request") {
  running_mirror m(registry_rows());
  // Two framings a proxy and a naive server read differently. Today's answer must be one 400;
  // the bytes after the header must never be answered as a second request.
  const std::string smuggled = "GET /v0.1/servers HTTP/1.1\r\nHost: x\r\n\r\n";
  for (const std::string& framing : {std::string("Transfer-Encoding: gzip\r\nContent-Length: \r\n"),
                                     std::string("Transfer-Encoding: xchunked\r\nContent-Length: 4\r\n"),
                                     std::string("Transfer-Encoding: chunked, gzip\r\n"),
                                     std::string("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n")}) {
    CAPTURE(framing);
    const auto out = raw_exchange(m.port(), "GET /v0.1/ping HTTP/1.1\r\nHost: x\r\n" + framing + "\r\n" + smuggled);
    CHECK(out.starts_with("HTTP/1.1 400"));
    CHECK(count_of(out, "HTTP/1.1 ") == 1);
    CHECK(out.find("\"servers\"") == std::string::npos);
  }
}

TEST_CASE("a body on GET, or chunked with Content-Length, is a 400 - a POST body is still read") {
  running_mirror m(registry_rows());
  const auto chunked_get = raw_exchange(
      m.port(), "GET /v0.1/ping HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  CHECK(chunked_get.starts_with("HTTP/1.1 400"));
  CHECK(chunked_get.find("carries no body") != std::string::npos);
  CHECK(raw_exchange(m.port(), "GET /v0.1/ping HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
            .starts_with("HTTP/1.1 400"));
  CHECK(raw_exchange(m.port(),
                     "POST /v0.1/publish HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
                     "5\r\nhello\r\n0\r\n\r\n")
            .starts_with("HTTP/1.1 400"));
  // Content-Length: 0 on GET is no body; a write endpoint with a body still answers 501.
  CHECK(raw_exchange(m.port(), "GET /v0.1/ping HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .starts_with("HTTP/1.1 200"));
  CHECK(raw_exchange(m.port(), "POST /v0.1/publish HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
            .starts_with("HTTP/1.1 501"));
}

TEST_CASE("HTTP/1.1 needs exactly one Host - HTTP/1.0 may omit it") {
  running_mirror m(registry_rows());
  CHECK(raw_exchange(m.port(), "GET /v0.1/ping HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 400"));
  CHECK(raw_exchange(m.port(), "GET /v0.1/ping HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").starts_with("HTTP/1.1 400"));
  CHECK(raw_exchange(m.port(), "GET /v0.1/ping HTTP/1.0\r\n\r\n").starts_with("HTTP/1.0 200"));
  CHECK(raw_exchange(m.port(), "GET /v0.1/ping HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n").starts_with("HTTP/1.1 400"));
}

TEST_CASE("absolute-form targets are served like their origin-form") {
  running_mirror m(registry_rows());
  const auto ping = raw_exchange(m.port(), "GET http://mirror.example/v0.1/ping HTTP/1.1\r\nHost: mirror.example\r\n"
                                           "Connection: close\r\n\r\n");
  CHECK(ping.starts_with("HTTP/1.1 200"));
  CHECK(ping.find("{\"pong\":true}") != std::string::npos);
  const auto list = raw_exchange(m.port(), "GET HTTPS://mirror.example:443/v0.1/servers?limit=1 HTTP/1.1\r\n"
                                           "Host: mirror.example\r\nConnection: close\r\n\r\n");
  CHECK(list.starts_with("HTTP/1.1 200"));
  CHECK(list.find("\"nextCursor\"") != std::string::npos);
  CHECK(raw_exchange(m.port(), "GET http://mirror.example HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .starts_with("HTTP/1.1 404"));  // "/" has no route, as in origin-form
}

TEST_CASE("one client's connections are capped - others still get in") {
  mirror::config::mirror_config cfg;
  cfg.http.max_connections_per_client = 2;
  running_mirror m(registry_rows(), cfg);
  asio::io_context ioc;
  std::vector<std::unique_ptr<boost::beast::tcp_stream>> held;
  for (int i = 0; i < 2; ++i) held.push_back(held_connection(ioc, m.port()));
  // The third is closed unanswered (not left waiting: the client's deadline would end that).
  const auto third = exchange_until_close(m.port(), "GET /v0.1/ping HTTP/1.1\r\nHost: x\r\n\r\n", std::chrono::seconds(5));
  CHECK(third.bytes.empty());
  CHECK(third.closed_by_server);
  held.pop_back();  // one leaves: room again
  CHECK(ping_served_within(m.port()));
}

TEST_CASE("at the connection limit, half-open connections are closed to make room") {
  mirror::config::mirror_config cfg;
  cfg.http.max_connections = 3;
  running_mirror m(registry_rows(), cfg);
  asio::io_context ioc;
  std::vector<std::unique_ptr<boost::beast::tcp_stream>> slow;
  for (int i = 0; i < 3; ++i) {  // slowloris: a few header bytes, never the end
    auto& s = *slow.emplace_back(std::make_unique<boost::beast::tcp_stream>(ioc));
    s.connect(loopback(m.port()));
    asio::write(s.socket(), asio::buffer(std::string("GET /v0.1/servers HTTP/1.1\r\nHo")));
  }
  // Every slot is held by a half-open connection; a real client still gets its answer.
  CHECK(ping_served_within(m.port()));
  // ... and the oldest slowloris connection was closed for it.
  std::string rest;
  boost::system::error_code ec;
  slow.front()->expires_after(std::chrono::seconds(10));
  asio::read(slow.front()->socket(), asio::dynamic_buffer(rest), ec);
  CHECK(ec == asio::error::eof);
}

TEST_CASE("an address in use is one clear line naming it") {
  asio::io_context ioc;
  tcp::acceptor taken(ioc, loopback(0));
  mirror::config::mirror_config cfg;
  cfg.listen_host = "127.0.0.1";
  cfg.listen_port = taken.local_endpoint().port();
  temp_dir dir;
  cfg.data_dir = dir.path();
  cfg.upstream.sync = false;
  mirror::app::mirror_app app(cfg, {"9.9.9", "abc", "2026-01-01T00:00:00Z"}, [] { return t0; });
  app.open();
  try {
    app.listen();
    FAIL("listen succeeded on a port in use");
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    CHECK(what == "cannot listen on 127.0.0.1:" + std::to_string(cfg.listen_port) +
                      ": bind failed: Address already in use");
  }
}

TEST_CASE("an import by another process is served at once, with a new ETag") {
  temp_dir dir;
  running_mirror m(registry_rows(), {}, 1'760'000'000'000'000, false, &dir.path());
  const auto before = http_get(m.port(), "/v0.1/servers?limit=100");
  REQUIRE(before.status == 200);
  REQUIRE(http_get(m.port(), "/v0.1/servers?limit=100").header("etag") == before.header("etag"));  // cached
  {
    // Another writer on the same file: what `mcp-mirror import` does from another process.
    auto w = mirror::store::writer::open(mirror::app::database_path(dir.path()));
    const std::vector<mirror::store::incoming> rows{upstream_row("com.example/imported-later", "1.0.0", t0, true)};
    w.apply(rows, mirror::model::source::upstream, t0);
  }
  const auto after = http_get(m.port(), "/v0.1/servers?limit=100");
  CHECK(after.body.find("com.example/imported-later") != std::string::npos);
  CHECK(after.header("etag") != before.header("etag"));
  const auto revalidated = http_request(m.port(), "GET", "/v0.1/servers?limit=100", {{"If-None-Match", before.header("etag")}});
  CHECK(revalidated.status == 200);
  CHECK(revalidated.body.find("com.example/imported-later") != std::string::npos);
}

TEST_CASE("made-up methods do not add metric series") {
  running_mirror m(registry_rows());
  for (int i = 0; i < 50; ++i)
    raw_exchange(m.port(), "MADEUP" + std::to_string(i) + " /v0.1/ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const auto metrics = http_get(m.port(), "/metrics");
  REQUIRE(metrics.status == 200);
  CHECK(metrics.body.find("MADEUP") == std::string::npos);
  CHECK(metrics.body.find("method=\"other\"") != std::string::npos);
}
