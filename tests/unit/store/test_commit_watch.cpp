// store::commit_watch: every commit through another connection is seen by the next poll, with
// the change sequence it left; polls without a commit in between see nothing.
#include <doctest/doctest.h>

#include "store/commit_watch.hpp"
#include "store/reader.hpp"
#include "store/writer.hpp"
#include "support/rows.hpp"
#include "support/temp_dir.hpp"

using namespace mirror;
using namespace mirror::test;

TEST_CASE("commit_watch sees each commit of another connection once, with its change sequence") {
  temp_dir dir;
  const auto db = dir.path() / "m.db";
  auto w = store::writer::open(db);
  store::commit_watch watch(db);
  CHECK_FALSE(watch.poll().has_value());
  auto reader = store::reader::open(db);
  for (int i = 0; i < 50; ++i) {
    const std::vector<store::incoming> rows{upstream_row("com.example/s" + std::to_string(i), "1.0.0", t0, true)};
    w.apply(rows, model::source::upstream, t0);
    const auto seen = watch.poll();
    REQUIRE(seen.has_value());
    CHECK(*seen == reader.change_seq());
    CHECK_FALSE(watch.poll().has_value());  // nothing new since
  }
  // A transaction that changes nothing still commits: it may be seen, but the sequence stays.
  const auto before = reader.change_seq();
  const std::vector<store::incoming> same{upstream_row("com.example/s0", "1.0.0", t0, true)};
  w.apply(same, model::source::upstream, t0);
  if (const auto seen = watch.poll()) CHECK(*seen == before);
  CHECK_FALSE(watch.poll().has_value());
}
