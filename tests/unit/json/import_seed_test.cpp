// The real upstream seed (358 bare server.json objects, docs/upstream-api.md: Seed data) decodes
// cleanly and its stored bytes are exactly the minified original elements.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include <simdjson.h>

#include "json/import_decoder.hpp"
#include "model/timestamp.hpp"
#include "unit/json/import_test_util.hpp"

namespace {

std::string read_seed() {
  // This file sits at tests/unit/json/; the seed at config/. __FILE__ is absolute under CMake
  // and relative to the repository root when compiled by hand from there.
  const auto path = std::filesystem::path(__FILE__).parent_path() / "../../../config/seed-2025-09-29.json";
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string simdjson_minify(const std::string& json) {
  std::unique_ptr<char[]> out(new char[json.size()]);
  std::size_t size = 0;
  REQUIRE(simdjson::minify(json.data(), json.size(), out.get(), size) == simdjson::SUCCESS);
  return std::string(out.get(), size);
}

}  // namespace

TEST_CASE("import: the 2025-09-29 seed file") {
  using namespace mirror::json::test;
  const std::string seed = read_seed();
  const mirror::json::decoded_batch batch = decode_ok(seed);

  CHECK(batch.entries.size() == 358);
  CHECK(batch.errors.empty());
  CHECK_FALSE(batch.next_cursor.has_value());

  const auto now = mirror::model::make_timestamp(now_us);
  std::set<std::string> names;
  std::string joined = "[";
  for (std::size_t i = 0; i < batch.entries.size(); ++i) {
    const auto& entry = batch.entries[i];
    CAPTURE(i);
    CHECK(entry.index == i);
    CHECK_FALSE(entry.has_official);
    CHECK(entry.version.version == "0.0.1-seed");
    CHECK(entry.version.official.status == mirror::model::status::active);
    CHECK(entry.version.official.published_at == now);
    CHECK(entry.version.official.updated_at == now);
    CHECK(entry.version.official.status_changed_at == now);
    CHECK_FALSE(entry.version.official.status_message.has_value());
    CHECK_FALSE(entry.version.official.is_latest);
    names.insert(entry.version.name);
    if (i > 0) joined += ',';
    joined += entry.version.server_json;
  }
  joined += ']';
  CHECK(names.size() == 358);  // one version per name
  CHECK(batch.entries.front().version.name == "io.github.21st-dev/magic-mcp");

  // Nothing in the seed needs rewriting, so the stored objects are the elements of the
  // minified file, byte for byte and in order.
  const std::string minified = simdjson_minify(seed);
  CHECK(joined.size() == minified.size());
  CHECK(joined == minified);

  // And one element on its own, against simdjson's minifier over that element's text.
  const auto& first = batch.entries.front().version.server_json;
  const std::size_t open = seed.find('{');
  const std::size_t close = seed.find("\n  },\n", open);
  REQUIRE(close != std::string::npos);
  CHECK(first == simdjson_minify(seed.substr(open, close + 4 - open)));
  CHECK(first.rfind(R"({"name":"io.github.21st-dev/magic-mcp","description":"It's like v0)", 0) == 0);
}
