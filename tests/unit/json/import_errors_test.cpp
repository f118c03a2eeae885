// Bad entries (skipped with index and reason) versus malformed files (rejected whole).
#include <doctest/doctest.h>

#include <string>

#include "json/import_decoder.hpp"
#include "unit/json/import_test_util.hpp"

using namespace mirror::json::test;
using mirror::json::decode_import;
using mirror::json::decode_server_list;
using mirror::json::validate_identity;

namespace {

std::string envelope(std::string_view name, std::string_view version, std::string_view official) {
  return R"({"server":{"name":")" + std::string(name) + R"(","description":"d","version":")" +
         std::string(version) + R"("},"_meta":{"io.modelcontextprotocol.registry/official":)" +
         std::string(official) + "}}";
}

}  // namespace

TEST_CASE("import: bad entries are reported with index and reason, good ones load") {
  const std::string ok_block = R"({"status":"active","publishedAt":"2025-09-01T00:00:00Z"})";
  const std::string long_version(256, '1');
  const std::string input = "[" +
      envelope("io.github.g/good-0", "1", ok_block) + ",\n" +                        // 0 ok
      R"({"server":{"description":"d","version":"1"}})" + ",\n" +                   // 1
      envelope("io.github.g/a/b", "1", ok_block) + ",\n" +                           // 2
      envelope("io.github.g:x/b", "1", ok_block) + ",\n" +                           // 3
      envelope("io.github.g/b", "latest", ok_block) + ",\n" +                        // 4
      envelope("io.github.g/b", long_version, ok_block) + ",\n" +                    // 5
      envelope("io.github.g/b", "1", R"({"status":"gone","publishedAt":"2025-09-01T00:00:00Z"})") + ",\n" +  // 6
      envelope("io.github.g/b", "1", R"({"status":"active","publishedAt":"yesterday"})") + ",\n" +           // 7
      "42,\n" +                                                                      // 8
      R"({"name":"io.github.g/good-9","description":"d","version":"1"})" + ",\n" +  // 9 ok
      R"({"name":5,"description":"d","version":"1"})" + ",\n" +                     // 10
      R"({"name":"io.github.g/b","version":"1"})" + ",\n" +                         // 11
      envelope("io.github.g/b", "1", R"({"publishedAt":"2025-09-01T00:00:00Z"})") + ",\n" +  // 12
      envelope("io.github.g/b", "1", R"({"status":"active","publishedAt":"2025-09-01T00:00:00Z","isLatest":"yes"})") + ",\n" +  // 13
      envelope("io.github.g/b", "1", R"("active")") + ",\n" +                         // 14
      R"({"name":"io.github.g/b","description":"d","version":"1","status":"gone"})" + ",\n" +  // 15
      R"(["not","an","object"])" + ",\n" +                                           // 16
      envelope("io.github.g/good-17", "1", ok_block) + "]";                          // 17 ok
  const auto batch = decode_ok(input);

  REQUIRE(batch.entries.size() == 3);
  CHECK(batch.entries[0].index == 0);
  CHECK(batch.entries[1].index == 9);
  CHECK(batch.entries[2].index == 17);

  const std::pair<std::size_t, std::string_view> expected[] = {
      {1, "server.name: missing"},
      {2, "server.name: must match"},
      {3, "server.name: must match"},
      {4, "server.version: \"latest\" is reserved"},
      {5, "server.version: longer than 255 bytes"},
      {6, R"(_meta["io.modelcontextprotocol.registry/official"].status: unknown value "gone")"},
      {7, R"(_meta["io.modelcontextprotocol.registry/official"].publishedAt: not an RFC 3339 timestamp: "yesterday")"},
      {8, "expected an object, got number"},
      {10, "server.name: expected string, got number"},
      {11, "server.description: missing"},
      {12, R"(_meta["io.modelcontextprotocol.registry/official"].status: missing)"},
      {13, R"(_meta["io.modelcontextprotocol.registry/official"].isLatest: expected boolean, got string)"},
      {14, R"(_meta["io.modelcontextprotocol.registry/official"]: expected object, got string)"},
      {15, R"(server.status: unknown value "gone")"},
      {16, "expected an object, got array"},
  };
  REQUIRE(batch.errors.size() == std::size(expected));
  for (std::size_t i = 0; i < std::size(expected); ++i) {
    CAPTURE(i);
    CAPTURE(batch.errors[i].reason);
    CHECK(batch.errors[i].index == expected[i].first);
    CHECK(batch.errors[i].reason.rfind(expected[i].second, 0) == 0);
  }
}

TEST_CASE("import: ServerList items must be envelopes") {
  const auto r = decode_server_list(
      R"({"servers":[{"name":"io.github.a/b","description":"d","version":"1"},{"server":"x"},7],"metadata":{"count":3}})",
      options());
  REQUIRE(r.batch.has_value());
  REQUIRE(r.batch->errors.size() == 3);
  CHECK(r.batch->errors[0].reason == "server: missing");
  CHECK(r.batch->errors[1].reason == "server: expected object, got string");
  CHECK(r.batch->errors[2].reason == "expected an object, got number");
  CHECK(r.batch->errors[2].index == 2);
}

TEST_CASE("import: a server object over max_entry_bytes is a bad entry") {
  const std::string input =
      R"([{"name":"io.github.a/small","description":"d","version":"1"},)"
      R"({"name":"io.github.a/big","description":")" + std::string(200, 'x') + R"(","version":"1"}])";
  const auto batch = decode_ok(input, options(100));
  REQUIRE(batch.entries.size() == 1);
  REQUIRE(batch.errors.size() == 1);
  CHECK(batch.errors[0].index == 1);
  CHECK(contains(batch.errors[0].reason, "over the 100-byte limit"));
}

TEST_CASE("import: malformed files are rejected whole") {
  const std::string good = R"({"name":"io.github.a/b","description":"d","version":"1"})";
  CHECK(decode_fails("") == "empty input");
  CHECK(decode_fails(" \n\t\r\n") == "empty input");
  CHECK(contains(decode_fails("[" + good + "," + good), "not JSON"));          // truncated array
  CHECK(contains(decode_fails("[" + good + "," + good.substr(0, 20)), "not JSON"));
  CHECK(contains(decode_fails("[" + good + "] trailing"), "not JSON"));
  CHECK(contains(decode_fails("[" + good + "] [1]"), "TRAILING_CONTENT"));
  CHECK(contains(decode_fails("[" + good + "]]"), "TRAILING_CONTENT"));
  CHECK(contains(decode_fails("[" + good + ",,]"), "not JSON"));
  CHECK(contains(decode_fails(R"([{"name":"io.github.a/b","description":"d","version":"1","x":tru}])"), "invalid boolean"));
  CHECK(contains(decode_fails(R"([{"name":"io.github.a/b","description":"d","version":"1","x":-abc}])"), "invalid number"));
  CHECK(contains(decode_fails(R"([{"name":"io.github.a/b","description":"bad \q escape","version":"1"}])"), "invalid string"));
  // A syntax error inside a value the decoder ignores still rejects the file.
  CHECK(contains(decode_fails(R"([{"server":)" + good + R"(,"_meta":{"x":[1 2]}}])"), "not JSON"));
  CHECK(contains(decode_fails(R"([{"server":)" + good + R"(,"ignored":nul}])"), "invalid null"));

  // ServerList shape problems.
  CHECK(decode_fails(R"({"servers": 5})") == "not a ServerList: servers: expected array, got number");
  CHECK(decode_fails(R"({"servers": [], "metadata": {"nextCursor": 3}})") ==
        "not a ServerList: metadata.nextCursor: expected string, got number");
  CHECK(contains(decode_fails(R"({"servers": [)" + good), "not JSON"));

  // Random bytes: not UTF-8, and ASCII garbage.
  const std::string random_bytes = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x01\x02";
  CHECK(contains(decode_fails(random_bytes), "not JSON"));
  CHECK(contains(decode_fails("hello world\nthis is not json\n"), "not JSON"));
  CHECK(contains(decode_fails("{\n  \"name\": \"io.github.a/b\",\n  \"version\": 1.0.0\n}\n"), "not JSON"));
  CHECK(decode_fails("42\n\"str\"\n") == "expected an object, got number (line 1)");
  // Nesting beyond walker::max_depth is rejected, not recursed into without bound.
  CHECK(contains(decode_fails("[" + std::string(100000, '[') + std::string(100000, ']') + "]"), "DEPTH_ERROR"));
  CHECK(decode_ok("[" + std::string(200, '[') + std::string(200, ']') + "]").errors.size() == 1);

  // decode_server_list accepts nothing but a ServerList.
  CHECK(decode_server_list("[" + good + "]", options()).error == "not a ServerList: expected an object, got array");
  CHECK(decode_server_list(good, options()).error == "not a ServerList: servers: missing");
  CHECK(decode_server_list("", options()).error == "empty input");
}

TEST_CASE("import: malformed errors carry simdjson's reason and a byte offset") {
  const std::string error = decode_fails(R"([{"name":"io.github.a/b","description":"d","version":"1","x":[1 2]}])");
  CHECK(contains(error, "not JSON: "));
  CHECK(contains(error, " at byte "));
  const std::string token_error = decode_fails(R"([{"name":"io.github.a/b","x":tru}])");
  CHECK(token_error == "not JSON: invalid boolean at byte 29");
}

TEST_CASE("validate_identity") {
  CHECK(validate_identity("io.github.user/server", "1.0.0") == "");
  CHECK(validate_identity("a/b", "x") == "");
  CHECK(validate_identity("A-1.b/c_d.e-f", "2021.03.05") == "");
  CHECK(validate_identity(std::string(100, 'a') + "/" + std::string(99, 'b'), "1") == "");
  CHECK(validate_identity(std::string(100, 'a') + "/" + std::string(100, 'b'), "1") == "server.name: longer than 200 bytes");
  CHECK(validate_identity("", "1").rfind("server.name: must match", 0) == 0);
  CHECK(validate_identity("noslash", "1").rfind("server.name: must match", 0) == 0);
  CHECK(validate_identity("/b", "1").rfind("server.name: must match", 0) == 0);
  CHECK(validate_identity("a/", "1").rfind("server.name: must match", 0) == 0);
  CHECK(validate_identity("a/b/c", "1").rfind("server.name: must match", 0) == 0);
  CHECK(validate_identity("a_b/c", "1").rfind("server.name: must match", 0) == 0);  // '_' only after '/'
  CHECK(validate_identity("a:b/c", "1").rfind("server.name: must match", 0) == 0);
  CHECK(validate_identity("a/b c", "1").rfind("server.name: must match", 0) == 0);
  CHECK(validate_identity("a/\xC3\xA9", "1").rfind("server.name: must match", 0) == 0);
  CHECK(validate_identity("a/b", "") == "server.version: empty");
  CHECK(validate_identity("a/b", "latest") == "server.version: \"latest\" is reserved");
  CHECK(validate_identity("a/b", "Latest") == "");
  CHECK(validate_identity("a/b", std::string(255, 'v')) == "");
  CHECK(validate_identity("a/b", std::string(256, 'v')) == "server.version: longer than 255 bytes");
  CHECK(validate_identity("a/b", "1.0\n") == "server.version: contains a control character");
  CHECK(validate_identity("a/b", std::string("1\0", 2)) == "server.version: contains a control character");
  CHECK(validate_identity("a/b", "1.0.0+build:7 é") == "");
}
