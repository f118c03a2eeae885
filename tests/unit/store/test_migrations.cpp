// Opening, migrating and refusing databases (docs/design-habits.md H8).
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <fstream>
#include <sstream>

#include "store/connection.hpp"
#include "store/error.hpp"
#include "store/reader.hpp"
#include "store/writer.hpp"
#include "support/temp_dir.hpp"
#include "util/embedded.hpp"

using namespace mirror;

namespace {

std::string schema_of(store::connection& c) {
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(c.handle(),
                     "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type DESC, name", -1, &s,
                     nullptr);
  std::string out;
  while (sqlite3_step(s) == SQLITE_ROW) {
    out += reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    out += ";\n";
  }
  sqlite3_finalize(s);
  return out;
}

}  // namespace

TEST_CASE("migrations build the golden schema on an empty file and set user_version") {
  test::temp_dir dir;
  auto conn = store::connection::open(dir.path() / "m.db", store::open_mode::read_write);
  CHECK(conn.schema_version() == store::latest_schema_version());
  CHECK(store::latest_schema_version() >= 1);
  std::ifstream golden(std::string(MIRROR_SOURCE_DIR) + "/tests/data/schema.sql");
  REQUIRE(golden);
  std::stringstream expected;
  expected << golden.rdbuf();
  CHECK(schema_of(conn) == expected.str());
}

TEST_CASE("reopening applies nothing twice and keeps data") {
  test::temp_dir dir;
  const auto file = dir.path() / "m.db";
  {
    auto w = store::writer::open(file);
    w.apply({}, model::source::upstream, 1, {.sync = {.upstream = "kept"}});
  }
  auto w = store::writer::open(file);
  CHECK(w.sync_state().upstream == "kept");
}

TEST_CASE("a database newer than the binary is refused with a clear error") {
  test::temp_dir dir;
  const auto file = dir.path() / "m.db";
  {
    auto conn = store::connection::open(file, store::open_mode::read_write);
    conn.exec("PRAGMA user_version = 9999");
  }
  CHECK_THROWS_WITH_AS(store::connection::open(file, store::open_mode::read_write),
                       doctest::Contains("newer than this binary supports"), store::error);
  CHECK_THROWS_AS(store::reader::open(file), store::error);
}

TEST_CASE("the database runs in WAL mode, its WAL file bounded after checkpoints") {
  test::temp_dir dir;
  auto conn = store::connection::open(dir.path() / "m.db", store::open_mode::read_write);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(conn.handle(), "PRAGMA journal_mode", -1, &s, nullptr);
  REQUIRE(sqlite3_step(s) == SQLITE_ROW);
  CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 0))) == "wal");
  sqlite3_finalize(s);
  // The WAL does not keep the size of the largest transaction it ever held.
  sqlite3_prepare_v2(conn.handle(), "PRAGMA journal_size_limit", -1, &s, nullptr);
  REQUIRE(sqlite3_step(s) == SQLITE_ROW);
  CHECK(sqlite3_column_int64(s, 0) == 64 * 1024 * 1024);
  sqlite3_finalize(s);
}

TEST_CASE("a file that is not a database is an error, not a crash") {
  test::temp_dir dir;
  const auto file = dir.path() / "junk.db";
  std::ofstream(file) << std::string(8192, 'x');
  CHECK_THROWS_AS(store::connection::open(file, store::open_mode::read_write), store::error);
}

TEST_CASE("upgrading a version-1 database backfills server_names and keeps the rows") {
  test::temp_dir dir;
  const auto file = dir.path() / "m.db";
  {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &h) == SQLITE_OK);
    const std::string v1(embedded::migrations()[0].content);
    REQUIRE(sqlite3_exec(h, v1.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_exec(h,
                         "PRAGMA user_version = 1; INSERT INTO server_versions VALUES ('a/b', '1.0.0', '{}', "
                         "'active', NULL, 't', 0, 't', 0, 't', 0, 1, 'upstream', 0, 0, 1)",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(h);
  }
  auto reader_conn = store::connection::open(file, store::open_mode::read_write);
  CHECK(reader_conn.schema_version() == store::latest_schema_version());
  auto r = store::reader(std::move(reader_conn));
  model::list_query q;
  q.search = "A/B";
  auto rows = r.list(q);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].data.name == "a/b");
}

TEST_CASE("upgrading a version-5 database stores a served row's bytes once when no rule changed them") {
  test::temp_dir dir;
  const auto file = dir.path() / "m.db";
  {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &h) == SQLITE_OK);
    for (const auto& m : embedded::migrations().first(5)) {
      const std::string sql(m.content);
      REQUIRE(sqlite3_exec(h, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    }
    const char* rows =
        "PRAGMA user_version = 5;"
        "INSERT INTO server_versions VALUES ('a/plain', '1.0.0', '{\"v\":1}', 'active', NULL, 't', 0, 't', 0, 't', 0, "
        "1, 'upstream', 0, 0, 1);"
        "INSERT INTO server_versions VALUES ('a/ruled', '1.0.0', '{\"v\":2}', 'active', NULL, 't', 0, 't', 0, 't', 0, "
        "1, 'upstream', 0, 0, 2);"
        "INSERT INTO served_versions VALUES ('a/plain', '1.0.0', '{\"v\":1}', 'active', NULL, 't', 0, 't', 0, 't', 0, "
        "1, 'upstream', 0, 0, 1, NULL);"
        "INSERT INTO served_versions VALUES ('a/ruled', '1.0.0', '{\"v\":2,\"title\":\"T\"}', 'active', NULL, 't', 0, "
        "'t', 0, 't', 0, 1, 'upstream', 0, 0, 2, '{}');"
        "INSERT INTO served_versions VALUES ('b/local', '1.0.0', '{\"v\":3}', 'active', NULL, 't', 0, 't', 0, 't', 0, "
        "1, 'local', 0, 0, 3, NULL);";
    REQUIRE(sqlite3_exec(h, rows, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(h);
  }
  auto conn = store::connection::open(file, store::open_mode::read_write);
  REQUIRE(conn.schema_version() == store::latest_schema_version());
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(conn.handle(), "SELECT name, ifnull(server_json, 'NULL') FROM served_versions ORDER BY name",
                             -1, &s, nullptr) == SQLITE_OK);
  std::string stored;
  while (sqlite3_step(s) == SQLITE_ROW)
    stored += std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 0))) + "=" +
              reinterpret_cast<const char*>(sqlite3_column_text(s, 1)) + " ";
  sqlite3_finalize(s);
  CHECK(stored == R"(a/plain=NULL a/ruled={"v":2,"title":"T"} b/local={"v":3} )");

  store::reader r(std::move(conn));  // the served view by default
  CHECK(r.get("a/plain", "1.0.0", false)->data.server_json == R"({"v":1})");
  CHECK(r.get("a/ruled", "1.0.0", false)->data.server_json == R"({"v":2,"title":"T"})");
  model::list_query q;
  q.search = "LOC";
  const auto found = r.list(q);
  REQUIRE(found.size() == 1);
  CHECK(found[0].data.server_json == R"({"v":3})");
  CHECK(r.count_names() == 3);
}

TEST_CASE("0007 -> 0008: mirrored rows become the source \"upstream\"'s, the sync state moves under it") {
  test::temp_dir dir;
  const auto file = dir.path() / "m.db";
  {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &h) == SQLITE_OK);
    for (const auto& m : embedded::migrations().first(7)) {
      const std::string sql(m.content);
      REQUIRE(sqlite3_exec(h, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    }
    const char* rows =
        "PRAGMA user_version = 7;"
        "INSERT INTO server_versions VALUES ('a/plain', '1.0.0', '{\"v\":1}', 'active', NULL, 't', 0, 't', 0, 't', 0, "
        "1, 'upstream', 0, 0, 1, NULL);"
        "INSERT INTO served_versions VALUES ('a/plain', '1.0.0', NULL, 'active', NULL, 't', 0, 't', 0, 't', 0, "
        "1, 'upstream', 0, 0, 1, NULL, NULL);"
        "INSERT INTO served_versions VALUES ('b/local', '1.0.0', '{\"v\":3}', 'active', NULL, 't', 0, 't', 0, 't', 0, "
        "1, 'local', 0, 0, 3, NULL, NULL);"
        "INSERT INTO server_versions VALUES ('c/shared', '1.0.0', '{\"v\":4}', 'active', NULL, 't', 0, 't', 0, 't', 0, "
        "1, 'upstream', 0, 0, 4, NULL);"
        "INSERT INTO served_versions VALUES ('c/shared', '1.0.0', NULL, 'active', NULL, 't', 0, 't', 0, 't', 0, "
        "1, 'local', 0, 0, 4, NULL, NULL);"
        "INSERT INTO mirror_state VALUES ('sync.watermark_us', '42'), ('sync.upstream', 'http://up');";
    REQUIRE(sqlite3_exec(h, rows, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(h);
  }
  {
    auto w = store::writer::open(file);
    CHECK(w.sync_state("upstream").watermark_us == 42);
    CHECK(w.sync_state("upstream").upstream == "http://up");
    CHECK_FALSE(w.needs_recurate());  // the one-upstream view is current as it was
  }
  store::reader r(store::connection::open(file, store::open_mode::read_only));
  const auto plain = r.get("a/plain", "1.0.0", false);
  REQUIRE(plain);
  CHECK(plain->data.server_json == R"({"v":1})");  // shared bytes found through the origin
  CHECK(plain->origin == "upstream");
  CHECK(r.get("b/local", "1.0.0", false)->origin.empty());
  // A local server that shared a mirrored row's bytes (0006) keeps them: it has no source to share with.
  CHECK(r.get("c/shared", "1.0.0", false)->data.server_json == R"({"v":4})");
  CHECK(r.mirrored_versions("a/plain").at(0).origin == "upstream");
}
