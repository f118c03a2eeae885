// Several sources (0008_sources.sql): each source's rows are mirrored apart; a name is served from
// the first configured source that holds it, all of that source's versions and none of the
// others', with its provenance; reordering or removing a source re-serves from what is already
// mirrored, with no resync.
#include <doctest/doctest.h>

#include "render/server_response.hpp"
#include "store/precedence.hpp"
#include "store/reader.hpp"
#include "store/writer.hpp"
#include "support/rows.hpp"
#include "support/temp_dir.hpp"

using namespace mirror;
using namespace mirror::test;

namespace {

struct two_sources {
  temp_dir dir;
  store::writer w = store::writer::open(dir.path() / "m.db");

  two_sources() {
    w.set_sources({"partner", "official"});
    const std::vector<store::incoming> official{upstream_row("io.github.x/both", "2.0.0", t0, true),
                                                upstream_row("io.github.x/both", "1.0.0", t0 - 10, false),
                                                upstream_row("io.github.x/official-only", "1.0.0", t0, true)};
    const std::vector<store::incoming> partner{upstream_row("io.github.x/both", "0.9.0", t0, true),
                                               upstream_row("io.github.x/partner-only", "3.0.0", t0, true)};
    w.apply(official, model::source::upstream, t0, {.origin = "official"});
    w.apply(partner, model::source::upstream, t0, {.origin = "partner"});
  }
  store::reader read() { return store::reader::open(dir.path() / "m.db"); }
  std::vector<std::string> versions(const std::string& name) {
    std::vector<std::string> out;
    for (const auto& r : read().versions(name, true)) out.push_back(r.data.version + "@" + r.origin);
    return out;
  }
};

std::string rendered_meta(const store::row& r) {
  const auto body = render::render_server_response(r, {"x/mirror", ""});
  return body.substr(body.find("\"x/mirror\""));
}

}  // namespace

TEST_CASE("sources: a name is served from the first source holding it, with its provenance") {
  two_sources s;
  CHECK(s.versions("io.github.x/both") == std::vector<std::string>{"0.9.0@partner"});
  CHECK(s.versions("io.github.x/official-only") == std::vector<std::string>{"1.0.0@official"});
  CHECK(s.versions("io.github.x/partner-only") == std::vector<std::string>{"3.0.0@partner"});
  auto both = s.read().latest("io.github.x/both", false);
  REQUIRE(both);
  CHECK(both->shadows == R"(["official"])");
  CHECK(rendered_meta(*both).starts_with(R"("x/mirror":{"source":"partner","shadows":["official"],"changedAt":)"));
  auto alone = s.read().latest("io.github.x/official-only", false);
  REQUIRE(alone);
  CHECK_FALSE(alone->shadows);
  CHECK(rendered_meta(*alone).starts_with(R"("x/mirror":{"source":"official","changedAt":)"));
  // Every source's rows stay mirrored.
  CHECK(s.read().count_versions() == 3);
  CHECK(store::reader::open(s.dir.path() / "m.db", store::view::mirrored, 0, "official").count_versions() == 3);
  CHECK(store::reader::open(s.dir.path() / "m.db", store::view::mirrored, 0, "partner").count_versions() == 2);
}

TEST_CASE("sources: reordering and removing a source re-serves from the mirrored rows, recorded in the feed") {
  two_sources s;
  const auto before = s.w.change_seq();
  s.w.set_sources({"official", "partner"});
  REQUIRE(s.w.needs_recurate());
  s.w.recurate(t0 + 1);
  CHECK(s.versions("io.github.x/both") == std::vector<std::string>{"2.0.0@official", "1.0.0@official"});
  CHECK(s.read().latest("io.github.x/both", false)->shadows == R"(["partner"])");
  CHECK(s.w.change_seq() > before);
  CHECK_FALSE(s.w.needs_recurate());

  s.w.set_sources({"official"});  // partner removed: its names go, its rows stay
  s.w.recurate(t0 + 2);
  CHECK(s.versions("io.github.x/partner-only").empty());
  CHECK_FALSE(s.read().latest("io.github.x/both", false)->shadows);
  CHECK(store::reader::open(s.dir.path() / "m.db", store::view::mirrored, 0, "partner").count_versions() == 2);

  s.w.set_sources({"partner", "official"});  // back: no resync needed
  s.w.recurate(t0 + 3);
  CHECK(s.versions("io.github.x/both") == std::vector<std::string>{"0.9.0@partner"});
  CHECK(s.versions("io.github.x/partner-only") == std::vector<std::string>{"3.0.0@partner"});
}

TEST_CASE("sources: a source's sync state and its rows are its own") {
  two_sources s;
  s.w.apply({}, model::source::upstream, t0, {.sync = {.watermark_us = t0, .upstream = "http://p"}, .origin = "partner"});
  CHECK(s.w.sync_state("partner").upstream == "http://p");
  CHECK_FALSE(s.w.sync_state("official").upstream);
  // A later version from the shadowed source changes nothing served, but is mirrored.
  const std::vector<store::incoming> more{upstream_row("io.github.x/both", "3.0.0", t0 + 5, true)};
  const auto seq = s.w.change_seq();
  s.w.apply(more, model::source::upstream, t0 + 5, {.origin = "official"});
  CHECK(s.versions("io.github.x/both") == std::vector<std::string>{"0.9.0@partner"});
  CHECK(s.w.change_seq() == seq);
  CHECK(store::reader::open(s.dir.path() / "m.db", store::view::mirrored, 0, "official").count_versions() == 4);
}

TEST_CASE("pick_source: first holder wins, later holders are shadowed, unknown sources are ignored") {
  auto row_of = [](std::string origin, std::string version) {
    store::row r;
    r.origin = std::move(origin);
    r.data.version = std::move(version);
    return r;
  };
  const std::vector<store::row> all{row_of("gone", "9"), row_of("b", "1"), row_of("c", "2"), row_of("b", "3")};
  const std::vector<std::string> order{"a", "b", "c"};
  auto p = store::pick_source(all, order);
  CHECK(p.origin == "b");
  CHECK(p.rows.size() == 2);
  CHECK(p.shadowed == std::vector<std::string>{"c"});
  CHECK(store::shadows_json(p.shadowed) == R"(["c"])");
  CHECK(store::pick_source(all, std::vector<std::string>{"x"}).rows.empty());
}
