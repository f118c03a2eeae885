#include <doctest/doctest.h>

#include <vector>

#include "model/latest.hpp"

using namespace mirror::model;

namespace {
// Candidates listed in publish order with increasing publish times.
std::vector<latest_candidate> published(std::initializer_list<std::string_view> versions) {
  std::vector<latest_candidate> out;
  std::int64_t t = 1'000'000;
  for (auto v : versions) out.push_back({v, t += 1'000'000, false});
  return out;
}

std::string_view latest_of(const std::vector<latest_candidate>& c) {
  const auto i = pick_latest(c);
  REQUIRE(i.has_value());
  return c[*i].version;
}

void set_deleted(std::vector<latest_candidate>& c, std::string_view version, bool deleted) {
  for (auto& x : c)
    if (x.version == version) x.deleted = deleted;
}
}  // namespace

TEST_CASE("no candidates, no latest") {
  CHECK_FALSE(pick_latest(std::span<const latest_candidate>{}).has_value());
}

TEST_CASE("a single candidate is latest, deleted or not") {
  CHECK(latest_of(published({"1.0.0"})) == "1.0.0");
  auto c = published({"snapshot"});
  c[0].deleted = true;
  CHECK(latest_of(c) == "snapshot");
}

TEST_CASE("item 17: publishing 0.0.59 after 1.0.0 keeps 1.0.0 latest - deleting 1.0.0 promotes 0.0.59") {
  auto c = published({"1.0.0", "0.0.59"});
  CHECK(latest_of(c) == "1.0.0");

  set_deleted(c, "1.0.0", true);
  CHECK(latest_of(c) == "0.0.59");

  c.push_back({"0.0.60", 10'000'000, false});
  CHECK(latest_of(c) == "0.0.60");
}

TEST_CASE("item 18: with every version deleted the highest deleted one keeps the flag") {
  auto c = published({"1.0.0", "2.0.0", "0.0.59"});
  for (auto& x : c) x.deleted = true;
  CHECK(latest_of(c) == "2.0.0");
}

TEST_CASE("item 19: deleting latest 2.0.0 promotes 1.0.0, restoring it takes the flag back") {
  auto c = published({"1.0.0", "2.0.0"});
  CHECK(latest_of(c) == "2.0.0");
  set_deleted(c, "2.0.0", true);
  CHECK(latest_of(c) == "1.0.0");
  set_deleted(c, "2.0.0", false);
  CHECK(latest_of(c) == "2.0.0");
}

TEST_CASE("a live lower version beats a deleted higher one") {
  auto c = published({"0.1.0", "9.9.9"});
  set_deleted(c, "9.9.9", true);
  CHECK(latest_of(c) == "0.1.0");
  // Also when the live one is not SemVer.
  auto d = published({"snapshot", "9.9.9"});
  set_deleted(d, "9.9.9", true);
  CHECK(latest_of(d) == "snapshot");
}

TEST_CASE("a later non-SemVer publish does not beat a SemVer version") {
  CHECK(latest_of(published({"1.0.0", "snapshot"})) == "1.0.0");
  CHECK(latest_of(published({"snapshot", "0.0.1", "nightly"})) == "0.0.1");
}

TEST_CASE("among non-SemVer versions the latest publish wins") {
  CHECK(latest_of(published({"alpha", "snapshot", "beta"})) == "beta");
  auto c = published({"alpha", "snapshot", "beta"});
  c[1].published_us = 99'000'000;  // span order is not publish order
  CHECK(latest_of(c) == "snapshot");
}

TEST_CASE("a backport or a late prerelease does not become latest") {
  CHECK(latest_of(published({"2.0.0", "1.2.4"})) == "2.0.0");
  CHECK(latest_of(published({"1.2.3", "1.2.3-1"})) == "1.2.3");
  CHECK(latest_of(published({"1.0.0-alpha.2", "1.0.0-alpha.10"})) == "1.0.0-alpha.10");
}

TEST_CASE("ties go to the candidate later in the span") {
  // Build metadata is ignored, so these compare equal; the later one wins either way round.
  std::vector<latest_candidate> c{{"1.0.0+a", 5, false}, {"1.0.0+b", 1, false}};
  CHECK(*pick_latest(c) == 1);
  std::vector<latest_candidate> d{{"1.0.0+b", 1, false}, {"1.0.0+a", 5, false}};
  CHECK(*pick_latest(d) == 1);
  std::vector<latest_candidate> e{{"x", 7, false}, {"y", 7, false}, {"z", 7, true}};
  CHECK(*pick_latest(e) == 1);
}
