// import::import_bytes: one transaction per file; bad entries skipped with index and reason; a
// malformed file changes nothing; re-importing changes nothing (issue: serve, Import).
#include <doctest/doctest.h>

#include "import/importer.hpp"
#include "import_db.hpp"
#include "store/reader.hpp"
#include "support/temp_dir.hpp"
#include "util/embedded.hpp"

using namespace mirror;

namespace {

constexpr std::int64_t t0 = test::import_t0;
using db = test::import_db;

}  // namespace

TEST_CASE("import: the bundled seed loads 358 active latest servers, twice without change") {
  db d;
  const auto seed = embedded::file("seed-2025-09-29.json");
  auto first = import::import_bytes(d.w, seed, model::source::seed, t0);
  CHECK_FALSE(first.rejected);
  CHECK(first.skipped.empty());
  CHECK(first.applied.added == 358);
  CHECK(d.r.count_versions() == 358);
  auto row = d.r.latest("io.github.21st-dev/magic-mcp", false);
  REQUIRE(row);
  CHECK(row->data.official.status == model::status::active);
  CHECK(row->data.official.published_at.us == t0);
  CHECK(row->data.official.updated_at.us == t0);
  const auto seq = d.r.change_seq();
  auto again = import::import_bytes(d.w, seed, model::source::seed, t0 + 1'000'000);
  CHECK(again.applied.unchanged == 358);
  CHECK(again.applied.added + again.applied.changed == 0);
  CHECK(d.r.change_seq() == seq);
  CHECK(d.r.latest("io.github.21st-dev/magic-mcp", false)->data.official.published_at.us == t0);
}

TEST_CASE("import: bad entries are skipped with index and reason, good ones load") {
  db d;
  const std::string file = R"([
    {"name": "io.github.a/good", "description": "ok", "version": "1.0.0"},
    {"name": "no-slash", "description": "bad name", "version": "1.0.0"},
    {"name": "io.github.a/good", "description": "reserved", "version": "latest"},
    {"name": "io.github.a/good", "description": "newer", "version": "1.1.0"}
  ])";
  auto rep = import::import_bytes(d.w, file, model::source::import, t0);
  CHECK_FALSE(rep.rejected);
  REQUIRE(rep.skipped.size() == 2);
  CHECK(rep.skipped[0].index == 1);
  CHECK(rep.skipped[0].reason.find("name") != std::string::npos);
  CHECK(rep.skipped[1].index == 2);
  CHECK(rep.applied.added == 2);
  CHECK(d.r.latest("io.github.a/good", false)->data.version == "1.1.0");
}

TEST_CASE("import: a malformed file is rejected whole and nothing stored is lost") {
  db d;
  import::import_bytes(d.w, R"([{"name":"io.github.a/kept","description":"x","version":"1.0.0"}])",
                       model::source::import, t0);
  const auto seq = d.r.change_seq();
  for (const char* bad : {R"([{"name":"io.github.a/new","description":"x","version":"1.0.0"},)", "{\"servers\": 5}",
                          "", "\x01\x02 not json"}) {
    CAPTURE(bad);
    auto rep = import::import_bytes(d.w, bad, model::source::import, t0 + 5);
    CHECK(rep.rejected);
    CHECK_FALSE(rep.error.empty());
  }
  CHECK(d.r.count_versions() == 1);
  CHECK(d.r.change_seq() == seq);
  CHECK(d.r.get("io.github.a/kept", "1.0.0", false));
}

TEST_CASE("import: {server, _meta} lines keep the official block, status and latest as given") {
  db d;
  const std::string lines =
      R"({"server":{"name":"io.github.b/x","description":"d","version":"2.0.0"},"_meta":{"io.modelcontextprotocol.registry/official":{"status":"deleted","statusChangedAt":"2025-10-02T00:00:00Z","publishedAt":"2025-10-01T00:00:00.123456Z","updatedAt":"2025-10-02T00:00:00Z","isLatest":true}}})"
      "\n"
      R"({"server":{"name":"io.github.b/x","description":"d","version":"1.0.0"},"_meta":{"io.modelcontextprotocol.registry/official":{"status":"deprecated","statusMessage":"use 2","statusChangedAt":"2025-09-02T00:00:00Z","publishedAt":"2025-09-01T00:00:00Z","updatedAt":"2025-09-02T00:00:00Z","isLatest":false}}})"
      "\n";
  auto rep = import::import_bytes(d.w, lines, model::source::import, t0);
  CHECK(rep.applied.added == 2);
  auto latest = d.r.latest("io.github.b/x", true);
  REQUIRE(latest);
  CHECK(latest->data.version == "2.0.0");  // the block's flag, though deleted
  CHECK(latest->data.official.published_at.text == "2025-10-01T00:00:00.123456Z");
  auto old = d.r.get("io.github.b/x", "1.0.0", false);
  REQUIRE(old);
  CHECK(old->data.official.status_message == "use 2");
}
