// api::parse_list_params and its Go-compatible scalar parsers (docs/upstream-api.md: Request
// handling).
#include <doctest/doctest.h>

#include "api/list_params.hpp"
#include "api/target.hpp"

using namespace mirror;

namespace {

std::variant<model::list_query, api::response> parse(std::string_view target) {
  return api::parse_list_params(*api::parse_target(target));
}

model::list_query ok(std::string_view target) {
  auto r = parse(target);
  REQUIRE(std::holds_alternative<model::list_query>(r));
  return std::get<model::list_query>(r);
}

unsigned status(std::string_view target) {
  auto r = parse(target);
  return std::holds_alternative<api::response>(r) ? std::get<api::response>(r).status : 200;
}

}  // namespace

TEST_CASE("Go ParseBool accepts exactly its twelve spellings") {
  for (auto t : {"1", "t", "T", "TRUE", "true", "True"}) CHECK(api::parse_go_bool(t) == true);
  for (auto f : {"0", "f", "F", "FALSE", "false", "False"}) CHECK(api::parse_go_bool(f) == false);
  for (auto bad : {"", "yes", "tRUE", "2", " true"}) CHECK(api::parse_go_bool(bad) == std::nullopt);
}

TEST_CASE("Go ParseInt: sign, digits, overflow") {
  CHECK(api::parse_go_int("+5") == 5);
  CHECK(api::parse_go_int("-9223372036854775808") == INT64_MIN);
  CHECK(api::parse_go_int("9223372036854775808") == std::nullopt);
  for (auto bad : {"", "+", "1.0", "1e3", " 1", "0x10", "1_000"}) CHECK(api::parse_go_int(bad) == std::nullopt);
}

TEST_CASE("defaults: limit 30, nothing filtered, deleted hidden") {
  auto q = ok("/v0.1/servers");
  CHECK(q.limit == 30);
  CHECK(q.search.empty());
  CHECK(!q.after);
  CHECK(!q.include_deleted);
  CHECK(!q.latest_only);
}

TEST_CASE("limit bounds and empty values") {
  CHECK(ok("/v0.1/servers?limit=1").limit == 1);
  CHECK(ok("/v0.1/servers?limit=100").limit == 100);
  CHECK(ok("/v0.1/servers?limit=").limit == 30);
  CHECK(status("/v0.1/servers?limit=0") == 422);
  CHECK(status("/v0.1/servers?limit=101") == 422);
}

TEST_CASE("422 comes before 400, as Huma validates before the handler runs") {
  CHECK(status("/v0.1/servers?limit=x&updated_since=bad") == 422);
  CHECK(status("/v0.1/servers?updated_since=bad") == 400);
}

TEST_CASE("version=latest vs exact version - search kept as given") {
  CHECK(ok("/v0.1/servers?version=latest").latest_only);
  auto exact = ok("/v0.1/servers?version=1.0.0%2Bbuild");
  CHECK(exact.exact_version == "1.0.0+build");
  CHECK(ok("/v0.1/servers?search=a%25b_c").search == "a%b_c");
}

TEST_CASE("a space in the cursor is read back as the + it was") {
  auto q = ok("/v0.1/servers?cursor=a/b:1.0.0+build");
  REQUIRE(q.after);
  CHECK(q.after->name == "a/b");
  CHECK(q.after->version == "1.0.0+build");
  auto encoded = ok("/v0.1/servers?cursor=a%2Fb%3A1.0.0%2Bbuild");
  CHECK(encoded.after->version == "1.0.0+build");
}

TEST_CASE("query values are form-decoded: + is a space") {
  auto t = api::parse_target("/x?search=a+b&k=%41");
  REQUIRE(t);
  CHECK(t->param("search") == "a b");
  CHECK(t->param("k") == "A");
  CHECK(t->param("missing") == std::nullopt);
}

TEST_CASE("path segments are decoded one by one: %2F stays inside its segment") {
  auto t = api::parse_target("/v0.1/servers/io.github.x%2Fy/versions/1.0.0+b");
  REQUIRE(t);
  REQUIRE(t->segments.size() == 5);
  CHECK(t->segments[2] == "io.github.x/y");
  CHECK(t->segments[4] == "1.0.0+b");  // '+' in a path is a plus
  CHECK(api::parse_target("/bad%zz") == std::nullopt);
}

TEST_CASE("clean_path follows Go's path.Clean on the encoded path") {
  CHECK(api::clean_path("/v0.1/servers/") == "/v0.1/servers");
  CHECK(api::clean_path("//evil.com/") == "/evil.com");
  CHECK(api::clean_path("/a/./b/../c") == "/a/c");
  CHECK(api::clean_path("/a%2Fb/") == "/a%2Fb");
  CHECK(api::clean_path("/") == "/");
  CHECK(api::clean_path("/..") == "/");
}
