// The change feed rows written by store::writer::apply (0003_changes.sql): one per applied change,
// under the sequence number apply assigns, kinds, retention.
#include <doctest/doctest.h>

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
};

std::string describe(const store::change& c) {
  return c.kind + " " + c.name + " " + c.version.value_or("-");
}

}  // namespace

TEST_CASE("apply records one change per applied change, with the sequence it assigns") {
  db d;
  std::vector<store::incoming> first{upstream_row("a/x", "1.0.0", t0, true)};
  auto r1 = d.w.apply(first, model::source::upstream, t0);
  auto feed = d.r.changes(0, 100);
  REQUIRE(feed.size() == 2);
  CHECK(describe(feed[0]) == "added a/x 1.0.0");
  CHECK(describe(feed[1]) == "latest_moved a/x 1.0.0");
  CHECK(feed[1].seq == r1.change_seq);
  CHECK(feed[0].seq < feed[1].seq);
  CHECK(feed[0].at_us == t0);

  // Unchanged rows record nothing.
  d.w.apply(first, model::source::upstream, t0 + 1);
  CHECK(d.r.changes(r1.change_seq, 100).empty());

  // A new latest version, then a status change that moves the latest back.
  std::vector<store::incoming> second{upstream_row("a/x", "1.0.0", t0, false), upstream_row("a/x", "2.0.0", t0 + 5, true)};
  auto r2 = d.w.apply(second, model::source::upstream, t0 + 10);
  feed = d.r.changes(r1.change_seq, 100);
  REQUIRE(feed.size() == 2);
  CHECK(describe(feed[0]) == "added a/x 2.0.0");
  CHECK(describe(feed[1]) == "latest_moved a/x 2.0.0");

  auto deleted = upstream_row("a/x", "2.0.0", t0 + 5, false);
  deleted.data.official.status = model::status::deleted;
  std::vector<store::incoming> third{deleted, upstream_row("a/x", "1.0.0", t0, true)};
  auto r3 = d.w.apply(third, model::source::upstream, t0 + 20);
  feed = d.r.changes(r2.change_seq, 100);
  REQUIRE(feed.size() == 2);
  CHECK(describe(feed[0]) == "status_changed a/x 2.0.0");
  CHECK(describe(feed[1]) == "latest_moved a/x 1.0.0");
  CHECK(feed.back().seq == r3.change_seq);

  // A byte edit is `changed`.
  auto edited = upstream_row("a/x", "1.0.0", t0, true);
  edited.data.server_json = R"({"name":"a/x","version":"1.0.0","description":"edited"})";
  std::vector<store::incoming> fourth{edited};
  d.w.apply(fourth, model::source::upstream, t0 + 30);
  feed = d.r.changes(r3.change_seq, 100);
  REQUIRE(feed.size() == 1);
  CHECK(describe(feed[0]) == "changed a/x 1.0.0");

  // Paging: seq > since, at most limit.
  auto all = d.r.changes(0, 100);
  CHECK(all.size() == 7);
  auto page = d.r.changes(all[2].seq, 2);
  REQUIRE(page.size() == 2);
  CHECK(page[0].seq == all[3].seq);
  CHECK(page[1].seq == all[4].seq);
}

TEST_CASE("dropping seed rows records `removed` per row - old changes are pruned by retention") {
  db d;
  d.w.set_change_retention(std::chrono::hours(24));
  std::vector<store::incoming> seed{upstream_row("s/a", "0.0.1-seed", t0, true), upstream_row("s/b", "0.0.1-seed", t0, true)};
  d.w.apply(seed, model::source::seed, t0);
  CHECK(d.r.changes(0, 100).size() == 4);
  const std::int64_t day = 24LL * 3600 * 1'000'000;
  std::vector<store::incoming> up{upstream_row("u/a", "1.0.0", t0, true)};
  store::apply_options o;
  o.drop_seed_rows = true;
  auto r = d.w.apply(up, model::source::upstream, t0 + 2 * day, o);
  auto feed = d.r.changes(0, 100);  // the seed's own rows are older than a day: pruned
  REQUIRE(feed.size() == 4);
  CHECK(describe(feed[0]) == "removed s/a 0.0.1-seed");
  CHECK(describe(feed[1]) == "removed s/b 0.0.1-seed");
  CHECK(describe(feed[2]) == "added u/a 1.0.0");
  CHECK(describe(feed[3]) == "latest_moved u/a 1.0.0");
  CHECK(feed[3].seq == r.change_seq);
  CHECK(feed[0].seq > 4);  // sequence numbers are never reused after pruning
}
