// The stored change sequence: one strict parser for every reader of it. A value that is not a
// number (a hand edit, damage) is a store::error, which callers report as a database failure,
// never std::invalid_argument from deep inside a request or a sync run.
#include <doctest/doctest.h>

#include "store/change_seq.hpp"
#include "store/connection.hpp"
#include "store/error.hpp"
#include "store/reader.hpp"
#include "store/writer.hpp"
#include "support/rows.hpp"
#include "support/temp_dir.hpp"

using namespace mirror;
using namespace mirror::test;

namespace {
// A hand edit by another connection: the store's own API never writes such a value.
void damage(const std::filesystem::path& db, std::string_view key, std::string_view value) {
  store::connection::open(db, store::open_mode::read_write)
      .exec("INSERT INTO mirror_state (key, value) VALUES ('" + std::string(key) + "', '" + std::string(value) +
            "') ON CONFLICT (key) DO UPDATE SET value = excluded.value");
}
}  // namespace

TEST_CASE("change_seq_value accepts a whole decimal number of 0 or more and nothing else") {
  CHECK(store::change_seq_value("0") == 0);
  CHECK(store::change_seq_value("9007199254740993") == 9007199254740993);
  for (const auto* bad : {"", "-1", "12abc", " 1", "1 ", "0x10", "99999999999999999999"})
    CHECK_THROWS_AS(store::change_seq_value(bad), store::error);
  // The same check for any integer kept in mirror_state, naming the key.
  CHECK(store::stored_integer("sync.watermark_us", "1750000000000000") == 1750000000000000);
  CHECK_THROWS_WITH_AS(store::stored_integer("sync.watermark_us", "soon"),
                       "mirror_state sync.watermark_us is not a number of 0 or more: 'soon'", store::error);
}

TEST_CASE("a damaged change_seq fails reader and writer with a store::error, and writes nothing") {
  temp_dir dir;
  const auto db = dir.path() / "m.db";
  auto w = store::writer::open(db);
  damage(db, "change_seq", "12abc");
  auto r = store::reader::open(db);
  CHECK_THROWS_AS(r.change_seq(), store::error);
  const std::vector<store::incoming> rows{upstream_row("com.example/s", "1.0.0", t0, true)};
  CHECK_THROWS_AS(w.apply(rows, model::source::upstream, t0), store::error);
  CHECK(r.count_versions() == 0);  // the transaction rolled back
}

TEST_CASE("the sync state is typed: written fields read back, a damaged number is a store::error naming its key") {
  temp_dir dir;
  const auto db = dir.path() / "m.db";
  auto w = store::writer::open(db);
  auto r = store::reader::open(db);
  CHECK(r.sync_state().empty());  // a new database: nothing recorded
  w.apply({}, model::source::upstream, t0,
          {.sync = {.watermark_us = t0, .upstream = "http://up.example", .last_error = ""}});
  auto s = r.sync_state();
  CHECK(s.watermark_us == t0);
  CHECK(s.upstream == "http://up.example");
  CHECK(s.last_error == "");
  CHECK_FALSE(s.last_success_us);
  // Only the fields that are set are written: a failed run records its error, the watermark stays.
  w.apply({}, model::source::upstream, t0, {.sync = {.last_attempt_us = t0 + 1, .last_error = "HTTP 503"}});
  s = w.sync_state();
  CHECK(s.watermark_us == t0);
  CHECK(s.last_attempt_us == t0 + 1);
  CHECK(s.last_error == "HTTP 503");
  damage(db, "source.upstream.last_success_us", "-5");
  CHECK_THROWS_WITH_AS(r.sync_state(), doctest::Contains("source.upstream.last_success_us"), store::error);
  CHECK_THROWS_AS(w.sync_state(), store::error);
}
