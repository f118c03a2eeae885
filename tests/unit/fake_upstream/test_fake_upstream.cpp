// The fake upstream registry the sync tests run against (tests/support/fake_upstream.hpp):
// its model follows docs/upstream-api.md: Order and pagination, Incremental sync and latest and
// its faults do what they promise.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include <zlib.h>

#include "model/timestamp.hpp"
#include "support/fake_upstream.hpp"
#include "support/http_client.hpp"
#include "support/json_view.hpp"

using namespace mirror;
using test::endless;
using test::fake_upstream;
using test::fault;

namespace {

constexpr std::int64_t t1 = 1'750'000'000'000'000, sec = 1'000'000;
const std::string official = "/_meta/io.modelcontextprotocol.registry~1official";

unsigned short port_of(const fake_upstream& f) {
  const std::string url = f.base_url();
  REQUIRE(url.rfind("http://127.0.0.1:", 0) == 0);
  return static_cast<unsigned short>(std::stoi(url.substr(url.rfind(':') + 1)));
}
test::http_reply get(const fake_upstream& f, const std::string& target,
                     const std::vector<std::pair<std::string, std::string>>& extra = {}) {
  return test::http_request(port_of(f), "GET", target, extra);
}
test::server_list page(const fake_upstream& f, const std::string& target) {
  auto r = get(f, target);
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type") == "application/json");
  return test::parse_server_list(r.body);
}
std::vector<std::string> rows(const test::server_list& l) {  // "name@version"
  std::vector<std::string> out;
  for (const auto& s : l.servers) out.push_back(s.name + "@" + s.version);
  return out;
}
std::string encode(std::string_view s) {  // RFC 3986 unreserved stay, the rest %XX
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') out += static_cast<char>(c);
    else out += "%" + std::string(1, "0123456789ABCDEF"[c >> 4]) + "0123456789ABCDEF"[c & 15];
  }
  return out;
}
// Follows nextCursor from "/v0.1/servers?<query>" until it is absent; every row seen.
std::vector<std::string> walk(const fake_upstream& f, const std::string& query) {
  std::vector<std::string> seen;
  std::string cursor;
  for (int pages = 0; pages < 20; ++pages) {
    auto l = page(f, "/v0.1/servers?" + query + (cursor.empty() ? "" : "&cursor=" + encode(cursor)));
    for (auto& r : rows(l)) seen.push_back(r);
    if (!l.has_next_cursor) return seen;
    cursor = l.next_cursor;
  }
  FAIL("the walk did not end");
  return seen;
}
std::string gunzip(std::string_view in) {
  z_stream zs{};
  REQUIRE(inflateInit2(&zs, 16 + MAX_WBITS) == Z_OK);
  std::string out(1 << 20, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  CHECK(inflate(&zs, Z_FINISH) == Z_STREAM_END);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return out;
}

}  // namespace

TEST_CASE("fake_upstream: publish, delete and restore follow the upstream's latest rules") {
  fake_upstream f;
  const std::string x = "io.github.a/x", url = "/v0.1/servers/io.github.a%2Fx/versions";
  f.publish(x, "1.0.0", t1);
  f.publish(x, "0.0.59", t1 + sec);  // a late lower version is not latest
  CHECK(f.find(x, "1.0.0")->official.is_latest);
  CHECK_FALSE(f.find(x, "0.0.59")->official.is_latest);
  CHECK(f.find(x, "1.0.0")->official.updated_at.text == model::format_rfc3339(t1));
  CHECK_THROWS(f.publish(x, "1.0.0", t1 + sec));

  // Deleting the latest moves the flag to 0.0.59 without bumping its updatedAt.
  f.delete_version(x, "1.0.0", t1 + 2 * sec, "malware");
  auto low = *f.find(x, "0.0.59");
  CHECK(low.official.is_latest);
  CHECK(low.official.updated_at.us == t1 + sec);
  auto del = f.find(x, "1.0.0")->official;
  CHECK(del.status == model::status::deleted);
  CHECK(del.status_changed_at.us == t1 + 2 * sec);
  CHECK_FALSE(del.is_latest);
  // A message-only change bumps updatedAt, not statusChangedAt.
  f.set_status(x, "1.0.0", model::status::deleted, "spam", t1 + 3 * sec);
  del = f.find(x, "1.0.0")->official;
  CHECK(del.updated_at.us == t1 + 3 * sec);
  CHECK(del.status_changed_at.us == t1 + 2 * sec);

  CHECK(test::string_at(get(f, url + "/latest").body, "/server/version") == "0.0.59");
  CHECK(get(f, url + "/1.0.0").status == 404);
  auto hidden = get(f, url + "/1.0.0?include_deleted=true");
  CHECK(test::string_at(hidden.body, official + "/statusMessage") == "spam");
  CHECK(test::string_at(hidden.body, official + "/updatedAt") == model::format_rfc3339(t1 + 3 * sec));

  f.restore(x, "1.0.0", t1 + 4 * sec);
  CHECK(f.find(x, "1.0.0")->official.is_latest);
  CHECK_FALSE(f.find(x, "1.0.0")->official.status_message);
  f.flip_latest_silently(x, "0.0.59");  // the quirk: no updatedAt moves
  CHECK(f.find(x, "0.0.59")->official.is_latest);
  CHECK(f.find(x, "0.0.59")->official.updated_at.us == t1 + sec);
  CHECK(rows(page(f, url)) == std::vector<std::string>{x + "@0.0.59", x + "@1.0.0"});  // newest publish first

  // Everything deleted: 404 by default, the highest deleted version keeps the flag.
  f.delete_version(x, "0.0.59", t1 + 5 * sec);
  f.delete_version(x, "1.0.0", t1 + 6 * sec);
  auto nf = get(f, url);
  CHECK(nf.status == 404);
  CHECK(nf.header("content-type") == "application/problem+json");
  CHECK(nf.body == "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"Server not found\"}\n");
  CHECK(test::string_at(get(f, url + "/latest?include_deleted=true").body, "/server/version") == "1.0.0");
  CHECK(f.snapshot().size() == 2);
}

TEST_CASE("fake_upstream: pages in bytewise (name, version) order with name:version cursors") {
  fake_upstream f;
  f.publish("com.example/b", "1.0.0", t1);
  f.publish("com.example/a", "1.0.0", t1);
  f.publish("com.example/a", "1.0.0+build", t1);
  f.publish("Com.example/z", "2.0.0", t1);  // upper case sorts first
  auto p1 = page(f, "/v0.1/servers?limit=2");
  CHECK(rows(p1) == std::vector<std::string>{"Com.example/z@2.0.0", "com.example/a@1.0.0"});
  CHECK(p1.next_cursor == "com.example/a:1.0.0");
  auto p2 = page(f, "/v0.1/servers?limit=2&cursor=com.example/a:1.0.0");
  CHECK(rows(p2) == std::vector<std::string>{"com.example/a@1.0.0+build", "com.example/b@1.0.0"});
  auto p3 = page(f, "/v0.1/servers?limit=2&cursor=" + encode(p2.next_cursor));
  CHECK(p3.count == 0);  // a full last page costs one empty request
  CHECK_FALSE(p3.has_next_cursor);
  CHECK(walk(f, "limit=3").size() == 4);

  // Query form decoding: a raw '+' is a space ("1.0.0 build" sorts before "1.0.0+build").
  CHECK(page(f, "/v0.1/servers?cursor=com.example/a:1.0.0+build").count == 2);
  CHECK(page(f, "/v0.1/servers?cursor=com.example/a:1.0.0%2Bbuild").count == 1);
  CHECK(rows(page(f, "/v0.1/servers?cursor=com.example/a")) == std::vector<std::string>{"com.example/b@1.0.0"});
  CHECK(page(f, "/v0.1/servers?cursor=zzz").count == 0);
  CHECK(page(f, "/v0.1/servers?search=EXAMPLE/A").count == 2);
  CHECK(page(f, "/v0.1/servers?version=latest").count == 3);
  CHECK(page(f, "/v0.1/servers").count == 4);
  for (auto bad : {"0", "101", "abc"}) CHECK(get(f, std::string("/v0.1/servers?limit=") + bad).status == 422);
}

TEST_CASE("fake_upstream: updated_since is strict and forces include_deleted") {
  fake_upstream f;
  f.publish("a/a", "1", t1);
  f.publish("b/b", "1", t1 + sec);
  f.publish("c/c", "1", t1 + 2 * sec);
  f.delete_version("b/b", "1", t1 + 3 * sec);
  CHECK(walk(f, "") == std::vector<std::string>{"a/a@1", "c/c@1"});
  CHECK(walk(f, "include_deleted=true").size() == 3);
  const std::string since = "updated_since=" + encode(model::format_rfc3339(t1 + 2 * sec));
  CHECK(walk(f, since) == std::vector<std::string>{"b/b@1"});  // c's updatedAt == t is not >
  CHECK(get(f, "/v0.1/servers?" + since + "&include_deleted=false").status == 400);
  CHECK(get(f, "/v0.1/servers?updated_since=yesterday").status == 400);
  CHECK(get(f, "/v0.1/servers?include_deleted=maybe").status == 422);
  CHECK(get(f, "/v0.1/servers?updated_since=2025-06-15T17:06:41+02:00").status == 400);  // '+' → ' '
  CHECK(walk(f, "updated_since=2025-06-15T17:06:41%2B02:00") == std::vector<std::string>{"b/b@1", "c/c@1"});
}

TEST_CASE("fake_upstream: scripted 429 with Retry-After and 5xx answers, in order") {
  fake_upstream f;
  f.script(fault::http_status(429, 7));
  f.script(fault::http_status(503), 2);
  auto r = get(f, "/v0.1/servers");
  CHECK(r.status == 429);
  CHECK(r.header("retry-after") == "7");
  CHECK(r.header("content-type") == "application/problem+json");
  CHECK(get(f, "/v0.1/servers").status == 503);
  CHECK(get(f, "/v0.1/servers").header("retry-after").empty());
  CHECK(get(f, "/v0.1/servers").status == 200);
  f.script(fault::http_status(500).only_for("/versions"));
  CHECK(get(f, "/v0.1/servers").status == 200);
  CHECK(get(f, "/v0.1/servers/a%2Fb/versions").status == 500);
  CHECK(f.requests() == 6);
}

TEST_CASE("fake_upstream: truncated, garbage and dropped responses") {
  fake_upstream f;
  f.publish("com.example/a", "1.0.0", t1);
  f.script(fault::truncated());
  CHECK_THROWS(get(f, "/v0.1/servers"));  // Content-Length promised more than was sent
  f.script(fault::garbage());
  auto r = get(f, "/v0.1/servers");
  CHECK(r.status == 200);
  CHECK_THROWS(test::parse_server_list(r.body));
  f.script(fault::close());
  CHECK_THROWS(get(f, "/v0.1/servers"));
  CHECK(page(f, "/v0.1/servers").count == 1);
}

TEST_CASE("fake_upstream: endless cursors never let a naive walk end") {
  fake_upstream f;
  f.publish("com.example/a", "1.0.0", t1);
  f.endless_cursor(true);
  auto p1 = page(f, "/v0.1/servers");
  REQUIRE(p1.has_next_cursor);
  auto p2 = page(f, "/v0.1/servers?cursor=" + encode(p1.next_cursor));
  CHECK(p2.count == 0);
  CHECK(p2.next_cursor != p1.next_cursor);  // fresh: no repeat to notice
  f.endless_cursor(endless::repeat);
  CHECK(page(f, "/v0.1/servers").next_cursor == "com.example/a:1.0.0");
  CHECK(page(f, "/v0.1/servers?cursor=com.example/a:1.0.0").next_cursor == "com.example/a:1.0.0");
  f.endless_cursor(false);
  CHECK_FALSE(page(f, "/v0.1/servers").has_next_cursor);
}

TEST_CASE("fake_upstream: the on_request hook changes the data while a walk is in progress") {
  fake_upstream f;
  for (auto n : {"com.example/a", "com.example/b", "com.example/c"}) f.publish(n, "1.0.0", t1);
  f.on_request([&](std::size_t index, std::string_view target) {
    if (index != 1) return;
    CHECK(target == "/v0.1/servers?limit=2&cursor=com.example%2Fb%3A1.0.0");
    f.publish("com.example/0", "1.0.0", t1 + sec);  // behind the cursor: not seen by this walk
    f.publish("com.example/d", "1.0.0", t1 + sec);  // ahead of it: seen
  });
  CHECK(walk(f, "limit=2") == std::vector<std::string>{"com.example/a@1.0.0", "com.example/b@1.0.0",
                                                       "com.example/c@1.0.0", "com.example/d@1.0.0"});
  CHECK(f.requests() == 3);
  CHECK(f.targets()[0] == "/v0.1/servers?limit=2");
  CHECK(f.snapshot().size() == 5);
}

TEST_CASE("fake_upstream: gzip only when enabled and accepted") {
  fake_upstream f;
  f.publish("com.example/a", "1.0.0", t1);
  const std::vector<std::pair<std::string, std::string>> accept{{"Accept-Encoding", "gzip"}};
  auto plain = get(f, "/v0.1/servers", accept);
  CHECK(plain.header("content-encoding").empty());
  f.gzip(true);
  auto zipped = get(f, "/v0.1/servers", accept);
  CHECK(zipped.header("content-encoding") == "gzip");
  CHECK(gunzip(zipped.body) == plain.body);
  CHECK(get(f, "/v0.1/servers").body == plain.body);
}

TEST_CASE("fake_upstream: keep-alive connections - a slow answer holds up no one else") {
  namespace bhttp = boost::beast::http;
  fake_upstream f;
  {
    boost::asio::io_context ioc;
    boost::beast::tcp_stream stream(ioc);
    stream.connect({boost::asio::ip::make_address("127.0.0.1"), port_of(f)});
    boost::beast::flat_buffer buffer;
    for (int i = 0; i < 3; ++i) {
      bhttp::request<bhttp::empty_body> req{bhttp::verb::get, "/v0.1/servers", 11};
      req.set(bhttp::field::host, "127.0.0.1");
      bhttp::write(stream, req);
      bhttp::response<bhttp::string_body> res;
      bhttp::read(stream, buffer, res);
      CHECK(res.result_int() == 200);
    }
  }
  CHECK(f.connections_accepted() == 1);

  f.script(fault::slow(std::chrono::milliseconds(600)).only_for("/versions"));
  std::atomic<bool> slow_done = false;
  const auto start = std::chrono::steady_clock::now();
  std::thread slow([&] {
    CHECK(get(f, "/v0.1/servers/a%2Fb/versions").status == 404);
    slow_done = true;
  });
  while (f.requests() < 4) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  CHECK(get(f, "/v0.1/servers").status == 200);
  CHECK_FALSE(slow_done);
  slow.join();
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(600));
}
