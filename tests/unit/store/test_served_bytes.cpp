// A served row stores its bytes only where a rule changed them (0006_served_bytes_shared.sql):
// otherwise it shares the mirrored row's, and every read, refresh and change record behaves as if
// it held its own copy.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include "store/reader.hpp"
#include "store/writer.hpp"
#include "support/rows.hpp"
#include "support/temp_dir.hpp"

using namespace mirror;
using namespace mirror::test;

namespace {

// Appends a title to the servers of names under "r/": a rule that rewrites bytes.
class titling_curator final : public store::curator {
 public:
  std::vector<store::served> serve(std::string_view name, std::span<const store::row> mirrored,
                                   std::int64_t) const override {
    std::vector<store::served> out;
    for (const auto& m : mirrored) {
      store::served s{m.data, m.source, std::nullopt, false};
      if (name.starts_with("r/")) {
        s.data.server_json.insert(s.data.server_json.size() - 1, R"(,"title":"T")");
        s.curation = R"({"rules":[]})";
      }
      out.push_back(std::move(s));
    }
    return out;
  }
  std::vector<std::string> own_names() const override { return {}; }
  std::string hash() const override { return "titling"; }
  bool time_dependent() const override { return false; }
};

struct db {
  temp_dir dir;
  store::writer w = store::writer::open(dir.path() / "m.db");
  store::reader r = store::reader::open(dir.path() / "m.db");

  // The raw served server_json column: "NULL" when shared.
  std::string stored(const std::string& name, const std::string& version) {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open_v2((dir.path() / "m.db").c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(h, "SELECT ifnull(server_json, 'NULL') FROM served_versions WHERE name = ?1 AND version = ?2",
                       -1, &s, nullptr);
    sqlite3_bind_text(s, 1, name.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, version.c_str(), -1, SQLITE_TRANSIENT);
    std::string out = sqlite3_step(s) == SQLITE_ROW ? reinterpret_cast<const char*>(sqlite3_column_text(s, 0)) : "(none)";
    sqlite3_finalize(s);
    sqlite3_close(h);
    return out;
  }
  std::string served(const std::string& name) { return r.get(name, "1.0.0", true)->data.server_json; }
  std::size_t changes() { return r.changes(0, 1000).size(); }
};

store::incoming with_description(const std::string& name, const std::string& description, std::int64_t updated) {
  auto in = upstream_row(name, "1.0.0", t0, true, model::status::active, updated);
  in.data.server_json = server_json(name, "1.0.0", description);
  return in;
}

}  // namespace

TEST_CASE("served bytes: shared with the mirrored row until a rule changes them, back when it stops") {
  db d;
  d.w.apply(std::vector{with_description("a/x", "one", t0), with_description("r/y", "one", t0)},
            model::source::upstream, t0);
  CHECK(d.stored("a/x", "1.0.0") == "NULL");
  CHECK(d.served("a/x") == server_json("a/x", "1.0.0", "one"));

  d.w.set_curator(std::make_shared<titling_curator>());
  d.w.recurate(t0 + 1);
  CHECK(d.stored("a/x", "1.0.0") == "NULL");
  CHECK(d.stored("r/y", "1.0.0").find(R"("title":"T")") != std::string::npos);
  CHECK(d.served("r/y") == d.stored("r/y", "1.0.0"));

  d.w.set_curator(nullptr);  // no rules: the bytes are shared again
  d.w.recurate(t0 + 2);
  CHECK(d.stored("r/y", "1.0.0") == "NULL");
  CHECK(d.served("r/y") == server_json("r/y", "1.0.0", "one"));
}

TEST_CASE("served bytes: a mirrored byte change under a shared row is served and recorded") {
  db d;
  d.w.apply(std::vector{with_description("a/x", "one", t0)}, model::source::upstream, t0);
  const auto before = d.changes();
  // The upstream changes the bytes; here even without moving updatedAt, so only the bytes say so.
  d.w.apply(std::vector{with_description("a/x", "two", t0)}, model::source::upstream, t0 + 1);
  CHECK(d.served("a/x") == server_json("a/x", "1.0.0", "two"));
  CHECK(d.stored("a/x", "1.0.0") == "NULL");
  const auto feed = d.r.changes(0, 1000);
  REQUIRE(feed.size() == before + 1);
  CHECK(feed.back().kind == "changed");
  CHECK(feed.back().name == "a/x");
  CHECK(d.r.get("a/x", "1.0.0", false)->last_changed_us == t0 + 1);
}
