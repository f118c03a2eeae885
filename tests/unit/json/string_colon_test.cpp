// A string value followed by ':' is a syntax error wherever it stands (found by fuzz_tree and
// fuzz_import). simdjson's skip step takes such a string for an object key and skips a
// bracketed "value" after it, so `["a":[]]]` used to parse as ["a"] and an import kept going.
#include <doctest/doctest.h>

#include <string>

#include "json/tree.hpp"
#include "unit/json/import_test_util.hpp"

using namespace mirror::json;
using namespace mirror::json::test;

TEST_CASE("parse_tree: a string followed by ':' in an array or as a member value is an error") {
  for (const char* bad : {R"(["a":[]]])", R"(["a":[1]]])", R"(["a":{}]})", R"({"k":"v":[]}})",
                          R"({"k":"v":{}}})", R"({"k":["a":{"x":1}]]})", R"([1,"a":[]]])"}) {
    CAPTURE(bad);
    const auto r = parse_tree(bad);
    CHECK_FALSE(r.value.has_value());
    CHECK(contains(r.error, "TAPE_ERROR"));
  }
  // Strings everywhere else still parse.
  CHECK(parse_tree(R"(["a",{"k":"v","l":["b",{"m":"n"}]}])").value);
}

TEST_CASE("import: a string followed by ':' inside an entry or between entries rejects the file") {
  const std::string good = R"({"name":"io.github.a/b","description":"d","version":"1")";
  CHECK(contains(decode_fails("[" + good + R"(,"k":["x":[]]]}])"), "not JSON: TAPE_ERROR"));
  CHECK(contains(decode_fails("[" + good + R"(},"x":[1]]])"), "not JSON: TAPE_ERROR"));
  CHECK(contains(decode_fails(R"({"servers":[{"server":)" + good + R"(,"k":"v":[]}}}]})"), "TAPE_ERROR"));
  CHECK(contains(decode_server_list(R"({"servers":[],"metadata":{"nextCursor":"c":[]}}})", options()).error,
                 "TAPE_ERROR"));
}
