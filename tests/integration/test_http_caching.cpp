// HTTP caching (issue item 4) and the change feed (item 5), end to end: strong ETags from the
// change sequence, If-None-Match → 304, Cache-Control and Vary, gzip computed once and equal to
// the identity body, and GET /v0.1/x/<namespace>/changes over a sequence of syncs.
#include <doctest/doctest.h>

#include <fstream>

#include <simdjson.h>

#include "http/conditional.hpp"
#include "registry_fixture.hpp"
#include "support/fake_upstream.hpp"
#include "support/http_client.hpp"
#include "support/json_view.hpp"
#include "support/running_mirror.hpp"
#include "upstream/gzip.hpp"

using namespace mirror;
using namespace mirror::test;

namespace {

constexpr std::int64_t now_us = 1'760'000'000'000'000;
const std::string list_path = "/v0.1/servers?limit=30";
const std::string feed_path = "/v0.1/x/io.github.mcp-mirror/changes";

http_reply get(unsigned short port, const std::string& target,
               const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  return http_request(port, "GET", target, headers);
}

void check_caching_headers(const http_reply& r) {
  CHECK(r.header("cache-control") == "public, max-age=60");
  CHECK(r.header("vary") == "Origin, Accept-Encoding");
  CHECK(r.header("access-control-allow-origin") == "*");
}

std::string inflate(const std::string& gz) {
  auto r = upstream::gunzip(gz, 64u << 20);
  REQUIRE(r);
  return *r;
}

}  // namespace

TEST_CASE("cacheable 200s carry a strong ETag - If-None-Match answers 304 without a body") {
  for (std::uint64_t cache_bytes : {std::uint64_t{32u << 20}, std::uint64_t{0}}) {
    CAPTURE(cache_bytes);
    config::mirror_config cfg;
    cfg.http.cache_bytes = cache_bytes;  // with the cache off, the 304 comes after the handler
    running_mirror m(registry_rows(), cfg);
    for (const std::string& path : {list_path, std::string("/v0.1/servers/com.example%2Falpha-server/versions"),
                                   std::string("/v0.1/servers/com.example%2Falpha-server/versions/1.0.0"),
                                   std::string("/v0.1/servers/com.example%2Falpha-server/versions/latest"),
                                   feed_path}) {
      CAPTURE(path);
      auto first = get(m.port(), path);
      REQUIRE(first.status == 200);
      const auto etag = first.header("etag");
      CHECK(etag.starts_with("\"g"));  // strong: no W/ prefix
      CHECK(etag.ends_with("\""));
      check_caching_headers(first);
      auto again = get(m.port(), path);  // a cache hit gives the same tag
      CHECK(again.header("etag") == etag);
      CHECK(again.body == first.body);

      for (const std::string& inm : {etag, "W/" + etag, "\"nope\", " + etag, std::string("*")}) {
        CAPTURE(inm);
        auto nm = get(m.port(), path, {{"If-None-Match", inm}});
        CHECK(nm.status == 304);
        CHECK(nm.body.empty());
        CHECK(nm.header("etag") == etag);
        CHECK(nm.header("content-length").empty());
        check_caching_headers(nm);
        auto head = http_request(m.port(), "HEAD", path, {{"If-None-Match", inm}});
        CHECK(head.status == 304);
      }
      auto other = get(m.port(), path, {{"If-None-Match", "\"g999999\""}});
      CHECK(other.status == 200);
      CHECK(other.body == first.body);
    }
    // A current tag on a cache miss (here: a URL never fetched before, with the tag it would
    // have been given) is answered 304 early, with the same caching headers. Another URL's
    // tag at the same generation is not a match.
    const auto tag = get(m.port(), list_path).header("etag");
    const std::string never_fetched = "/v0.1/servers?limit=7";
    const auto generation = std::stoull(tag.substr(2, tag.find('.') - 2));
    const auto its_tag = http::entity_tag(generation, never_fetched, false);
    CHECK(get(m.port(), never_fetched + "&x=1", {{"If-None-Match", tag}}).status == 200);
    auto early = get(m.port(), never_fetched, {{"If-None-Match", its_tag}});
    CHECK(early.status == 304);
    CHECK(early.header("etag") == its_tag);
    check_caching_headers(early);
    // `*` needs a representation: the handler runs (a 404 stays a 404).
    CHECK(get(m.port(), "/v0.1/servers/nope%2Fnope/versions/1.0.0", {{"If-None-Match", "*"}}).status == 404);
    // Not cacheable: no ETag, no 304, upstream's headers unchanged.
    auto health = get(m.port(), "/v0.1/health", {{"If-None-Match", "*"}});
    CHECK(health.status == 200);
    CHECK(health.header("etag").empty());
    CHECK(health.header("cache-control").empty());
    CHECK(health.header("vary") == "Origin");
    auto missing = get(m.port(), "/v0.1/servers/nope%2Fnope/versions", {{"If-None-Match", "*"}});
    CHECK(missing.status == 404);
    CHECK(missing.header("etag").empty());
  }
}

TEST_CASE("gzip when Accept-Encoding allows it: the same body, its own ETag, HEAD alike") {
  config::mirror_config cfg;
  cfg.http.cache_max_age = std::chrono::minutes(5);
  running_mirror m(registry_rows(), cfg);
  auto plain = get(m.port(), list_path);
  REQUIRE(plain.status == 200);
  REQUIRE(plain.body.size() >= 1024);
  CHECK(plain.header("content-encoding").empty());
  CHECK(plain.header("cache-control") == "public, max-age=300");

  for (int i = 0; i < 2; ++i) {  // the first compresses into the cache entry, the second reuses it
    auto gz = get(m.port(), list_path, {{"Accept-Encoding", "br;q=1.0, gzip;q=0.8"}});
    REQUIRE(gz.status == 200);
    CHECK(gz.header("content-encoding") == "gzip");
    CHECK(gz.header("content-length") == std::to_string(gz.body.size()));
    CHECK(gz.body.size() < plain.body.size());
    CHECK(inflate(gz.body) == plain.body);
    CHECK(gz.header("vary") == "Origin, Accept-Encoding");
    const auto etag = gz.header("etag");
    CHECK(etag == plain.header("etag").substr(0, plain.header("etag").size() - 1) + "-gz\"");

    auto head = http_request(m.port(), "HEAD", list_path, {{"Accept-Encoding", "gzip"}});
    CHECK(head.status == 200);
    CHECK(head.header("content-encoding") == "gzip");
    CHECK(head.header("content-length") == std::to_string(gz.body.size()));
    CHECK(head.header("etag") == etag);

    auto nm = get(m.port(), list_path, {{"Accept-Encoding", "gzip"}, {"If-None-Match", etag}});
    CHECK(nm.status == 304);
    CHECK(nm.header("etag") == etag);
    CHECK(nm.header("content-encoding").empty());
    // The identity tag does not match the gzip representation (strong tags per representation).
    CHECK(get(m.port(), list_path, {{"Accept-Encoding", "gzip"}, {"If-None-Match", plain.header("etag")}}).status ==
          200);
  }
  auto refused = get(m.port(), list_path, {{"Accept-Encoding", "gzip;q=0, deflate"}});
  CHECK(refused.header("content-encoding").empty());
  CHECK(refused.body == plain.body);
  // Small bodies go out as they are.
  auto small = get(m.port(), "/v0.1/servers/com.example%2Falpha-server/versions/1.0.0", {{"Accept-Encoding", "gzip"}});
  CHECK(small.status == 200);
  if (small.body.size() < 1024) CHECK(small.header("content-encoding").empty());
  // The cache off: compressed per request on the reader pool, same bytes after inflating.
  config::mirror_config off;
  off.http.cache_bytes = 0;
  running_mirror m2(registry_rows(), off);
  auto gz2 = get(m2.port(), list_path, {{"Accept-Encoding", "gzip"}});
  CHECK(gz2.header("content-encoding") == "gzip");
  CHECK(inflate(gz2.body) == plain.body);
}

namespace {

struct feed_entry {
  std::int64_t seq;
  std::string text;  // "kind name version"
};

// The JSON text of the value at `pointer` ("null", "42", "\"x\"").
std::string raw_at(const std::string& body, const std::string& pointer) {
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(body);
  simdjson::dom::element doc = parser.parse(padded);
  return simdjson::minify(doc.at_pointer(pointer).value());
}

std::size_t parse_count(const std::string& body) { return std::stoull(raw_at(body, "/metadata/count")); }

// Walks the feed from `since` with `limit`, following nextCursor; checks the page invariants.
std::vector<feed_entry> walk_feed(unsigned short port, std::int64_t since, int limit) {
  std::vector<feed_entry> out;
  for (int pages = 0; pages < 1000; ++pages) {
    auto r = get(port, feed_path + "?since=" + std::to_string(since) + "&limit=" + std::to_string(limit));
    REQUIRE(r.status == 200);
    const std::int64_t n = static_cast<std::int64_t>(std::stoll(r.body.substr(r.body.rfind("\"count\":") + 8)));
    for (std::int64_t i = 0; i < n; ++i) {
      const auto p = "/changes/" + std::to_string(i);
      feed_entry e;
      e.seq = std::stoll(raw_at(r.body, p + "/seq"));
      const auto v = raw_at(r.body, p + "/version");
      e.text = string_at(r.body, p + "/kind") + " " + string_at(r.body, p + "/name") + " " +
               (v == "null" ? std::string("-") : string_at(r.body, p + "/version"));
      CHECK(string_at(r.body, p + "/time") == model::format_rfc3339(now_us));
      if (!out.empty()) CHECK(e.seq > out.back().seq);
      CHECK(e.seq > since);
      out.push_back(e);
    }
    CHECK(static_cast<std::int64_t>(parse_count(r.body)) == n);
    CHECK(n <= limit);
    if (!has_pointer(r.body, "/metadata/nextCursor")) {
      CHECK(n < limit);
      return out;
    }
    CHECK(n == limit);
    since = std::stoll(string_at(r.body, "/metadata/nextCursor"));
    CHECK(since == out.back().seq);
  }
  FAIL("the feed did not end");
  return out;
}

std::vector<std::string> texts(const std::vector<feed_entry>& v) {
  std::vector<std::string> out;
  for (const auto& e : v) out.push_back(e.text);
  return out;
}

}  // namespace

TEST_CASE("the change feed follows syncs: publish, latest moves, status changes - ETags change with it") {
  fake_upstream up;
  up.publish("io.github.a/b", "1.0.0", now_us - 100);
  up.publish("io.github.c/d", "1.0.0", now_us - 90);
  temp_dir secrets;
  const auto token_file = secrets.path() / "token";
  std::ofstream(token_file) << "0123456789abcdef-secret\n";
  config::mirror_config cfg;
  cfg.upstream.url = up.base_url();
  cfg.upstream.requests_per_second = 1000;
  cfg.upstream.page_limit = 10;
  cfg.admin_token_file = token_file;
  running_mirror m({}, cfg, now_us, true);
  REQUIRE(m.await_sync_runs(1).ok);
  auto sync = [&](int n) {
    auto r = http_request(m.port(), "POST", "/v0.1/x/io.github.mcp-mirror/sync",
                          {{"Authorization", "Bearer 0123456789abcdef-secret"}});
    REQUIRE(r.status == 202);
    REQUIRE(m.await_sync_runs(static_cast<std::size_t>(n)).ok);
  };

  // Start: the bundled seed (358 added + 358 latest_moved), the upstream's data, then the seed's
  // removal in the run's last transaction. A name's records are consecutive: its rows, then its
  // latest_moved.
  auto all = walk_feed(m.port(), 0, 100);
  REQUIRE(all.size() == 358 * 3 + 4);
  CHECK(all.front().text.starts_with("added "));
  CHECK(all[1].text.starts_with("latest_moved "));
  const auto t = texts(all);
  CHECK(std::vector<std::string>(t.begin() + 716, t.begin() + 720) ==
        std::vector<std::string>{"added io.github.a/b 1.0.0", "latest_moved io.github.a/b 1.0.0",
                                 "added io.github.c/d 1.0.0", "latest_moved io.github.c/d 1.0.0"});
  CHECK(all.back().text.starts_with("removed "));
  CHECK(all.back().text.ends_with(" 0.0.1-seed"));
  CHECK(texts(walk_feed(m.port(), 0, 7)) == texts(all));  // any page size walks the same feed
  std::int64_t last = all.back().seq;

  auto list_before = get(m.port(), list_path);
  const auto etag_before = list_before.header("etag");
  auto feed_etag = get(m.port(), feed_path + "?since=" + std::to_string(last)).header("etag");
  CHECK(get(m.port(), list_path, {{"If-None-Match", etag_before}}).status == 304);

  // A new version becomes latest.
  up.publish("io.github.a/b", "2.0.0", now_us - 50);
  sync(2);
  auto step = walk_feed(m.port(), last, 1);
  CHECK(texts(step) == std::vector<std::string>{"added io.github.a/b 2.0.0", "latest_moved io.github.a/b 2.0.0"});
  last = step.back().seq;
  auto stale = get(m.port(), list_path, {{"If-None-Match", etag_before}});
  CHECK(stale.status == 200);  // the old tag no longer matches after a data change
  CHECK(stale.header("etag") != etag_before);
  CHECK(stale.body != list_before.body);
  CHECK(get(m.port(), list_path, {{"If-None-Match", stale.header("etag")}}).status == 304);
  CHECK(get(m.port(), feed_path + "?since=" + std::to_string(all.back().seq),
            {{"If-None-Match", feed_etag}}).status == 200);

  // Deleting it moves the latest back; deprecating the other changes only its status.
  up.delete_version("io.github.a/b", "2.0.0", now_us - 40);
  up.set_status("io.github.c/d", "1.0.0", model::status::deprecated, "use something else", now_us - 40);
  sync(3);
  step = walk_feed(m.port(), last, 2);
  CHECK(texts(step) == std::vector<std::string>{"status_changed io.github.a/b 2.0.0",
                                                "latest_moved io.github.a/b 1.0.0",
                                                "status_changed io.github.c/d 1.0.0"});
  last = step.back().seq;

  // A sync that changes nothing adds nothing, and the ETags stay.
  const auto etag_now = get(m.port(), list_path).header("etag");
  sync(4);
  CHECK(walk_feed(m.port(), last, 30).empty());
  CHECK(get(m.port(), list_path, {{"If-None-Match", etag_now}}).status == 304);
}

TEST_CASE("the change feed's parameters are validated like the list endpoint's") {
  running_mirror m(registry_rows());
  auto bad = get(m.port(), feed_path + "?limit=0&since=x");
  CHECK(bad.status == 422);
  CHECK(bad.header("content-type") == "application/problem+json");
  CHECK(bad.body.find("expected number >= 1") != std::string::npos);
  CHECK(bad.body.find("query.since") != std::string::npos);
  CHECK(get(m.port(), feed_path + "?limit=101").status == 422);
  CHECK(get(m.port(), feed_path + "?since=-1").status == 422);
  auto ok = get(m.port(), feed_path + "?limit=&since=");
  CHECK(ok.status == 200);
  CHECK(string_at(ok.body, "/changes/0/kind") == "added");
  CHECK(get(m.port(), "/v0/x/io.github.mcp-mirror/changes?limit=1").status == 200);
  CHECK(get(m.port(), "/v0.1/x/other.namespace/changes").status == 404);
}
