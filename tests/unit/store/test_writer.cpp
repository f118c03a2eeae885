// store::writer: upserts by (name, version), isLatest repair, change sequence
// (docs/design-habits.md H7).
#include <doctest/doctest.h>

#include "model/timestamp.hpp"
#include "store/connection.hpp"
#include "store/reader.hpp"
#include "store/writer.hpp"
#include "support/rows.hpp"
#include "support/temp_dir.hpp"

using namespace mirror;
using namespace mirror::test;

namespace {

struct db {
  temp_dir dir;
  store::writer w = store::writer::open(dir.path() / "m.db");
  store::reader r = store::reader::open(dir.path() / "m.db");

  std::string latest(const std::string& name) {
    auto row = r.latest(name, true);
    return row ? row->data.version : "(none)";
  }
};

// A bare server.json as `import` sees it: no official block of its own.
store::incoming bare(const std::string& name, const std::string& version, std::int64_t now) {
  auto in = upstream_row(name, version, now, false);
  in.authoritative = false;
  return in;
}

}  // namespace

TEST_CASE("applying the same rows twice changes nothing the second time") {
  db d;
  std::vector<store::incoming> rows{upstream_row("a/x", "1.0.0", t0, false), upstream_row("a/x", "2.0.0", t0 + 1, true)};
  auto first = d.w.apply(rows, model::source::upstream, t0);
  CHECK(first.added == 2);
  auto second = d.w.apply(rows, model::source::upstream, t0 + 99);
  CHECK(second.added == 0);
  CHECK(second.changed == 0);
  CHECK(second.unchanged == 2);
  CHECK(second.latest_moved == 0);
  CHECK(second.change_seq == first.change_seq);
  CHECK(d.r.change_seq() == first.change_seq);
}

TEST_CASE("a declared latest flips the flag without the old latest being resent") {
  db d;
  d.w.apply(std::vector{upstream_row("a/x", "1.0.0", t0, true)}, model::source::upstream, t0);
  CHECK(d.latest("a/x") == "1.0.0");
  // Incremental page: only the new version, which upstream marks latest (the old row's flag
  // flipped upstream without its updatedAt moving, docs/upstream-api.md: Incremental sync and
  // latest).
  auto res = d.w.apply(std::vector{upstream_row("a/x", "2.0.0", t0 + 10, true)}, model::source::upstream, t0);
  CHECK(res.latest_moved == 1);
  CHECK(d.latest("a/x") == "2.0.0");
  CHECK_FALSE(d.r.get("a/x", "1.0.0", true)->data.official.is_latest);
}

TEST_CASE("deleting the latest version promotes the next highest (checklist 17, 19)") {
  db d;
  d.w.apply(std::vector{upstream_row("a/x", "1.0.0", t0, false), upstream_row("a/x", "2.0.0", t0 + 1, true)},
            model::source::upstream, t0);
  d.w.apply(std::vector{upstream_row("a/x", "2.0.0", t0 + 1, false, model::status::deleted, t0 + 50)},
            model::source::upstream, t0);
  CHECK(d.latest("a/x") == "1.0.0");
  // Restore 2.0.0: the upstream sends it back as latest.
  d.w.apply(std::vector{upstream_row("a/x", "2.0.0", t0 + 1, true, model::status::active, t0 + 60)},
            model::source::upstream, t0);
  CHECK(d.latest("a/x") == "2.0.0");
}

TEST_CASE("an authoritative page that says nothing about the latest keeps it") {
  db d;
  d.w.apply(std::vector{upstream_row("a/x", "1.0.0", t0, false), upstream_row("a/x", "2.0.0", t0 + 1, true)},
            model::source::upstream, t0);
  // 1.0.0 deprecated: the page carries only 1.0.0 with isLatest=false.
  d.w.apply(std::vector{upstream_row("a/x", "1.0.0", t0, false, model::status::deprecated, t0 + 5)},
            model::source::upstream, t0);
  CHECK(d.latest("a/x") == "2.0.0");
  CHECK(d.r.get("a/x", "1.0.0", false)->data.official.status == model::status::deprecated);
}

TEST_CASE("bare imports pick latest by the upstream rule and keep existing lifecycle data") {
  db d;
  d.w.apply(std::vector{bare("b/y", "1.0.0", t0), bare("b/y", "0.0.59", t0)}, model::source::import, t0);
  CHECK(d.latest("b/y") == "1.0.0");  // checklist 17: SemVer, not publish order
  d.w.apply(std::vector{bare("b/y", "0.0.60", t0 + 10)}, model::source::import, t0 + 10);
  CHECK(d.latest("b/y") == "1.0.0");
  // Non-SemVer versions compare by publish time; SemVer beats non-SemVer.
  d.w.apply(std::vector{bare("c/z", "snapshot-a", t0)}, model::source::import, t0);
  d.w.apply(std::vector{bare("c/z", "snapshot-b", t0 + 5)}, model::source::import, t0 + 5);
  CHECK(d.latest("c/z") == "snapshot-b");
  d.w.apply(std::vector{bare("c/z", "0.1.0", t0 + 6)}, model::source::import, t0 + 6);
  CHECK(d.latest("c/z") == "0.1.0");
  // Re-importing the same bytes later changes nothing, timestamps included.
  const auto before = d.r.get("b/y", "1.0.0", true)->data;
  auto res = d.w.apply(std::vector{bare("b/y", "1.0.0", t0 + 1000)}, model::source::import, t0 + 1000);
  CHECK(res.unchanged == 1);
  CHECK(d.r.get("b/y", "1.0.0", true)->data == before);
}

TEST_CASE("a bare import with new bytes keeps status and publishedAt, bumps updatedAt") {
  db d;
  d.w.apply(std::vector{upstream_row("a/x", "1.0.0", t0, true, model::status::deprecated)},
            model::source::upstream, t0);
  auto edited = bare("a/x", "1.0.0", t0 + 100);
  edited.data.server_json = server_json("a/x", "1.0.0", "edited description");
  auto res = d.w.apply(std::vector{edited}, model::source::import, t0 + 100);
  CHECK(res.changed == 1);
  auto row = d.r.get("a/x", "1.0.0", true)->data;
  CHECK(row.server_json == edited.data.server_json);
  CHECK(row.official.status == model::status::deprecated);
  CHECK(row.official.published_at.us == t0);
  CHECK(row.official.updated_at.us == t0 + 100);
  CHECK(row.official.is_latest);
}

TEST_CASE("every version deleted: the highest deleted keeps the flag (checklist 18)") {
  db d;
  d.w.apply(std::vector{upstream_row("a/x", "1.0.0", t0, false), upstream_row("a/x", "2.0.0", t0 + 1, true)},
            model::source::upstream, t0);
  d.w.apply(std::vector{upstream_row("a/x", "1.0.0", t0, false, model::status::deleted, t0 + 9),
                        upstream_row("a/x", "2.0.0", t0 + 1, false, model::status::deleted, t0 + 9)},
            model::source::upstream, t0);
  CHECK(d.latest("a/x") == "2.0.0");
  CHECK(d.r.latest("a/x", false) == std::nullopt);
}

TEST_CASE("a failed apply leaves nothing behind") {
  db d;
  d.w.apply(std::vector{upstream_row("a/x", "1.0.0", t0, true)}, model::source::upstream, t0);
  std::vector rows{upstream_row("a/y", "1.0.0", t0, true), upstream_row("a/z", "1.0.0", t0, true)};
  // Schema added by another connection: the writer's statements pick it up on their next run.
  store::connection::open(d.dir.path() / "m.db", store::open_mode::read_write)
      .exec("CREATE TRIGGER fail_z BEFORE INSERT ON server_versions WHEN NEW.name = 'a/z' "
            "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  CHECK_THROWS(d.w.apply(rows, model::source::upstream, t0));
  CHECK(d.r.get("a/y", "1.0.0", true) == std::nullopt);
  CHECK(d.r.count_versions() == 1);
  CHECK(d.latest("a/x") == "1.0.0");
}
