// The four accepted shapes and the old server.json shapes (docs/upstream-api.md: server.json
// shapes over time, Seed data).
#include <doctest/doctest.h>

#include <string>

#include "json/import_decoder.hpp"
#include "model/timestamp.hpp"
#include "unit/json/import_test_util.hpp"

using namespace mirror::json::test;
using mirror::json::decode_import;
using mirror::json::decode_server_list;
using mirror::model::status;

namespace {

mirror::model::timestamp ts(std::string_view text) {
  auto t = mirror::model::make_timestamp(text);
  REQUIRE(t.has_value());
  return *t;
}

}  // namespace

TEST_CASE("import: 2025-07-09 snake_case server with top-level status and embedded official block") {
  const std::string input = R"([
  {
    "$schema": "https://static.modelcontextprotocol.io/schemas/2025-07-09/server.schema.json",
    "name": "io.github.example/old-shape",
    "description": "An old server",
    "status": "deprecated",
    "website_url": "https://example.com/old",
    "version": "1.0.0",
    "packages": [
      {
        "registry_type": "npm",
        "registry_base_url": "https://registry.npmjs.org",
        "identifier": "@example/old",
        "version": "1.0.0",
        "file_sha256": "abc",
        "runtime_hint": "npx",
        "transport": { "type": "stdio" },
        "runtime_arguments": [ { "type": "named", "name": "--port", "is_repeated": false, "value_hint": "port" } ],
        "package_arguments": [ { "type": "positional", "value_hint": "dir", "is_required": true } ],
        "environment_variables": [ { "name": "TOKEN", "is_secret": true, "is_required": true } ]
      }
    ],
    "_meta": {
      "io.modelcontextprotocol.registry/official": {
        "serverId": "b9d1d7a6", "versionId": "0f5e",
        "publishedAt": "2025-08-01T10:00:00Z",
        "updatedAt": "2025-08-02T11:30:00.123456Z",
        "isLatest": true
      },
      "io.modelcontextprotocol.registry/publisher-provided": {
        "tool": "publisher", "build_info": { "runtime_hint": "kept", "is_secret": 1.0 }
      }
    }
  },
  {
    "name": "io.github.example/only-official-meta",
    "description": "d",
    "version": "2.0.0",
    "_meta": { "io.modelcontextprotocol.registry/official": { "publishedAt": "2025-08-03T00:00:00Z" } }
  },
  {
    "name": "io.github.example/status-only",
    "description": "d",
    "status": "deleted",
    "version": "3.0.0",
    "_meta": {}
  }
])";
  const auto batch = decode_ok(input);
  REQUIRE(batch.errors.empty());
  REQUIRE(batch.entries.size() == 3);

  const auto& old = batch.entries[0];
  CHECK(old.has_official);
  CHECK(old.version.name == "io.github.example/old-shape");
  CHECK(old.version.version == "1.0.0");
  CHECK(old.version.server_json ==
        R"({"$schema":"https://static.modelcontextprotocol.io/schemas/2025-07-09/server.schema.json",)"
        R"("name":"io.github.example/old-shape","description":"An old server",)"
        R"("websiteUrl":"https://example.com/old","version":"1.0.0",)"
        R"("packages":[{"registryType":"npm","registryBaseUrl":"https://registry.npmjs.org",)"
        R"("identifier":"@example/old","version":"1.0.0","fileSha256":"abc","runtimeHint":"npx",)"
        R"("transport":{"type":"stdio"},)"
        R"("runtimeArguments":[{"type":"named","name":"--port","isRepeated":false,"valueHint":"port"}],)"
        R"("packageArguments":[{"type":"positional","valueHint":"dir","isRequired":true}],)"
        R"("environmentVariables":[{"name":"TOKEN","isSecret":true,"isRequired":true}]}],)"
        R"("_meta":{"io.modelcontextprotocol.registry/publisher-provided":)"
        R"({"tool":"publisher","build_info":{"runtime_hint":"kept","is_secret":1.0}}}})");
  CHECK(old.version.official.status == status::deprecated);
  CHECK(old.version.official.published_at == ts("2025-08-01T10:00:00Z"));
  CHECK(old.version.official.updated_at == ts("2025-08-02T11:30:00.123456Z"));
  CHECK(old.version.official.status_changed_at == ts("2025-08-02T11:30:00.123456Z"));  // not active
  CHECK(old.version.official.is_latest);
  CHECK_FALSE(old.version.official.status_message.has_value());

  const auto& only_official = batch.entries[1];
  CHECK(only_official.has_official);
  CHECK(only_official.version.server_json ==
        R"({"name":"io.github.example/only-official-meta","description":"d","version":"2.0.0"})");
  CHECK(only_official.version.official.status == status::active);
  CHECK(only_official.version.official.published_at == ts("2025-08-03T00:00:00Z"));
  CHECK(only_official.version.official.updated_at == ts("2025-08-03T00:00:00Z"));
  CHECK(only_official.version.official.status_changed_at == ts("2025-08-03T00:00:00Z"));
  CHECK_FALSE(only_official.version.official.is_latest);

  // A status but no official block: the status is kept, the times are made up.
  const auto& status_only = batch.entries[2];
  CHECK_FALSE(status_only.has_official);
  CHECK(status_only.version.official.status == status::deleted);
  CHECK(status_only.version.official.published_at.us == now_us);
  CHECK(status_only.version.server_json ==
        R"({"name":"io.github.example/status-only","description":"d","version":"3.0.0"})");
}

TEST_CASE("import: renames stop at _meta anywhere and apply to current-shape keys not at all") {
  const auto batch = decode_ok(
      R"([{"name":"a.b/c","description":"d","version":"1","x":{"_meta":{"is_secret":true},"is_secret":false},)"
      R"("registryType":"npm","websiteUrl":"u"}])");
  REQUIRE(batch.entries.size() == 1);
  CHECK(batch.entries[0].version.server_json ==
        R"({"name":"a.b/c","description":"d","version":"1","x":{"_meta":{"is_secret":true},"isSecret":false},)"
        R"("registryType":"npm","websiteUrl":"u"})");
}

TEST_CASE("import: ServerList page with nextCursor") {
  const std::string page =
      R"({"servers":[)"
      R"({"server":{"$schema":"https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json","name":"io.github.a/one","description":"One","version":"1.0.0"},)"
      R"("_meta":{"io.modelcontextprotocol.registry/official":{"status":"active","statusChangedAt":"2025-10-01T00:00:00Z","publishedAt":"2025-10-01T00:00:00Z","updatedAt":"2025-10-02T00:00:00.5Z","isLatest":true},"com.example.mirror/sync":{"at":1}}},)"
      R"({"server":{"name":"io.github.a/two","description":"Two","version":"0.1.0"},)"
      R"("_meta":{"io.modelcontextprotocol.registry/official":{"status":"deprecated","statusChangedAt":"2025-10-05T00:00:00Z","statusMessage":"use one","publishedAt":"2025-10-03T00:00:00Z","updatedAt":"2025-10-05T00:00:00Z","isLatest":false}}})"
      R"(],"metadata":{"nextCursor":"io.github.a/two:0.1.0","count":2}})";
  for (int via = 0; via < 2; ++via) {
    CAPTURE(via);
    const auto result = via == 0 ? decode_server_list(page, options()) : decode_import(page, options());
    REQUIRE(result.batch.has_value());
    const auto& batch = *result.batch;
    CHECK(batch.errors.empty());
    REQUIRE(batch.entries.size() == 2);
    CHECK(batch.next_cursor == "io.github.a/two:0.1.0");
    const auto& one = batch.entries[0];
    CHECK(one.has_official);
    CHECK(one.index == 0);
    CHECK(one.version.server_json ==
          R"({"$schema":"https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json","name":"io.github.a/one","description":"One","version":"1.0.0"})");
    CHECK(one.version.official.is_latest);
    CHECK(one.version.official.updated_at.text == "2025-10-02T00:00:00.5Z");
    const auto& two = batch.entries[1];
    CHECK(two.index == 1);
    CHECK(two.version.official.status == status::deprecated);
    CHECK(two.version.official.status_message == "use one");
    CHECK(two.version.official.status_changed_at == ts("2025-10-05T00:00:00Z"));
    CHECK_FALSE(two.version.official.is_latest);
  }

  // Last page: no nextCursor; metadata may come first; an empty page is fine.
  const auto last = decode_server_list(R"({"metadata":{"count":0},"servers":[]})", options());
  REQUIRE(last.batch.has_value());
  CHECK(last.batch->entries.empty());
  CHECK_FALSE(last.batch->next_cursor.has_value());
}

TEST_CASE("import: array of envelopes with deleted/deprecated statuses and defaults") {
  const auto batch = decode_ok(R"([
    {"server": {"name": "io.github.e/deleted", "description": "x", "version": "1.0.0"},
     "_meta": {"io.modelcontextprotocol.registry/official": {
        "status": "deleted", "statusMessage": "malware", "publishedAt": "2025-09-01T00:00:00Z",
        "updatedAt": "2025-09-10T00:00:00Z", "statusChangedAt": "2025-09-10T00:00:00Z", "isLatest": true}}},
    {"server": {"name": "io.github.e/deprecated", "description": "x", "version": "v2"},
     "_meta": {"io.modelcontextprotocol.registry/official": {
        "status": "deprecated", "statusMessage": "moved to \"e/new\"", "publishedAt": "2025-09-02T00:00:00+02:00"}}},
    {"server": {"name": "io.github.e/no-block", "description": "x", "version": "1"},
     "_meta": {"com.example/other": {"status": "deleted"}}},
    {"server": {"name": "io.github.e/no-meta", "description": "x", "version": "1"}}
  ])");
  REQUIRE(batch.errors.empty());
  REQUIRE(batch.entries.size() == 4);

  const auto& deleted = batch.entries[0].version.official;
  CHECK(batch.entries[0].has_official);
  CHECK(deleted.status == status::deleted);
  CHECK(deleted.status_message == "malware");
  CHECK(deleted.is_latest);
  CHECK(deleted.status_changed_at == ts("2025-09-10T00:00:00Z"));

  const auto& deprecated = batch.entries[1].version.official;
  CHECK(deprecated.status == status::deprecated);
  CHECK(deprecated.status_message == "moved to \"e/new\"");
  CHECK(deprecated.published_at.text == "2025-09-02T00:00:00+02:00");
  CHECK(deprecated.updated_at == deprecated.published_at);         // defaulted
  CHECK(deprecated.status_changed_at == deprecated.published_at);  // defaulted
  CHECK_FALSE(deprecated.is_latest);
  CHECK(batch.entries[1].version.version == "v2");

  for (std::size_t i = 2; i < 4; ++i) {
    CAPTURE(i);
    CHECK_FALSE(batch.entries[i].has_official);
    CHECK(batch.entries[i].version.official.status == status::active);
    CHECK(batch.entries[i].version.official.published_at.us == now_us);
  }
  CHECK(batch.entries[2].version.server_json ==
        R"({"name":"io.github.e/no-block","description":"x","version":"1"})");
}

TEST_CASE("import: JSON lines, one bad line, blank lines skipped, index = line number") {
  const std::string input =
      "{\"server\":{\"name\":\"io.github.l/a\",\"description\":\"a\",\"version\":\"1\"},\"_meta\":{\"io.modelcontextprotocol.registry/official\":{\"status\":\"active\",\"publishedAt\":\"2025-09-01T00:00:00Z\"}}}\n"
      "\n"
      "{\"name\":\"io.github.l/b\",\"description\":\"b\",\"version\":\"1\"}\r\n"
      "{\"name\":\"io.github.l/c\",\"description\": \n"
      "{\"name\":\"io.github.l/d\",\"description\":\"d\",\"version\":\"1\"}";
  const auto batch = decode_ok(input);
  REQUIRE(batch.entries.size() == 3);
  CHECK(batch.entries[0].index == 0);
  CHECK(batch.entries[0].has_official);
  CHECK(batch.entries[1].index == 2);
  CHECK(batch.entries[1].version.server_json == R"({"name":"io.github.l/b","description":"b","version":"1"})");
  CHECK(batch.entries[2].index == 4);
  CHECK(batch.entries[2].version.name == "io.github.l/d");
  REQUIRE(batch.errors.size() == 1);
  CHECK(batch.errors[0].index == 3);
  CHECK(contains(batch.errors[0].reason, "not JSON"));
}

TEST_CASE("import: one object spanning the whole input is a one-entry file") {
  const auto batch = decode_ok("\xEF\xBB\xBF{\n  \"name\": \"io.github.s/one\",\n  \"description\": \"d\",\n  \"version\": \"1.2.3\"\n}\n");
  REQUIRE(batch.entries.size() == 1);
  CHECK(batch.errors.empty());
  CHECK(batch.entries[0].version.server_json == R"({"name":"io.github.s/one","description":"d","version":"1.2.3"})");
}

TEST_CASE("import: strings keep their escapes and numbers their spelling") {
  const auto batch = decode_ok(
      R"([{"name":"io.github.x\/y","description":"caf\u00e9 \"quoted\" a\/b \\ \ud83d\ude00 é",)"
      R"("version":"1.0.0","x-numbers":[1.0,1e3,-0,0.5E-10,12345678901234567890123],"x-lit":[true,false,null]}])");
  REQUIRE(batch.errors.empty());
  REQUIRE(batch.entries.size() == 1);
  const auto& v = batch.entries[0].version;
  CHECK(v.name == "io.github.x/y");  // unescaped for the identity
  CHECK(v.server_json ==
        R"({"name":"io.github.x\/y","description":"caf\u00e9 \"quoted\" a\/b \\ \ud83d\ude00 é",)"
        R"("version":"1.0.0","x-numbers":[1.0,1e3,-0,0.5E-10,12345678901234567890123],"x-lit":[true,false,null]})");
}

TEST_CASE("import: an envelope's block wins over one embedded in its server - null is absent") {
  const auto batch = decode_ok(R"([{"server":{"name":"io.github.p/x","description":"d","version":"1",)"
                               R"("status":"deleted","_meta":{"io.modelcontextprotocol.registry/official":)"
                               R"({"publishedAt":"2020-01-01T00:00:00Z"},"keep":{"a":null}}},)"
                               R"("_meta":{"io.modelcontextprotocol.registry/official":{"status":"active",)"
                               R"("publishedAt":"2025-09-01T00:00:00Z","statusMessage":null,"isLatest":null}}}])");
  REQUIRE(batch.errors.empty());
  REQUIRE(batch.entries.size() == 1);
  const auto& e = batch.entries[0];
  CHECK(e.has_official);
  CHECK(e.version.official.status == status::active);
  CHECK(e.version.official.published_at == ts("2025-09-01T00:00:00Z"));
  CHECK_FALSE(e.version.official.status_message.has_value());
  CHECK_FALSE(e.version.official.is_latest);
  CHECK(e.version.server_json ==
        R"({"name":"io.github.p/x","description":"d","version":"1","_meta":{"keep":{"a":null}}})");
}

TEST_CASE("import: a ServerList page's nextCursor is bounded (it becomes the next request's URL)") {
  const auto page = [](std::size_t n) {
    return R"({"servers":[],"metadata":{"nextCursor":")" + std::string(n, 'c') + R"("}})";
  };
  const auto fits = decode_server_list(page(4096), options());
  REQUIRE(fits.batch.has_value());
  CHECK(fits.batch->next_cursor->size() == 4096);
  const auto too_long = decode_server_list(page(4097), options());
  CHECK_FALSE(too_long.batch.has_value());
  CHECK(too_long.error.find("metadata.nextCursor: longer than 4096 bytes") != std::string::npos);
}
