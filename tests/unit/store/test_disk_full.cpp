// A full disk (SQLITE_FULL, made with PRAGMA max_page_count on the writer's connection) during
// an apply and a re-curation: a store::error that names the file and says "full", the
// transaction rolled back whole (same rows, integrity ok), the writer usable, and the same
// work succeeding once there is room again.
#include <doctest/doctest.h>

#include <tuple>

#include "store/error.hpp"
#include "store/reader.hpp"
#include "store/writer.hpp"
#include "support/db_probe.hpp"
#include "support/rows.hpp"
#include "support/temp_dir.hpp"

using namespace mirror;
using namespace mirror::test;

namespace {

// Every served description gets a prefix: a rule change that rewrites every served row.
class prefix_curator final : public store::curator {
 public:
  std::vector<store::served> serve(std::string_view, std::span<const store::row> mirrored,
                                   std::int64_t) const override {
    std::vector<store::served> out;
    for (const auto& r : mirrored) {
      store::served s;
      s.data = r.data;
      const auto at = s.data.server_json.find("\"description\":\"");
      if (at != std::string::npos) s.data.server_json.insert(at + 15, std::string(400, 'c'));
      s.curation = R"({"rules":[{"id":"prefix","changed":["description"]}]})";
      out.push_back(std::move(s));
    }
    return out;
  }
  std::vector<std::string> own_names() const override { return {}; }
  std::string hash() const override { return "prefix-v1"; }
  bool time_dependent() const override { return false; }
};

std::vector<store::incoming> big_rows(const std::string& prefix, int n, const std::string& version) {
  std::vector<store::incoming> rows;
  for (int i = 0; i < n; ++i) {
    auto r = upstream_row(prefix + std::to_string(i), version, t0 + i, true);
    r.data.server_json = server_json(r.data.name, version, std::string(1500, 'd'));
    rows.push_back(std::move(r));
  }
  return rows;
}

// No more pages than the file has now: the next transaction that needs one fails SQLITE_FULL.
void fill_disk(store::writer& w) { w.set_page_limit(1); }  // clamps to the current size
void free_disk(store::writer& w) { w.set_page_limit(1073741823); }

// A database holding `versions` big rows, its writer, a second connection to look at it, and
// the digest of what it holds now.
struct filled {
  explicit filled(int versions)
      : applied(w.apply(big_rows("io.github.a/s", versions, "1.0.0"), model::source::upstream, t0)) {}
  temp_dir dir;
  std::filesystem::path file = dir.path() / "m.db";
  store::writer w = store::writer::open(file);
  store::apply_result applied;  // initialised in this order: after w, before the digest
  db_probe probe{file};
  std::string before = probe.digest();
};

}  // namespace

TEST_CASE("disk full during apply: a named error, nothing written, and the next apply succeeds") {
  filled f(20);
  auto [w, file, probe, before] = std::tie(f.w, f.file, f.probe, f.before);

  fill_disk(w);
  const auto more = big_rows("io.github.b/s", 200, "1.0.0");
  std::string message;
  try {
    w.apply(more, model::source::upstream, t0 + 1, {.sync = {.watermark_us = 123}});
  } catch (const store::error& e) {
    message = e.what();
  }
  CHECK(message == file.string() + ": database or disk is full");
  CHECK(probe.digest() == before);  // rows, served view, change feed, watermark: all as before
  CHECK(probe.integrity() == "ok");

  free_disk(w);
  const auto applied = w.apply(more, model::source::upstream, t0 + 1);
  CHECK(applied.added == 200);
  CHECK(probe.count("server_versions") == 220);
  CHECK(probe.integrity() == "ok");
}

TEST_CASE("disk full during a re-curation: the old served view and its rules' hash stay") {
  filled f(60);
  auto [w, file, probe, before] = std::tie(f.w, f.file, f.probe, f.before);

  fill_disk(w);
  w.set_curator(std::make_shared<prefix_curator>());
  CHECK(w.needs_recurate());
  CHECK_THROWS_WITH_AS(w.recurate(t0 + 1), (file.string() + ": database or disk is full").c_str(), store::error);
  CHECK(probe.digest() == before);
  CHECK(probe.integrity() == "ok");
  CHECK(w.needs_recurate());  // the hash rolled back with the rows: a later start retries it

  free_disk(w);
  const auto r = w.recurate(t0 + 1);
  CHECK(r.curated == 60);
  CHECK_FALSE(w.needs_recurate());
  CHECK(probe.digest() != before);
  CHECK(probe.integrity() == "ok");
}
