// import::import_stream: a JSON-lines file read and decoded a part at a time (parts of a few
// hundred bytes here) stores exactly what import_bytes stores for the same bytes, reports the
// same skipped lines, holds only a part of the file at a time, and is still all-or-nothing.
#include <doctest/doctest.h>

#include <sstream>
#include <tuple>

#include "import/importer.hpp"
#include "import_db.hpp"
#include "import/stream_import.hpp"
#include "store/reader.hpp"
#include "support/stored_versions.hpp"
#include "support/temp_dir.hpp"

using namespace mirror;

namespace {

constexpr std::int64_t t0 = test::import_t0;
using db = test::import_db;

std::string bare(const std::string& name, const std::string& version) {
  return R"({"$schema":"https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json","name":")" +
         name + R"(","description":"d","version":")" + version + R"("})";
}

// 300 good lines of 60 names (each name's versions spread over the whole file, so its latest is
// settled across parts), with bad lines, blank lines and CRLF among them, a BOM in front and no
// newline at the end.
std::string mixed_file() {
  std::string f = "\xEF\xBB\xBF";
  for (int i = 0; i < 300; ++i) {
    f += bare("io.github.t/n" + std::to_string(i % 60), "1." + std::to_string(i / 60) + ".0");
    f += i % 7 == 0 ? "\r\n" : "\n";
    if (i % 37 == 0) f += "not json\n";
    if (i % 41 == 0) f += "\n  \n";
    if (i % 53 == 0) f += "[1,2]\n";
    if (i % 59 == 0) f += R"({"name":"io.github.t/missing-version","description":"d"})" "\n";
  }
  f += bare("io.github.t/last", "2.0.0");  // no final newline
  return f;
}

using stored = std::tuple<std::string, std::string, bool, std::string, std::string>;
std::vector<stored> contents(store::reader& r) {
  std::vector<stored> out;
  for (const auto& v : test::stored_versions(r))
    out.emplace_back(v.name, v.version, v.official.is_latest, v.server_json, std::string(model::to_string(v.official.status)));
  return out;
}

void check_same(const import::report& a, const import::report& b) {
  CHECK(a.rejected == b.rejected);
  CHECK(a.error == b.error);
  CHECK(a.decoded == b.decoded);
  REQUIRE(a.skipped.size() == b.skipped.size());
  for (std::size_t i = 0; i < a.skipped.size(); ++i) {
    CHECK(a.skipped[i].index == b.skipped[i].index);
    CHECK(a.skipped[i].reason == b.skipped[i].reason);
  }
  CHECK(a.applied.added == b.applied.added);
  CHECK(a.applied.changed == b.applied.changed);
  CHECK(a.applied.unchanged == b.applied.unchanged);
  CHECK(a.applied.latest_moved == b.applied.latest_moved);
}

}  // namespace

TEST_CASE("stream import: JSON lines a part at a time store what import_bytes stores") {
  const std::string file = mixed_file();
  db whole, parts;
  const auto expected = import::import_bytes(whole.w, file, model::source::import, t0);
  REQUIRE_FALSE(expected.rejected);
  REQUIRE(expected.skipped.size() > 10);
  std::istringstream in(file);
  const auto got = import::import_stream(parts.w, in, model::source::import, t0, {.part_bytes = 256});
  CHECK(got.streamed);
  check_same(got, expected);
  CHECK(contents(parts.r) == contents(whole.r));
  CHECK(contents(parts.r).size() == 301);
  // Only a part (plus the line it cut) was ever held: the memory cap, not the file's size.
  CHECK(got.max_buffered_bytes <= 2 * 256 + 200);
  CHECK(file.size() > 40 * got.max_buffered_bytes);
  // Again: nothing changes, as with import_bytes.
  std::istringstream again(file);
  const auto second = import::import_stream(parts.w, again, model::source::import, t0 + 1);
  CHECK(second.applied.unchanged == 301);
  CHECK(second.applied.added + second.applied.changed == 0);
}

TEST_CASE("stream import: a JSON-lines file with no object line is rejected and stores nothing") {
  const std::string file = std::string(R"({"name":"io.github.t/a","description":"d","version":"1.0.0"})") + "\n" +
                           std::string(2000, 'x') + "\n[1]\n";
  // The first line is an object, so the file streams: the lines after it are not objects...
  db whole, parts;
  const auto expected = import::import_bytes(whole.w, file, model::source::import, t0);
  std::istringstream in(file);
  const auto got = import::import_stream(parts.w, in, model::source::import, t0, {.part_bytes = 64});
  check_same(got, expected);
  // ...and one with no object at all, decided at its end after every part was added.
  const std::string none = R"({"a":1})" "\n" + std::string("\"text\"\n") + "[2]\n";
  db whole2, parts2;
  const auto expected2 = import::import_bytes(whole2.w, none, model::source::import, t0);
  std::istringstream in2(none);
  const auto got2 = import::import_stream(parts2.w, in2, model::source::import, t0, {.part_bytes = 4});
  CHECK(got2.streamed);
  check_same(got2, expected2);
  CHECK(contents(parts2.r).empty());
}

TEST_CASE("stream import: a failure while parts are being added rolls every part back") {
  db d;
  std::istringstream seed_in(bare("io.github.t/kept", "1.0.0") + "\n");
  REQUIRE_FALSE(import::import_stream(d.w, seed_in, model::source::import, t0).rejected);
  // A stream that fails (an I/O error) after a few parts have been added.
  struct failing_buf : std::stringbuf {
    explicit failing_buf(std::string s) : std::stringbuf(std::move(s)) {}
    int calls = 0;
    std::streamsize xsgetn(char* s, std::streamsize n) override {
      if (++calls > 4) throw std::ios_base::failure("disk gone");
      return std::stringbuf::xsgetn(s, n);
    }
  } buf(mixed_file());
  std::istream in(&buf);
  in.exceptions(std::ios::badbit);
  CHECK_THROWS(import::import_stream(d.w, in, model::source::import, t0, {.part_bytes = 256}));
  CHECK(contents(d.r).size() == 1);  // only what was there before
}

TEST_CASE("stream import: a line longer than the limit is a bad entry, skipped without being held") {
  const std::string file = bare("io.github.t/a", "1.0.0") + "\n" + std::string(50'000, ' ') + "{}\n" +
                           bare("io.github.t/b", "1.0.0") + "\n";
  db d;
  std::istringstream in(file);
  const auto got = import::import_stream(d.w, in, model::source::import, t0, {.part_bytes = 512, .max_line_bytes = 4096});
  CHECK(got.streamed);
  REQUIRE(got.skipped.size() == 1);
  CHECK(got.skipped[0].index == 1);
  CHECK(got.skipped[0].reason == "line longer than 4096 bytes");
  CHECK(got.max_buffered_bytes < 4096 + 2 * 512);
  CHECK(contents(d.r).size() == 2);
}

TEST_CASE("stream import: single-document shapes are read whole and decoded as import_bytes does") {
  const std::string array = "[" + bare("io.github.t/a", "1.0.0") + "," + bare("io.github.t/b", "1.0.0") + "]";
  const std::string pretty = "{\n  \"name\": \"io.github.t/p\",\n  \"description\": \"d\",\n  \"version\": \"1.0.0\"\n}\n";
  const std::string list = R"({"servers":[{"server":)" + bare("io.github.t/s", "1.0.0") + R"(}],"metadata":{"count":1}})";
  for (const auto& file : {array, pretty, list, std::string(), std::string("   \n")}) {
    CAPTURE(file);
    db whole, parts;
    const auto expected = import::import_bytes(whole.w, file, model::source::import, t0);
    std::istringstream in(file);
    const auto got = import::import_stream(parts.w, in, model::source::import, t0, {.part_bytes = 16});
    CHECK_FALSE(got.streamed);
    check_same(got, expected);
    CHECK(contents(parts.r) == contents(whole.r));
  }
}
