// config::parse: defaults, overrides, and errors that name file, line, column and key (H12).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "config/config.hpp"
#include "support/temp_dir.hpp"

using namespace mirror;

namespace {

config::error error_of(std::string_view yaml) {
  auto r = config::parse(yaml, "mirror.yaml");
  REQUIRE(std::holds_alternative<config::error>(r));
  return std::get<config::error>(r);
}

config::mirror_config ok(std::string_view yaml) {
  auto r = config::parse(yaml, "mirror.yaml");
  if (auto* e = std::get_if<config::error>(&r)) FAIL(e->to_string());
  return std::get<config::mirror_config>(r);
}

}  // namespace

TEST_CASE("an empty file means every default") {
  auto c = ok("");
  CHECK(c.listen_host == "127.0.0.1");
  CHECK(c.listen_port == 8080);
  CHECK(c.data_dir == "./data");
  CHECK(c.http.reader_threads == 2);
  CHECK(c.http.read_timeout == std::chrono::seconds(30));
}

TEST_CASE("the shipped example parses and restates the defaults") {
  std::ifstream in(std::string(MIRROR_SOURCE_DIR) + "/config/mirror.example.yaml");
  std::stringstream text;
  text << in.rdbuf();
  auto c = ok(text.str());
  config::mirror_config d;
  CHECK(c.listen_port == d.listen_port);
  CHECK(c.meta_namespace == d.meta_namespace);
  CHECK(c.http.cache_bytes == d.http.cache_bytes);
  CHECK(c.http.idle_timeout == d.http.idle_timeout);
  CHECK(c.http.max_header_bytes == d.http.max_header_bytes);
  CHECK(c.http.cache_max_age == d.http.cache_max_age);
  CHECK(c.changes.retention == d.changes.retention);
  CHECK(c.http.max_connections == d.http.max_connections);
  CHECK(c.http.max_connections_per_client == d.http.max_connections_per_client);
  CHECK(c.http.max_queued_requests == d.http.max_queued_requests);
  CHECK(c.http.reader_mmap_bytes == d.http.reader_mmap_bytes);
}

TEST_CASE("reader_mmap_bytes: 1 GiB by default, 0 turns the memory map off, bounded") {
  CHECK(ok("").http.reader_mmap_bytes == 1ULL << 30);
  CHECK(ok("http:\n  reader_mmap_bytes: 0\n").http.reader_mmap_bytes == 0);
  CHECK(error_of("http:\n  reader_mmap_bytes: -1\n").key == "http.reader_mmap_bytes");
}

TEST_CASE("caching and change-feed keys - durations take days") {
  auto c = ok("http:\n  cache_max_age: 5m\nchanges:\n  retention: 7d\n");
  CHECK(c.http.cache_max_age == std::chrono::minutes(5));
  CHECK(c.changes.retention == std::chrono::hours(7 * 24));
  CHECK(error_of("changes:\n  retention: 10m\n").key == "changes.retention");
  CHECK(error_of("changes:\n  keep: 1d\n").key == "changes.keep");
}

TEST_CASE("values override defaults, durations take units") {
  auto c = ok("listen: '[::1]:9000'\ndata_dir: /var/lib/m\nhttp:\n  read_timeout: 250ms\n  idle_timeout: 2m\n");
  CHECK(c.listen_host == "::1");
  CHECK(c.listen_port == 9000);
  CHECK(c.data_dir == "/var/lib/m");
  CHECK(c.http.read_timeout == std::chrono::milliseconds(250));
  CHECK(c.http.idle_timeout == std::chrono::minutes(2));
}

TEST_CASE("errors name file, line, column and key path") {
  auto unknown = error_of("listen: 127.0.0.1:1\nhttp:\n  reader_thread: 3\n");
  CHECK(unknown.to_string() == "mirror.yaml:3:3: http.reader_thread: unknown key");
  auto bad_duration = error_of("http:\n  read_timeout: soon\n");
  CHECK(bad_duration.line == 2);
  CHECK(bad_duration.key == "http.read_timeout");
  auto bad_listen = error_of("listen: localhost\n");
  CHECK(bad_listen.key == "listen");
  // A host name is refused up front (the server binds addresses, it resolves nothing).
  CHECK(error_of("listen: localhost:8080\n").key == "listen");
  CHECK(ok("listen: \"[::1]:8080\"\n").listen_host == "::1");
  CHECK(error_of("http: 5\n").key == "http");
  CHECK(error_of("http:\n  reader_threads: 0\n").message == "must be between 1 and 64");
  CHECK(error_of("seed_when_empty: maybe\n").key == "seed_when_empty");
  CHECK(error_of("log_level: loud\n").key == "log_level");
}

TEST_CASE("YAML syntax errors keep yaml-cpp's message") {
  auto e = error_of("listen: [unclosed\n");
  CHECK(e.key == "(syntax)");
  CHECK(!e.message.empty());
  CHECK(e.file == "mirror.yaml");
}

TEST_CASE("a repeated key, a key without a value and the curation_file key") {
  CHECK(error_of("listen: 127.0.0.1:1\nhttp: {reader_threads: 2}\nlisten: 127.0.0.1:2\n").to_string() ==
        "mirror.yaml:3:1: listen: repeated key (first at line 1)");
  CHECK(error_of("http:\n  reader_threads: 2\n  reader_threads: 3\n").key == "http.reader_threads");
  CHECK(error_of("curation_file:\n").to_string() == "mirror.yaml:1:1: curation_file: has no value");
  CHECK(ok("curation_file: /etc/mcp-mirror/curation.yaml\n").curation_file == "/etc/mcp-mirror/curation.yaml");
  CHECK(ok("").curation_file.empty());
}

TEST_CASE("load resolves a relative curation_file and admin_token_file against the config's directory") {
  mirror::test::temp_dir tmp;
  const auto dir = tmp.path();
  std::ofstream(dir / "mirror.yaml") << "curation_file: curation.yaml\nadmin_token_file: /abs/token\n"
                                        "views:\n  - {name: v, curation_file: v.yaml, token_file: v.tokens}\n";
  auto loaded = config::load(dir / "mirror.yaml");
  REQUIRE(std::holds_alternative<config::mirror_config>(loaded));
  CHECK(std::get<config::mirror_config>(loaded).curation_file == dir / "curation.yaml");
  CHECK(std::get<config::mirror_config>(loaded).admin_token_file == "/abs/token");
  CHECK(std::get<config::mirror_config>(loaded).views.at(0).curation_file == dir / "v.yaml");
  CHECK(std::get<config::mirror_config>(loaded).views.at(0).token_file == dir / "v.tokens");
}

// Hostile values: every integer is range-checked as 64 bits before it is narrowed, every duration
// is checked before it is multiplied, and both are capped, so nothing a file says can wrap into
// an accepted value.
TEST_CASE("integers that would wrap into range when cast to 32 bits are errors") {
  CHECK(error_of("http:\n  reader_threads: 4294967297\n").to_string() ==
        "mirror.yaml:2:19: http.reader_threads: must be between 1 and 64");
  CHECK(error_of("upstream:\n  jitter_percent: 4294967296\n").key == "upstream.jitter_percent");
  CHECK(error_of("upstream:\n  page_limit: 4294967396\n").message == "must be between 1 and 100");
  CHECK(error_of("snapshot:\n  min_share_percent: 4294967386\n").message == "must be between 0 and 100");
  CHECK(error_of("upstream:\n  max_attempts: 4294967297\n").message == "must be between 1 and 100");
  CHECK(error_of("http:\n  max_header_bytes: 4294968320\n").key == "http.max_header_bytes");
  CHECK(error_of("http:\n  max_connections: 0\n").key == "http.max_connections");
  CHECK(error_of("http:\n  max_connections_per_client: 0\n").key == "http.max_connections_per_client");
  CHECK(error_of("http:\n  max_queued_requests: 0\n").key == "http.max_queued_requests");
  // Past 64 bits: from_chars reports out of range, which is "too large", not "not an integer".
  CHECK(error_of("http:\n  cache_bytes: 18446744073709551616\n").message ==
        "\"18446744073709551616\" is too large");
}

TEST_CASE("durations that would overflow are errors, and every duration is capped") {
  CHECK(error_of("http:\n  read_timeout: 200000d\n").to_string() ==
        "mirror.yaml:2:17: http.read_timeout: \"200000d\" is longer than the maximum of 3650d");
  CHECK(error_of("http:\n  idle_timeout: 18446744073709551s\n").key == "http.idle_timeout");
  CHECK(error_of("http:\n  idle_timeout: 99999999999999999999999ms\n").key == "http.idle_timeout");
  CHECK(error_of("upstream:\n  run_deadline: 3651d\n").key == "upstream.run_deadline");
  auto ok = config::parse("http:\n  read_timeout: 3650d\nchanges:\n  retention: 87600h\n", "m.yaml");
  REQUIRE(std::holds_alternative<config::mirror_config>(ok));
  CHECK(std::get<config::mirror_config>(ok).http.read_timeout == std::chrono::hours(24 * 3650));
}

TEST_CASE("sources: an ordered list of named sources, each with the upstream keys - upstream: is one named upstream") {
  auto c = ok("sources:\n"
              "  - name: partner\n    url: http://partner.internal:8080\n    interval: 5m\n    requests_per_second: 20\n"
              "  - name: official\n    url: https://registry.modelcontextprotocol.io\n    sync: false\n");
  const auto all = config::sources(c);
  REQUIRE(all.size() == 2);
  CHECK(all[0].name == "partner");
  CHECK(all[0].upstream.url == "http://partner.internal:8080");
  CHECK(all[0].upstream.interval == std::chrono::minutes(5));
  CHECK(all[0].upstream.requests_per_second == 20);
  CHECK(all[1].name == "official");
  CHECK_FALSE(all[1].upstream.sync);
  CHECK(all[1].upstream.interval == std::chrono::hours(1));  // defaults per source
  CHECK(config::any_sync(c));

  auto legacy = config::sources(ok("upstream:\n  url: http://up.internal\n"));
  REQUIRE(legacy.size() == 1);
  CHECK(legacy[0].name == "upstream");
  CHECK(legacy[0].upstream.url == "http://up.internal");
  CHECK_FALSE(config::any_sync(ok("upstream:\n  sync: false\n")));
}

TEST_CASE("sources: errors name the entry and key") {
  auto both = error_of("upstream:\n  url: http://a\nsources:\n  - {name: b, url: http://b}\n");
  CHECK(both.key == "sources");
  CHECK(both.message.find("either upstream:") != std::string::npos);
  CHECK(error_of("sources:\n  - {name: b, url: http://b}\nupstream:\n  url: http://a\n").key == "upstream");
  CHECK(error_of("sources: []\n").key == "sources");
  CHECK(error_of("sources:\n  - {url: http://b}\n").message == "a source needs a name");
  CHECK(error_of("sources:\n  - {name: b}\n").message == "a source needs a url");
  auto dup = error_of("sources:\n  - {name: b, url: http://b}\n  - {name: b, url: http://c}\n");
  CHECK(dup.key == "sources[1].name");
  CHECK(dup.line == 3);
  CHECK(error_of("sources:\n  - {name: Big, url: http://b}\n").key == "sources[0].name");
  CHECK(error_of("sources:\n  - {name: -x, url: http://b}\n").key == "sources[0].name");
  CHECK(error_of("sources:\n  - {name: b, url: ftp://b}\n").key == "sources[0].url");
  CHECK(error_of("sources:\n  - {name: b, url: http://b, interval: 5s}\n").key == "sources[0].interval");
  CHECK(error_of("sources:\n  - {name: b, url: http://b, colour: red}\n").key == "sources[0].colour");
}

TEST_CASE("views: a list of named views with their own curation and token files - errors name the entry and key") {
  auto c = ok("views:\n"
              "  - name: platform\n"
              "  - name: contractors\n"
              "    curation_file: c.yaml\n"
              "    token_file: c.tokens\n");
  REQUIRE(c.views.size() == 2);
  CHECK(c.views[0].name == "platform");
  CHECK(c.views[0].curation_file.empty());
  CHECK(c.views[0].token_file.empty());
  CHECK(c.views[1].curation_file == "c.yaml");
  CHECK(c.views[1].token_file == "c.tokens");
  CHECK(ok("views: []\n").views.empty());
  CHECK(error_of("views:\n  - {curation_file: a.yaml}\n").message == "a view needs a name");
  auto dup = error_of("views:\n  - {name: a}\n  - {name: a}\n");
  CHECK(dup.key == "views[1].name");
  CHECK(dup.line == 3);
  CHECK(error_of("views:\n  - {name: A}\n").key == "views[0].name");
  CHECK(error_of("views:\n  - {name: a/b}\n").key == "views[0].name");
  CHECK(error_of("views:\n  - {name: a, colour: red}\n").key == "views[0].colour");
  CHECK(error_of("views: platform\n").key == "views");
}
