// Ranked search (0010_catalog_search.sql): random catalogs of names, titles, descriptions,
// packages and remotes, searched page by page through the reader with random words and
// filters, and compared with a model written out here: which entries match (every word a prefix
// of a word of the name, title or description; the facets of the latest version), in which
// order, and with which score (BM25 as SQLite's FTS5 defines it: k1 = 1.2, b = 0.75, the
// name's words weigh 10, the title's 5, the description's 1).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include "store/catalog_doc.hpp"
#include "store/reader.hpp"
#include "store/writer.hpp"
#include "support/rows.hpp"
#include "support/temp_dir.hpp"

using namespace mirror;
using namespace mirror::test;

namespace {

// Words that share prefixes, so a prefix finds several of them.
const std::vector<std::string> vocabulary = {"weather", "weathervane", "web",    "webhook", "post",  "postgres",
                                             "poster",  "git",         "github", "gitlab",  "slack", "search",
                                             "seal",    "memory",      "mem",    "files",   "file",  "browser",
                                             "docs",    "doc",         "k8s",    "kube",    "s3",    "sql"};
const std::vector<std::string> registry_types = {"npm", "pypi", "oci", "nuget", "mcpb"};
const std::vector<std::string> package_transports = {"stdio", "streamable-http", "sse"};
const std::vector<std::string> remote_types = {"streamable-http", "sse"};

struct entry {  // a name's latest version, as the model sees it
  std::string name, title, description;
  model::status status = model::status::active;
  std::set<std::string> types, transports;
  bool packages = false, remotes = false;
};

std::vector<std::string> words_of(const std::string& text) {  // unicode61 on ASCII text
  std::vector<std::string> out;
  std::string w;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!w.empty()) {
      out.push_back(w);
      w.clear();
    }
  }
  if (!w.empty()) out.push_back(w);
  return out;
}

std::string pick(std::mt19937& rng, const std::vector<std::string>& from) {
  return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
}

std::string sentence(std::mt19937& rng, int min_words, int max_words) {
  std::string s;
  const int n = std::uniform_int_distribution<int>(min_words, max_words)(rng);
  for (int i = 0; i < n; ++i) {
    if (i) s += i % 3 ? " " : ", ";
    s += pick(rng, vocabulary);
  }
  return s;
}

entry random_entry(std::mt19937& rng, const std::string& name) {
  entry e;
  e.name = name;
  std::uniform_int_distribution<int> coin(0, 1), die(0, 5);
  if (die(rng)) e.title = sentence(rng, 1, 3);
  e.description = sentence(rng, 0, 10);
  const int packages = die(rng) % 3, remotes = die(rng) % 2;
  for (int i = 0; i < packages; ++i) {
    e.types.insert(pick(rng, registry_types));
    e.transports.insert(pick(rng, package_transports));
  }
  for (int i = 0; i < remotes; ++i) e.transports.insert(pick(rng, remote_types));
  e.packages = packages > 0, e.remotes = remotes > 0;
  const int s = die(rng);
  e.status = s == 0 ? model::status::deleted : s == 1 ? model::status::deprecated : model::status::active;
  return e;
}

std::string json_of(const entry& e, const std::string& version, std::mt19937& rng) {
  std::string j = R"({"name":")" + e.name + R"(","version":")" + version + R"(","description":")" + e.description + '"';
  if (!e.title.empty()) j += R"(,"title":")" + e.title + '"';
  if (e.packages) {
    j += R"(,"packages":[)";
    // One package per type, each with one of the entry's transports (all of them covered).
    std::vector<std::string> types(e.types.begin(), e.types.end());
    std::vector<std::string> transports;
    for (const auto& t : e.transports)
      if (std::find(package_transports.begin(), package_transports.end(), t) != package_transports.end())
        transports.push_back(t);
    const std::size_t n = std::max(types.size(), transports.size());
    for (std::size_t i = 0; i < n; ++i) {
      if (i) j += ',';
      j += R"({"registryType":")" + types[std::min(i, types.size() - 1)] + R"(","identifier":"p)" +
           std::to_string(i) + R"(","transport":{"type":")" +
           (transports.empty() ? std::string("stdio") : transports[std::min(i, transports.size() - 1)]) + R"("}})";
    }
    j += ']';
  }
  if (e.remotes) {
    j += R"(,"remotes":[)";
    bool first = true;
    for (const auto& t : e.transports)
      if (std::find(remote_types.begin(), remote_types.end(), t) != remote_types.end()) {
        j += std::string(first ? "" : ",") + R"({"type":")" + t + R"(","url":"https://example.com/mcp"})";
        first = false;
      }
    if (first) j += R"({"type":"sse","url":"https://example.com/sse"})";
    j += ']';
  }
  (void)rng;
  return j + "}";
}

// The facets the stored JSON really carries (the model's own reading of what json_of wrote).
void settle_facets(entry& e) {
  if (e.packages && e.transports.empty()) e.transports.insert("stdio");
  if (e.remotes && std::none_of(e.transports.begin(), e.transports.end(), [](const std::string& t) {
        return std::find(remote_types.begin(), remote_types.end(), t) != remote_types.end();
      }))
    e.transports.insert("sse");
}

struct model_hit {
  double score;
  std::string name;
};

// FTS5's bm25() over every entry (the statistics cover the whole index, whatever the filters).
std::vector<model_hit> model_search(const std::map<std::string, entry>& catalog, const std::vector<std::string>& query,
                                    const store::catalog_filter& f) {
  struct doc {
    std::vector<std::string> cols[3];
    std::size_t size = 0;
  };
  std::map<std::string, doc> docs;
  double total = 0;
  for (const auto& [name, e] : catalog) {
    doc d{{words_of(name), words_of(e.title), words_of(e.description)}};
    for (const auto& c : d.cols) d.size += c.size();
    total += static_cast<double>(d.size);
    docs.emplace(name, std::move(d));
  }
  const double rows = static_cast<double>(docs.size()), avgdl = total / rows;
  const double weight[3] = {10.0, 5.0, 1.0}, k1 = 1.2, b = 0.75;
  auto hits_in = [](const std::vector<std::string>& words, const std::string& prefix) {
    return static_cast<double>(std::count_if(words.begin(), words.end(), [&](const std::string& w) { return w.starts_with(prefix); }));
  };
  std::vector<double> idf;
  for (const auto& q : query) {
    double n = 0;
    for (const auto& [name, d] : docs) n += (hits_in(d.cols[0], q) + hits_in(d.cols[1], q) + hits_in(d.cols[2], q)) > 0;
    const double v = std::log((rows - n + 0.5) / (n + 0.5));
    idf.push_back(v <= 0.0 ? 1e-6 : v);
  }
  std::vector<model_hit> out;
  for (const auto& [name, d] : docs) {
    const auto& e = catalog.at(name);
    const std::string status = e.status == model::status::deleted      ? "deleted"
                               : e.status == model::status::deprecated ? "deprecated"
                                                                       : "active";
    const std::string shape = e.packages && e.remotes ? "both" : e.packages ? "package" : e.remotes ? "remote" : "none";
    if (f.status ? status != *f.status : status == "deleted") continue;
    if ((f.shape && shape != *f.shape) || (f.registry_type && !e.types.count(*f.registry_type)) ||
        (f.transport && !e.transports.count(*f.transport)))
      continue;
    double score = 0;
    bool all = true;
    for (std::size_t i = 0; i < query.size(); ++i) {
      double freq = 0;
      for (int c = 0; c < 3; ++c) freq += weight[c] * hits_in(d.cols[c], query[i]);
      if (freq == 0) all = false;
      score += idf[i] * ((freq * (k1 + 1.0)) / (freq + k1 * (1 - b + b * static_cast<double>(d.size) / avgdl)));
    }
    if (all) out.push_back({-score, name});
  }
  std::sort(out.begin(), out.end(), [](const model_hit& a, const model_hit& b) {
    return a.score != b.score ? a.score < b.score : a.name < b.name;
  });
  return out;
}

std::vector<store::search_hit> all_pages(store::reader& r, store::search_query q) {
  std::vector<store::search_hit> got;
  for (int guard = 0; guard < 1000; ++guard) {
    auto page = r.search_names(q);
    got.insert(got.end(), page.begin(), page.end());
    if (static_cast<int>(page.size()) < q.limit) break;
    q.after = store::search_query::position{page.back().score, page.back().name};
  }
  return got;
}

}  // namespace

TEST_CASE("catalog search: ranking, prefixes and filters equal the model, page by page, as entries change") {
  std::mt19937 rng(20261203);
  temp_dir dir;
  auto w = store::writer::open(dir.path() / "m.db");
  auto r = store::reader::open(dir.path() / "m.db");

  std::map<std::string, entry> catalog;
  std::set<std::string> names;
  while (names.size() < 250) names.insert("io.github." + pick(rng, vocabulary) + "/" + pick(rng, vocabulary) + "-" + std::to_string(names.size()));
  std::int64_t now = t0;
  auto publish = [&](const std::string& name, int version) {
    auto e = random_entry(rng, name);
    settle_facets(e);
    const std::string v = "1.0." + std::to_string(version);
    auto in = upstream_row(name, v, now + version, true, e.status);
    in.data.server_json = json_of(e, v, rng);
    catalog[name] = e;
    return in;
  };
  std::vector<store::incoming> batch;
  for (const auto& n : names) {
    // An older version first, not latest: the entry is the latest one's.
    auto old = upstream_row(n, "0.9.0", now - 1, false);
    old.data.server_json = R"({"name":")" + n + R"(","version":"0.9.0","description":"zzold"})";
    batch.push_back(old);
    batch.push_back(publish(n, 0));
  }
  w.apply(batch, model::source::upstream, now);

  std::size_t compared = 0, ranked_queries = 0;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 60; ++i) {
      std::vector<std::string> words;
      const int n = std::uniform_int_distribution<int>(0, 2)(rng);
      for (int k = 0; k < n; ++k) {
        const std::string whole = pick(rng, vocabulary);
        const auto len = std::uniform_int_distribution<std::size_t>(1, whole.size())(rng);
        words.push_back(whole.substr(0, len));
      }
      store::catalog_filter f;
      std::uniform_int_distribution<int> die(0, 3);
      if (die(rng) == 0) f.registry_type = pick(rng, registry_types);
      if (die(rng) == 0) f.transport = pick(rng, package_transports);
      if (die(rng) == 0) f.shape = pick(rng, {"remote", "package", "both", "none"});
      if (die(rng) == 0) f.status = pick(rng, {"active", "deprecated", "deleted"});
      std::string text;
      for (const auto& word : words) text += (text.empty() ? "" : " - ") + word;
      CAPTURE(text);
      store::search_query q;
      q.words = store::prefix_query(text);
      q.filter = f;
      q.limit = 7;
      const auto got = all_pages(r, q);
      if (!q.words) {  // filters only: every matching entry, by name
        auto expected = model_search(catalog, {}, f);
        std::vector<std::string> want, have;
        for (const auto& e : expected) want.push_back(e.name);
        for (const auto& h : got) have.push_back(h.name);
        CHECK(have == want);
        continue;
      }
      ++ranked_queries;
      std::vector<std::string> lowered;
      for (const auto& word : words) lowered.push_back(words_of(word).at(0));
      const auto expected = model_search(catalog, lowered, f);
      REQUIRE(got.size() == expected.size());
      for (std::size_t k = 0; k < got.size(); ++k) {
        CHECK(got[k].name == expected[k].name);
        REQUIRE(got[k].score);
        CHECK(std::abs(*got[k].score - expected[k].score) <= 1e-9 * std::max(1.0, std::abs(expected[k].score)));
      }
      compared += got.size();
    }
    // New latest versions for a third of the names: the index follows them.
    batch.clear();
    now += 1'000'000;
    int version = round + 1;
    for (const auto& n : names)
      if (std::uniform_int_distribution<int>(0, 2)(rng) == 0) batch.push_back(publish(n, version));
    w.apply(batch, model::source::upstream, now);
  }
  CHECK(ranked_queries > 100);
  CHECK(compared > 1000);
}

TEST_CASE("catalog search: words split as the index splits them, and nothing to search for is no query") {
  CHECK(store::prefix_query("weather") == std::optional<std::string>(R"("weather"*)"));
  CHECK(store::prefix_query("  Git-Hub  s3") == std::optional<std::string>(R"("Git"* "Hub"* "s3"*)"));
  CHECK(store::prefix_query(R"(a"b OR c*)") == std::optional<std::string>(R"("a"* "b"* "OR"* "c"*)"));
  CHECK(store::prefix_query("caf\xc3\xa9") == std::optional<std::string>("\"caf\xc3\xa9\"*"));
  CHECK_FALSE(store::prefix_query(" -*\"() ").has_value());
  CHECK_FALSE(store::prefix_query("").has_value());
}

TEST_CASE("catalog search: an existing database's entries are made when the writer opens it") {
  temp_dir dir;
  {
    auto w = store::writer::open(dir.path() / "m.db");
    w.apply(std::vector<store::incoming>{upstream_row("io.github.a/weather", "1.0.0", t0, true)}, model::source::upstream, t0);
  }
  {  // as a migration leaves it: no entries, and the request to make them
    auto c = store::connection::open(dir.path() / "m.db", store::open_mode::read_write);
    c.exec("DELETE FROM catalog_search; DELETE FROM catalog_entries; "
           "INSERT INTO mirror_state (key, value) VALUES ('catalog.rebuild', '1')");
  }
  auto r = store::reader::open(dir.path() / "m.db");
  store::search_query q;
  q.words = store::prefix_query("weath");
  CHECK(r.search_names(q).empty());
  auto w = store::writer::open(dir.path() / "m.db");
  const auto hits = r.search_names(q);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].name == "io.github.a/weather");
  CHECK_FALSE(r.state("catalog.rebuild").has_value());
}
