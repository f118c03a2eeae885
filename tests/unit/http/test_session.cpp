// Protocol tests of one HTTP/1.1 session (http::run_session) over beast's test stream: what it
// answers for well-formed, pipelined, trickled, oversized and malformed requests, and that a
// failure at any read or write of a request ends the session cleanly (no throw, no hang, no
// second answer, nothing written after a failed write).
#include <doctest/doctest.h>

#include "session_fixture.hpp"

using namespace mirror;
using test::session_fixture;

namespace {

const std::string get_openapi = "GET /openapi.yaml HTTP/1.1\r\nHost: m\r\n\r\n";
const std::string get_ping = "GET /v0.1/ping HTTP/1.1\r\nHost: m\r\n\r\n";

std::string header(const test::session_reply& r, boost::beast::http::field f) { return std::string(r.message[f]); }

}  // namespace

TEST_CASE("session: one GET is answered with the handler's body and the connection stays open until EOF") {
  session_fixture f;
  const auto run = f.run(get_openapi);
  CHECK(run.ended);
  CHECK_FALSE(run.error);
  const auto replies = session_fixture::parse(run.written);
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].status == 200);
  CHECK(replies[0].body == test::session_openapi_body());
  CHECK(header(replies[0], boost::beast::http::field::content_length) == std::to_string(replies[0].body.size()));
  CHECK_FALSE(header(replies[0], boost::beast::http::field::etag).empty());
  CHECK_FALSE(header(replies[0], boost::beast::http::field::date).empty());
  CHECK(replies[0].message.keep_alive());
  CHECK(run.peer_saw_close);  // EOF from the peer: the session ends and closes its side
  REQUIRE(f.logs.size() == 1);
  CHECK(f.logs[0].status == 200);
  CHECK(f.logs[0].body_bytes == replies[0].body.size());
  CHECK_FALSE(f.logs[0].cache_hit);
}

TEST_CASE("session: pipelined requests are answered in order, and the second GET of a URL is a cache hit") {
  session_fixture f;
  const auto run = f.run(get_openapi + get_ping + "GET /nowhere HTTP/1.1\r\nHost: m\r\n\r\n" + get_openapi);
  const auto replies = session_fixture::parse(run.written);
  REQUIRE(replies.size() == 4);
  CHECK(replies[0].status == 200);
  CHECK(replies[1].status == 200);
  CHECK(replies[1].body.find("pong") != std::string::npos);
  CHECK(replies[2].status == 404);
  CHECK(replies[3].body == replies[0].body);
  CHECK(header(replies[3], boost::beast::http::field::etag) == header(replies[0], boost::beast::http::field::etag));
  REQUIRE(f.logs.size() == 4);
  CHECK_FALSE(f.logs[0].cache_hit);
  CHECK(f.logs[3].cache_hit);
  CHECK(f.requests_ == 4);
}

TEST_CASE("session: a request trickled one byte per read is parsed like one sent at once") {
  session_fixture f;
  const auto run = f.run(get_ping + get_openapi, nullptr, 1);
  const auto replies = session_fixture::parse(run.written);
  REQUIRE(replies.size() == 2);
  CHECK(replies[0].status == 200);
  CHECK(replies[1].body == test::session_openapi_body());
}

TEST_CASE("session: Connection: close gets one answer and the rest of the input is never read") {
  session_fixture f;
  const auto run = f.run("GET /v0.1/ping HTTP/1.1\r\nHost: m\r\nConnection: close\r\n\r\n" + get_ping);
  const auto replies = session_fixture::parse(run.written);
  REQUIRE(replies.size() == 1);
  CHECK_FALSE(replies[0].message.keep_alive());
  CHECK(run.peer_saw_close);
  CHECK(f.logs.size() == 1);
}

TEST_CASE("session: HTTP/1.0 without keep-alive is answered in HTTP/1.0 and closed") {
  session_fixture f;
  const auto run = f.run("GET /v0.1/ping HTTP/1.0\r\n\r\n" + get_ping);
  const auto replies = session_fixture::parse(run.written);
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].message.version() == 10);
  CHECK(run.peer_saw_close);
}

TEST_CASE("session: HEAD sends the GET's headers and Content-Length, and no body") {
  session_fixture f;
  const auto run = f.run("HEAD /openapi.yaml HTTP/1.1\r\nHost: m\r\n\r\n" + get_ping);
  const auto replies = session_fixture::parse(run.written, {true, false});
  REQUIRE(replies.size() == 2);  // a body after the HEAD's headers would be read as reply 2
  CHECK(replies[0].status == 200);
  CHECK(header(replies[0], boost::beast::http::field::content_length) ==
        std::to_string(test::session_openapi_body().size()));
  CHECK(replies[0].body.empty());
  CHECK(replies[1].body.find("pong") != std::string::npos);
  CHECK(f.logs[0].body_bytes == 0);
}

TEST_CASE("session: If-None-Match with the current tag is a 304 without a body, also from the cache") {
  session_fixture f;
  const auto first = session_fixture::parse(f.run(get_openapi).written);
  REQUIRE(first.size() == 1);
  const std::string tag = header(first[0], boost::beast::http::field::etag);
  const std::string conditional = "GET /openapi.yaml HTTP/1.1\r\nHost: m\r\nIf-None-Match: " + tag + "\r\n\r\n";
  const auto run = f.run(conditional + get_ping);
  const auto replies = session_fixture::parse(run.written);
  REQUIRE(replies.size() == 2);
  CHECK(replies[0].status == 304);
  CHECK(replies[0].body.empty());
  CHECK(header(replies[0], boost::beast::http::field::etag) == tag);
  CHECK(header(replies[0], boost::beast::http::field::content_type).empty());
  CHECK(f.logs.back().cache_hit == false);  // the ping
  CHECK(f.logs[f.logs.size() - 2].cache_hit);
  // A new generation: the old tag no longer matches.
  f.generation = 2;
  const auto after = session_fixture::parse(f.run(conditional).written);
  REQUIRE(after.size() == 1);
  CHECK(after[0].status == 200);
}

TEST_CASE("session: a tag from one URL is no match for another URL at the same generation") {
  for (const std::size_t cache_bytes : {std::size_t{32} << 20, std::size_t{0}}) {  // hit path, miss path
    CAPTURE(cache_bytes);
    http::server_options o;
    o.cache_bytes = cache_bytes;
    session_fixture f(o);
    const auto first = session_fixture::parse(f.run(get_openapi + "GET /openapi.yaml?x=1 HTTP/1.1\r\nHost: m\r\n\r\n").written);
    REQUIRE(first.size() == 2);
    const std::string tag = header(first[0], boost::beast::http::field::etag);
    CHECK(tag != header(first[1], boost::beast::http::field::etag));
    const auto run = f.run("GET /openapi.yaml?x=1 HTTP/1.1\r\nHost: m\r\nIf-None-Match: " + tag + "\r\n\r\n" +
                           "GET /openapi.yaml HTTP/1.1\r\nHost: m\r\nIf-None-Match: " + tag + "\r\n\r\n");
    const auto replies = session_fixture::parse(run.written);
    REQUIRE(replies.size() == 2);
    CHECK(replies[0].status == 200);  // another URL's tag
    CHECK(replies[1].status == 304);  // its own
  }
}

TEST_CASE("session: Accept-Encoding gzip gets the gzip body and Content-Encoding, identity without it") {
  session_fixture f;
  const auto run = f.run("GET /openapi.yaml HTTP/1.1\r\nHost: m\r\nAccept-Encoding: gzip\r\n\r\n" + get_openapi);
  const auto replies = session_fixture::parse(run.written);
  REQUIRE(replies.size() == 2);
  CHECK(header(replies[0], boost::beast::http::field::content_encoding) == "gzip");
  CHECK(replies[0].body.size() < test::session_openapi_body().size());
  CHECK(replies[0].body.substr(0, 2) == std::string("\x1f\x8b", 2));
  CHECK(header(replies[1], boost::beast::http::field::content_encoding).empty());
  CHECK(replies[1].body == test::session_openapi_body());
  CHECK(header(replies[0], boost::beast::http::field::etag) != header(replies[1], boost::beast::http::field::etag));
}

TEST_CASE("session: a header over the limit is a 431 and the connection closes") {
  http::server_options o;
  o.header_limit = 256;
  session_fixture f(o);
  const auto run = f.run("GET /v0.1/ping HTTP/1.1\r\nHost: m\r\nX-Big: " + std::string(400, 'a') + "\r\n\r\n" + get_ping);
  const auto replies = session_fixture::parse(run.written);
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].status == 431);
  CHECK_FALSE(replies[0].message.keep_alive());
  CHECK(run.peer_saw_close);
  CHECK(f.logs.empty());  // refused before routing
}

TEST_CASE("session: a body over the limit is a 413 and the connection closes") {
  http::server_options o;
  o.body_limit = 16;
  session_fixture f(o);
  const auto run = f.run("POST /v0.1/publish HTTP/1.1\r\nHost: m\r\nContent-Length: 64\r\n\r\n" + std::string(64, 'x'));
  const auto replies = session_fixture::parse(run.written);
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].status == 413);
  CHECK(run.peer_saw_close);
}

TEST_CASE("session: a POST with a body within the limit is read whole and answered 501, and the connection stays usable") {
  session_fixture f;
  const auto run = f.run("POST /v0.1/publish HTTP/1.1\r\nHost: m\r\nContent-Length: 5\r\n\r\nhello" + get_ping);
  const auto replies = session_fixture::parse(run.written);
  REQUIRE(replies.size() == 2);
  CHECK(replies[0].status == 501);
  CHECK(replies[1].status == 200);
}

TEST_CASE("session: framing that could smuggle a request is refused with 400 and a close") {
  for (const std::string_view bad : {
           "GET /v0.1/ping HTTP/1.1\r\nHost: m\r\nContent-Length: 5\r\n\r\nGET /",    // body on GET
           "POST /v0.1/publish HTTP/1.1\r\nHost: m\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
           "POST /v0.1/publish HTTP/1.1\r\nHost: m\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
           "GET /v0.1/ping HTTP/1.1\r\n\r\n",                                          // no Host
           "GET /v0.1/ping HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",                  // two Hosts
           "GET /v0.1/ping HTTP/1.1\r\nHost m\r\n\r\n",                               // malformed
       }) {
    CAPTURE(bad);
    session_fixture f;
    const auto run = f.run(std::string(bad) + get_ping);
    const auto replies = session_fixture::parse(run.written);
    REQUIRE(replies.size() == 1);
    CHECK(replies[0].status == 400);
    CHECK(header(replies[0], boost::beast::http::field::content_type) == "application/problem+json");
    CHECK_FALSE(replies[0].message.keep_alive());
    CHECK(run.peer_saw_close);
  }
}

TEST_CASE("session: a peer that leaves mid-request gets no answer, and the session ends") {
  for (const std::string& partial : {std::string(""), std::string("GET /v0.1/pi"), std::string("GET /v0.1/ping HTTP/1.1\r\nHo"),
                                    std::string("POST /v0.1/publish HTTP/1.1\r\nHost: m\r\nContent-Length: 10\r\n\r\nabc")}) {
    CAPTURE(partial);
    session_fixture f;
    const auto run = f.run(partial);
    CHECK(run.ended);
    CHECK_FALSE(run.error);
    CHECK(run.written.empty());
    CHECK(run.peer_saw_close);
    CHECK(f.logs.empty());
  }
}

TEST_CASE("session: a stop during a request answers it with Connection: close and reads no other") {
  session_fixture f;
  f.during_request = [&] { f.stopping = true; };  // server::stop() while the handler runs
  const auto run = f.run(get_ping + get_ping);
  const auto replies = session_fixture::parse(run.written);
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].status == 200);
  CHECK_FALSE(replies[0].message.keep_alive());
  CHECK(run.peer_saw_close);
}

TEST_CASE("session: a server already stopping reads no request at all") {
  session_fixture f;
  f.stopping = true;
  const auto run = f.run(get_ping);
  CHECK(run.written.empty());
  CHECK(run.peer_saw_close);
}

// Every read and write of the server's stream is a failure point: with the Nth operation
// failing, the session must end without throwing, answer at most what it could write before
// the failure (a prefix of the full conversation), and never write after a failed write.
// N runs from 0 until a run sees no failure; the last run must equal the reference.
static void check_every_failure_point(const std::string& input, std::size_t read_size, std::size_t write_size,
                                      const std::vector<bool>& head_only = {}) {
  CAPTURE(input);
  session_fixture reference_fixture;
  const auto reference = reference_fixture.run(input, nullptr, read_size, write_size);
  const auto expected = session_fixture::parse(reference.written, head_only);
  REQUIRE_FALSE(expected.empty());
  std::size_t n = 0;
  for (;; ++n) {
    REQUIRE(n < 10'000);  // a session that never stops failing: something loops
    CAPTURE(n);
    session_fixture f;
    boost::beast::test::fail_count fc(n);
    const auto run = f.run(input, &fc, read_size, write_size);
    CHECK(run.ended);
    CHECK_FALSE(run.error);
    CHECK(run.peer_saw_close);
    const auto got = session_fixture::parse(run.written, head_only);
    REQUIRE(got.size() <= expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i].status == expected[i].status);
      CHECK(got[i].body == expected[i].body);
    }
    CHECK(f.logs.size() <= expected.size());
    if (got.size() == expected.size() && run.written.size() == reference.written.size()) break;
    // A failed run wrote less than the reference: what it wrote is the reference's prefix
    // up to the Date headers (parsed above), and no whole extra response.
    CHECK(run.written.size() < reference.written.size());
  }
  CHECK(n > 2);  // the loop really went through failure points
}

TEST_CASE("session: every read and write failure point of a GET ends the session cleanly") {
  check_every_failure_point(get_openapi, 7, 100);
}

TEST_CASE("session: every failure point of pipelined requests (GET, HEAD, 404, 304-able, POST with body)") {
  check_every_failure_point(get_ping + "HEAD /openapi.yaml HTTP/1.1\r\nHost: m\r\n\r\n" +
                                "GET /nowhere HTTP/1.1\r\nHost: m\r\n\r\n" +
                                "POST /v0.1/publish HTTP/1.1\r\nHost: m\r\nContent-Length: 5\r\n\r\nhello" + get_openapi,
                            13, 64, {false, true, false, false, false});
}

TEST_CASE("session: every failure point of a refused request (431) ends the session cleanly") {
  check_every_failure_point("GET /v0.1/ping HTTP/1.1\r\nHost: m\r\nX: " + std::string(20'000, 'a') + "\r\n\r\n", 4096, 50);
}

// Coalescing: the handler of /v0.1/servers reads the store, where the fixture's hook can hold
// the one pool thread until every request has arrived, so "concurrent" is deterministic.
TEST_CASE("session: concurrent misses for one URL at one generation run the handler once") {
  session_fixture f;
  constexpr int n = 8;
  f.hold_store_until(n);
  const std::string get_list = "GET /v0.1/servers?limit=3 HTTP/1.1\r\nHost: m\r\n\r\n";
  const auto written = f.run_concurrent(std::vector<std::string>(n, get_list));
  CHECK(f.store_reads == 1);
  CHECK(f.shared_renders() == n - 1);
  for (const auto& w : written) {
    const auto replies = session_fixture::parse(w);
    REQUIRE(replies.size() == 1);
    CHECK(replies[0].status == 500);  // what this fixture's store gives; the same for every waiter
    CHECK(replies[0].body == session_fixture::parse(written[0])[0].body);
  }
}

TEST_CASE("session: misses for different URLs or generations are not shared") {
  session_fixture f;
  f.hold_store_until(3, [&](int i) {
    if (i == 3) f.generation = 2;  // the third request sees a newer generation
  });
  const auto written = f.run_concurrent({"GET /v0.1/servers?limit=3 HTTP/1.1\r\nHost: m\r\n\r\n",
                                         "GET /v0.1/servers?limit=4 HTTP/1.1\r\nHost: m\r\n\r\n",
                                         "GET /v0.1/servers?limit=3 HTTP/1.1\r\nHost: m\r\n\r\n"});
  CHECK(f.store_reads == 3);
  CHECK(f.shared_renders() == 0);
}

TEST_CASE("session: a waiter gets the shared body in the encoding it asked for, never gzip unasked") {
  // The first request holds the pool thread; the /openapi.yaml misses queue behind it, the first
  // of them leading. Leader with gzip: the plain waiter must get identity. Leader plain: the
  // gzip waiter gets identity (allowed), tagged as identity.
  for (const bool leader_gzip : {true, false}) {
    CAPTURE(leader_gzip);
    session_fixture f;
    f.hold_store_until(3);
    const std::string gz = "GET /openapi.yaml HTTP/1.1\r\nHost: m\r\nAccept-Encoding: gzip\r\n\r\n";
    const auto written = f.run_concurrent({"GET /v0.1/servers HTTP/1.1\r\nHost: m\r\n\r\n", leader_gzip ? gz : get_openapi,
                                           leader_gzip ? get_openapi : gz});
    CHECK(f.shared_renders() == 1);
    const auto leader = session_fixture::parse(written[1]);
    const auto waiter = session_fixture::parse(written[2]);
    REQUIRE(leader.size() == 1);
    REQUIRE(waiter.size() == 1);
    const auto& plain = leader_gzip ? waiter[0] : leader[0];
    CHECK(header(plain, boost::beast::http::field::content_encoding).empty());
    CHECK(plain.body == test::session_openapi_body());
    if (leader_gzip) {
      CHECK(header(leader[0], boost::beast::http::field::content_encoding) == "gzip");
      CHECK(header(leader[0], boost::beast::http::field::etag).ends_with("-gz\""));
    } else {
      CHECK(header(waiter[0], boost::beast::http::field::content_encoding).empty());
      CHECK(header(waiter[0], boost::beast::http::field::etag) == header(leader[0], boost::beast::http::field::etag));
    }
    CHECK_FALSE(header(plain, boost::beast::http::field::etag).ends_with("-gz\""));
  }
}
