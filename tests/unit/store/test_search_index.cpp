// The trigram index behind `search` (0005_search_index.sql) changes how candidates are found,
// never the answer: random names (ASCII in both cases, the upstream's wildcard characters,
// quotes, non-ASCII, bytes that are not UTF-8) and random terms (1 to 8 characters, cut from
// names with their case flipped, or made up) are searched through the reader, page by page
// with every filter, and compared with a plain walk over every stored row that applies the
// upstream's rule written out here: an ASCII-case-insensitive substring of the name.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <set>

#include "store/reader.hpp"
#include "store/search_index.hpp"
#include "store/writer.hpp"
#include "support/rows.hpp"
#include "support/temp_dir.hpp"

using namespace mirror;
using namespace mirror::test;

namespace {

char flip_case(char c) {
  if (c >= 'a' && c <= 'z') return static_cast<char>(c - 'a' + 'A');
  if (c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
  return c;
}

// The upstream's rule, independent of mirror_contains and of the index.
bool name_matches(const std::string& name, const std::string& term) {
  auto lower = [](std::string s) {
    for (char& c : s)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
  };
  return lower(name).find(lower(term)) != std::string::npos;
}

const std::vector<std::string> pieces = {"a", "b", "Z", "x", "ab", "AB", "weather", "Wea", "%", "_", "\\",
                                         "\"", "'", "-", ".", "/", "\xc3\xa9", "\xc3\x89", "\xe6\x97\xa5",
                                         "\xe2\x84\xaa" /* KELVIN SIGN, folds to k */, "k", "\xff", "\xc3"};

std::string random_text(std::mt19937& rng, int min_pieces, int max_pieces) {
  std::uniform_int_distribution<int> count(min_pieces, max_pieces);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::string s;
  for (int i = count(rng); i > 0; --i) s += pieces[pick(rng)];
  return s;
}

}  // namespace

TEST_CASE("search: the trigram index gives the same pages as a plain walk, for random names and terms") {
  std::mt19937 rng(20261202);
  temp_dir dir;
  auto w = store::writer::open(dir.path() / "m.db");
  auto r = store::reader::open(dir.path() / "m.db");

  // ~600 names, 1–3 versions each; some deleted, so include_deleted matters.
  std::set<std::string> names;
  while (names.size() < 600) names.insert("io.github." + random_text(rng, 1, 4) + "/" + random_text(rng, 1, 5));
  std::vector<std::pair<std::string, std::string>> all;  // (name, version) of every stored row
  std::set<std::pair<std::string, std::string>> deleted;
  std::vector<store::incoming> batch;
  std::uniform_int_distribution<int> versions(1, 3), one_in_six(0, 5);
  for (const auto& name : names) {
    const int n = versions(rng);
    for (int v = 0; v < n; ++v) {
      const std::string version = "1.0." + std::to_string(v);
      const bool gone = one_in_six(rng) == 0;
      batch.push_back(upstream_row(name, version, t0 + v, v == n - 1, gone ? model::status::deleted : model::status::active));
      all.emplace_back(name, version);
      if (gone) deleted.emplace(name, version);
    }
  }
  w.apply(batch, model::source::upstream, t0);
  std::sort(all.begin(), all.end());

  // Terms: slices of stored names with some case flipped, and made-up text.
  std::vector<std::string> terms;
  std::uniform_int_distribution<std::size_t> which(0, all.size() - 1);
  std::uniform_int_distribution<int> len(1, 8), coin(0, 1);
  for (int i = 0; i < 150; ++i) {
    const std::string& name = all[which(rng)].first;
    const std::size_t l = std::min<std::size_t>(static_cast<std::size_t>(len(rng)), name.size());
    std::string t = name.substr(std::uniform_int_distribution<std::size_t>(0, name.size() - l)(rng), l);
    for (char& c : t)
      if (coin(rng)) c = flip_case(c);
    terms.push_back(t);
  }
  for (int i = 0; i < 100; ++i) terms.push_back(random_text(rng, 1, 3));
  terms.insert(terms.end(), {"io.", "IO.GITHUB.", "wEaThEr", "\xe2\x84\xaa", "K", "\"\"\"", "%_\\"});

  std::size_t indexed_terms = 0, compared_rows = 0;
  for (const auto& term : terms) {
    CAPTURE(term);
    const auto before = r.indexed_searches();
    for (const bool include_deleted : {false, true}) {
      std::vector<std::pair<std::string, std::string>> expected;
      for (const auto& row : all)
        if (name_matches(row.first, term) && (include_deleted || !deleted.count(row)))
          expected.push_back(row);
      model::list_query q;
      q.search = term;
      q.include_deleted = include_deleted;
      q.limit = 7;  // several pages, so cursors take part
      std::vector<std::pair<std::string, std::string>> got;
      for (store::page_walk walk(r, q); auto page = walk.next();)
        for (const auto& row : *page) got.emplace_back(row.data.name, row.data.version);
      CHECK(got == expected);
      compared_rows += got.size();
    }
    if (r.indexed_searches() > before) ++indexed_terms;
  }
  // The comparison means something only if both plans ran.
  CHECK(indexed_terms >= 50);
  CHECK(indexed_terms < terms.size());
  CHECK(compared_rows > 1000);
}

TEST_CASE("search: the index follows names as they come and go") {
  temp_dir dir;
  auto w = store::writer::open(dir.path() / "m.db");
  auto r = store::reader::open(dir.path() / "m.db");
  model::list_query q;
  q.search = "zebra";
  const auto found = [&] {
    std::vector<std::string> out;
    for (const auto& row : r.list(q)) out.push_back(row.data.name);
    return out;
  };
  w.apply(std::vector{upstream_row("io.github.a/ZEBRA-one", "1.0.0", t0, true)}, model::source::upstream, t0);
  CHECK(found() == std::vector<std::string>{"io.github.a/ZEBRA-one"});
  w.apply(std::vector{upstream_row("io.github.b/zebra", "1.0.0", t0, true)}, model::source::upstream, t0);
  CHECK(found() == std::vector<std::string>{"io.github.a/ZEBRA-one", "io.github.b/zebra"});
  CHECK(r.indexed_searches() == 2);
}

TEST_CASE("search: which terms the index can look up, and with which trigrams") {
  CHECK(store::trigram_query("abc") == "\"abc\"");
  CHECK(store::trigram_query("abcd") == "\"abc\" AND \"bcd\"");
  CHECK(store::trigram_query("abcdef") == "\"abc\" AND \"def\"");
  CHECK(store::trigram_query("abcdefg") == "\"abc\" AND \"def\" AND \"efg\"");
  CHECK(store::trigram_query("a\"bc") == "\"a\"\"b\" AND \"\"\"bc\"");
  CHECK_FALSE(store::trigram_query("ab"));
  CHECK_FALSE(store::trigram_query("\xc3\xa9\xc3\xa9"));          // two characters, four bytes
  CHECK(store::trigram_query("\xc3\xa9\xc3\xa9x") == "\"\xc3\xa9\xc3\xa9x\"");
  CHECK_FALSE(store::trigram_query("ab\xff"));                    // not UTF-8
  CHECK_FALSE(store::trigram_query("abc\xc3"));                   // truncated sequence
}
