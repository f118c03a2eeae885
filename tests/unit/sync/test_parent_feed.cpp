// A parent mirror's /info and change feed are untrusted input: every field is checked, and the
// loop check names the chain.
#include <doctest/doctest.h>

#include "json/import_decoder.hpp"
#include "sync/parent_feed.hpp"

using namespace mirror;

namespace {

std::string error_of(std::string_view body) {
  auto r = sync::parse_parent_info(body);
  auto* e = std::get_if<std::string>(&r);
  return e ? *e : "";
}

}  // namespace

TEST_CASE("parent info: a valid document, and each broken field named") {
  auto ok = sync::parse_parent_info(
      R"({"version":"1","instanceId":"abc-1","sources":[],"changes":{"seq":42,"prunedThrough":0},"ancestry":["p1","p2"]})");
  REQUIRE(std::holds_alternative<sync::parent_info>(ok));
  const auto& p = std::get<sync::parent_info>(ok);
  CHECK(p.instance_id == "abc-1");
  CHECK(p.ancestry == std::vector<std::string>{"p1", "p2"});
  CHECK(p.seq == 42);
  CHECK(sync::ancestry_text(p) == "abc-1 p1 p2");

  CHECK(error_of("<html>") .starts_with("info: not JSON"));
  CHECK(error_of("[]") == "info: expected an object");
  CHECK(error_of(R"({"changes":{"seq":1}})").starts_with("info: instanceId"));
  CHECK(error_of(R"({"instanceId":"a b","changes":{"seq":1}})").starts_with("info: instanceId"));
  CHECK(error_of(R"({"instanceId":")" + std::string(65, 'a') + R"(","changes":{"seq":1}})").starts_with("info: instanceId"));
  CHECK(error_of(R"({"instanceId":"a","ancestry":"b","changes":{"seq":1}})") == "info: ancestry: expected an array");
  CHECK(error_of(R"({"instanceId":"a","ancestry":[1],"changes":{"seq":1}})") == "info: ancestry: expected instance ids");
  std::string long_chain = R"({"instanceId":"a","changes":{"seq":1},"ancestry":[)";
  for (int i = 0; i < 65; ++i) long_chain += std::string(i ? "," : "") + "\"x" + std::to_string(i) + "\"";
  CHECK(error_of(long_chain + "]}") == "info: ancestry: more than 64 instances");
  CHECK(error_of(R"({"instanceId":"a"})") == "info: changes: expected an object");
  CHECK(error_of(R"({"instanceId":"a","changes":{"seq":-1}})") == "info: changes.seq: expected a non-negative integer");
  CHECK(error_of(R"({"instanceId":"a","changes":{"seq":1.5}})") == "info: changes.seq: expected a non-negative integer");
  CHECK(error_of(R"({"instanceId":"a","changes":{"seq":"1"}})") == "info: changes.seq: expected an integer");
}

TEST_CASE("parent feed: names in order, the last seq, and pages that would skip or repeat are refused") {
  auto page = sync::parse_feed_page(
      R"({"changes":[{"seq":5,"name":"a/x","version":"1","kind":"added"},{"seq":7,"name":"b/y","version":null,"kind":"latest_moved"}],"metadata":{"count":2}})",
      4, 2);
  REQUIRE(std::holds_alternative<sync::feed_page>(page));
  const auto& p = std::get<sync::feed_page>(page);
  CHECK(p.names == std::vector<std::string>{"a/x", "b/y"});
  CHECK(p.last_seq == 7);
  CHECK(p.full);
  auto empty = sync::parse_feed_page(R"({"changes":[],"metadata":{"count":0}})", 9, 100);
  REQUIRE(std::holds_alternative<sync::feed_page>(empty));
  CHECK(std::get<sync::feed_page>(empty).last_seq == 9);
  CHECK_FALSE(std::get<sync::feed_page>(empty).full);

  auto error = [](std::string_view body, std::int64_t since, int limit) {
    auto r = sync::parse_feed_page(body, since, limit);
    auto* e = std::get_if<std::string>(&r);
    return e ? *e : "";
  };
  CHECK(error(R"({"changes":[{"seq":4,"name":"a/x"}]})", 4, 10) == "changes: sequence numbers out of order");
  CHECK(error(R"({"changes":[{"seq":6,"name":"a/x"},{"seq":5,"name":"a/x"}]})", 4, 10) ==
        "changes: sequence numbers out of order");
  CHECK(error(R"({"changes":[{"seq":5,"name":"a/x"},{"seq":6,"name":"a/x"}]})", 4, 1) ==
        "changes: more than the 1 rows asked for");
  CHECK(error(R"({"changes":[{"seq":5}]})", 4, 10) == "changes[].name: expected a server name");
  CHECK(error(R"({"changes":{}})", 4, 10) == "changes: expected an array");
  CHECK(error("{", 4, 10).starts_with("changes: not JSON"));
}

TEST_CASE("loop check: the parent itself, or this mirror in its ancestry, is a loop naming the chain") {
  sync::parent_info p{"b", {"c", "a", "d"}, 1};
  CHECK_FALSE(sync::loop_error(p, "z", "http://b").has_value());
  const auto loop = sync::loop_error(p, "a", "http://b");
  REQUIRE(loop);
  CHECK(*loop == "loop refused: http://b (b) is downstream of this mirror: a -> b -> c -> a; nothing was synced");
  CHECK(sync::loop_error({"a", {}, 1}, "a", "http://self").has_value());
}

TEST_CASE("decode: a parent mirror's own _meta blocks are kept verbatim only when asked") {
  const std::string page =
      R"({"servers":[{"server":{"name":"a/x","version":"1.0.0","description":"d"},"_meta":{"io.modelcontextprotocol.registry/official":{"status":"active","statusChangedAt":"2025-01-01T00:00:00Z","publishedAt":"2025-01-01T00:00:00Z","updatedAt":"2025-01-01T00:00:00Z","isLatest":true},"io.github.mcp-mirror/mirror":{"source":"upstream","changedAt":"2025-01-02T00:00:00Z"},"x.y/curation":{"rules":[{"id":"r"}]}}}],"metadata":{"count":1}})";
  auto plain = json::decode_server_list(page, {});
  REQUIRE(plain.batch);
  CHECK_FALSE(plain.batch->entries.at(0).version.relayed_meta.has_value());
  auto kept = json::decode_server_list(page, {.keep_relayed_meta = true});
  REQUIRE(kept.batch);
  CHECK(kept.batch->entries.at(0).version.relayed_meta ==
        R"("io.github.mcp-mirror/mirror":{"source":"upstream","changedAt":"2025-01-02T00:00:00Z"},"x.y/curation":{"rules":[{"id":"r"}]})");
  auto capped = json::decode_server_list(page, {.max_entry_bytes = 60, .keep_relayed_meta = true});
  REQUIRE(capped.batch);
  CHECK(capped.batch->entries.empty());
  CHECK(capped.batch->errors.at(0).reason.starts_with("_meta: "));
}
