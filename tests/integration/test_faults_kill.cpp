// SIGKILL at random moments of `import` (a large file), `import SNAPSHOT`, `export` and a
// curation reload (SIGHUP to `serve`) — sync has its own crash test. Each operation first runs
// to completion once, which gives the "new" state and its duration T; then each trial starts
// from a copy of the same "old" data dir and is killed after a random delay in [0, 1.2 T].
// After every kill the database opens, passes PRAGMA integrity_check, and holds exactly the
// old or the new state (db_probe::digest), never a mix. An export killed part-way never looks
// like a snapshot. The delays come from a seeded RNG (MIRROR_FAULT_SEED overrides the seed);
// a failure prints the seed and the delay.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <random>
#include <thread>

#include "app/mirror_app.hpp"
#include "snapshot/import.hpp"
#include "support/child_process.hpp"
#include "support/db_probe.hpp"
#include "support/temp_dir.hpp"

using namespace mirror;
using namespace mirror::test;
namespace fs = std::filesystem;
using std::chrono::microseconds;

namespace {

using clock_type = std::chrono::steady_clock;

std::uint32_t fault_seed() {
  if (const char* s = std::getenv("MIRROR_FAULT_SEED")) return static_cast<std::uint32_t>(std::stoul(s));
  return 20'261'202;
}

// A bare work area: config, files, data dirs; the binary's command lines.
struct area {
  temp_dir dir;
  fs::path config = dir.path() / "mirror.yaml";
  fs::path curation = dir.path() / "curation.yaml";

  explicit area(const std::string& log_level = "off") {
    write_text(curation, "rules: []\n");
    write_text(config, "log_level: " + log_level + "\ncuration_file: curation.yaml\nupstream: {sync: false}\n");
  }
  std::vector<std::string> cmd(std::initializer_list<std::string> rest, const fs::path& data) const {
    std::vector<std::string> a{MIRROR_BINARY};
    a.insert(a.end(), rest);
    a.insert(a.end(), {"--config", config.string(), "--data-dir", data.string()});
    return a;
  }
  void must_succeed(std::vector<std::string> args) const {
    child_process p(std::move(args));
    const auto f = p.finish();
    if (f.exit_code != 0) throw std::runtime_error("setup command failed: " + f.err);
  }
  fs::path fresh_copy(const fs::path& from, const std::string& name) const {
    const auto to = dir.path() / name;
    fs::remove_all(to);
    fs::copy(from, to, fs::copy_options::recursive);
    return to;
  }
};

std::string digest_of(const fs::path& data) {
  db_probe probe(app::database_path(data));
  return probe.digest();
}

// Runs `args` to its end; its duration.
clock_type::duration timed_run(const std::vector<std::string>& args) {
  const auto start = clock_type::now();
  child_process p(args);
  const auto f = p.finish();
  REQUIRE(f.exit_code == 0);
  return clock_type::now() - start;
}

// Starts `args`, sleeps `delay`, SIGKILLs it (if it has not ended); true when it was killed.
bool kill_after(const std::vector<std::string>& args, microseconds delay) {
  child_process p(args);
  std::this_thread::sleep_for(delay);
  p.signal(SIGKILL);
  return p.wait() == -1;
}

microseconds random_delay(std::mt19937& rng, clock_type::duration full_run) {
  const auto span = std::chrono::duration_cast<microseconds>(full_run).count() * 12 / 10;
  return microseconds(std::uniform_int_distribution<std::int64_t>(0, std::max<std::int64_t>(span, 1))(rng));
}

// After a kill: the database opens, is intact, and is the old or the new state.
void check_old_or_new(const fs::path& data, const std::string& old_digest, const std::string& new_digest,
                      int& olds, int& news) {
  db_probe probe(app::database_path(data));
  REQUIRE(probe.integrity() == "ok");
  const auto d = probe.digest();
  CHECK((d == old_digest || d == new_digest));
  if (d == old_digest) ++olds;
  if (d == new_digest) ++news;
}

constexpr int trials = 8;

// `import what` into copies of `base`: once to its end (the new state, and T), then `trials`
// times killed after a random delay; each time the old state or the new one.
void kill_imports(const area& a, const fs::path& base, const fs::path& what, std::uint32_t seed, const char* label) {
  MESSAGE("MIRROR_FAULT_SEED=" << fault_seed());
  std::mt19937 rng(seed);
  const auto old_digest = digest_of(base);
  const auto done = a.fresh_copy(base, "done");
  const auto full_run = timed_run(a.cmd({"import", what.string()}, done));
  const auto new_digest = digest_of(done);
  REQUIRE(new_digest != old_digest);
  int killed = 0, olds = 0, news = 0;
  for (int i = 0; i < trials; ++i) {
    const auto delay = random_delay(rng, full_run);
    CAPTURE(seed);
    CAPTURE(delay.count());
    const auto data = a.fresh_copy(base, "trial");
    killed += kill_after(a.cmd({"import", what.string()}, data), delay);
    check_old_or_new(data, old_digest, new_digest, olds, news);
  }
  MESSAGE(std::string(label) << ": full run " << std::chrono::duration_cast<std::chrono::milliseconds>(full_run).count() << " ms, "
                << killed << " killed, " << olds << " old, " << news << " new");
}

}  // namespace

TEST_CASE("kill: import of a large file is all or nothing") {
  area a;
  const auto base = a.dir.path() / "base";
  const auto first = a.dir.path() / "first.jsonl";
  const auto large = a.dir.path() / "large.jsonl";
  write_text(first, versions_jsonl("io.github.k/s", 500, "1.0.0"));
  write_text(large, versions_jsonl("io.github.k/s", 1500, "2.0.0", 300));  // new versions of old names too
  a.must_succeed(a.cmd({"import", first.string()}, base));
  kill_imports(a, base, large, fault_seed(), "import");
}

TEST_CASE("kill: import SNAPSHOT is all or nothing") {
  area a;
  const auto base = a.dir.path() / "base";
  const auto other = a.dir.path() / "other";
  const auto snap = a.dir.path() / "snapshot";
  const auto first = a.dir.path() / "first.jsonl";
  const auto large = a.dir.path() / "large.jsonl";
  write_text(first, versions_jsonl("io.github.k/s", 500, "1.0.0"));
  write_text(large, versions_jsonl("io.github.k/s", 1500, "1.0.0", 300));  // changed bytes of the same versions
  a.must_succeed(a.cmd({"import", first.string()}, base));
  a.must_succeed(a.cmd({"import", large.string()}, other));
  a.must_succeed(a.cmd({"export", "--out", snap.string()}, other));
  kill_imports(a, base, snap, fault_seed() + 1, "import SNAPSHOT");
}

TEST_CASE("kill: an export killed part-way never looks like a snapshot, also over an older export") {
  const auto seed = fault_seed() + 2;
  MESSAGE("MIRROR_FAULT_SEED=" << seed - 2);
  std::mt19937 rng(seed);
  area a;
  const auto data = a.dir.path() / "data";
  const auto small = a.dir.path() / "small.jsonl";
  const auto large = a.dir.path() / "large.jsonl";
  write_text(small, versions_jsonl("io.github.old/s", 10, "1.0.0"));
  write_text(large, versions_jsonl("io.github.k/s", 1500, "1.0.0", 300));
  a.must_succeed(a.cmd({"import", small.string()}, data));
  const auto older = a.dir.path() / "older-export";
  a.must_succeed(a.cmd({"export", "--out", older.string()}, data));  // an export of an earlier state
  const auto older_data = read_text(older / "servers.jsonl");
  a.must_succeed(a.cmd({"import", large.string()}, data));
  const auto complete = a.dir.path() / "complete";
  const auto full_run = timed_run(a.cmd({"export", "--out", complete.string()}, data));
  const auto complete_data = read_text(complete / "servers.jsonl");
  const auto scratch = a.dir.path() / "scratch";
  a.must_succeed(a.cmd({"import", small.string()}, scratch));

  int killed = 0, incomplete = 0, finished = 0;
  for (int i = 0; i < trials; ++i) {
    const auto delay = random_delay(rng, full_run);
    const bool over_older = i % 2 == 1;
    CAPTURE(seed);
    CAPTURE(delay.count());
    CAPTURE(over_older);
    const auto out = a.dir.path() / "out";
    fs::remove_all(out);
    if (over_older) fs::copy(older, out, fs::copy_options::recursive);
    killed += kill_after(a.cmd({"export", "--out", out.string()}, data), delay);
    if (fs::exists(out / "manifest.json")) {
      // A manifest means a complete snapshot: the new export's, or (killed before it began) the
      // older one untouched. Never an old manifest over new data, or the reverse.
      const auto data_bytes = read_text(out / "servers.jsonl");
      CHECK((data_bytes == complete_data || (over_older && data_bytes == older_data)));
      CHECK(std::holds_alternative<snapshot::verified>(
          snapshot::verify(read_text(out / "manifest.json"), data_bytes, 1'760'000'000'000'000)));
      ++finished;
    } else if (fs::exists(out)) {
      // `import` refuses it and changes nothing.
      ++incomplete;
      const auto before = digest_of(scratch);
      child_process p(a.cmd({"import", out.string()}, scratch));
      const auto f = p.finish();
      CHECK(f.exit_code == 1);
      CHECK(f.err.find("without manifest.json") != std::string::npos);
      CHECK(digest_of(scratch) == before);
    }
  }
  MESSAGE("export: full run " << std::chrono::duration_cast<std::chrono::milliseconds>(full_run).count() << " ms, "
                              << killed << " killed, " << incomplete << " incomplete, " << finished << " complete");
}

TEST_CASE("kill: a curation reload (SIGHUP) killed mid-rebuild: old view, new view, or marked and rebuilt at start") {
  const auto seed = fault_seed() + 3;
  MESSAGE("MIRROR_FAULT_SEED=" << seed - 3);
  std::mt19937 rng(seed);
  area a("info");
  const auto base = a.dir.path() / "base";
  const auto large = a.dir.path() / "large.jsonl";
  write_text(large, versions_jsonl("io.github.k/s", 1500, "1.0.0", 300));
  a.must_succeed(a.cmd({"import", large.string()}, base));  // the served view under `rules: []`
  const std::string new_rules = R"(rules:
  - id: npm-mirror
    rewrite:
      - {field: registry_base_url, from: "", to: "https://npm.internal.example", registry_type: npm}
  - id: hide-some
    match: {name: "io.github.k/s1*"}
    action: exclude
  - id: brand
    set: {title: Internal}
)";
  const auto old_digest = digest_of(base);

  // serve with the old rules; a new file; SIGHUP; `after` runs once the reload is under way.
  auto reload = [&](const fs::path& data, const std::function<void(child_process&)>& after) {
    write_text(a.curation, "rules: []\n");
    child_process p(a.cmd({"serve", "--listen", "127.0.0.1:0"}, data));
    REQUIRE(p.await_line(0, "ready http://", std::chrono::seconds(20)));
    write_text(a.curation, new_rules);
    p.signal(SIGHUP);
    after(p);
  };
  const auto done = a.fresh_copy(base, "done");
  clock_type::duration full_run{};
  reload(done, [&](child_process& p) {
    const auto start = clock_type::now();
    REQUIRE(p.await_line(1, "curation reloaded", std::chrono::seconds(30)));
    full_run = clock_type::now() - start;
    p.signal(SIGTERM);
    CHECK(p.wait() == 0);
  });
  const auto new_digest = digest_of(done);
  REQUIRE(new_digest != old_digest);

  const auto new_view = db_probe(app::database_path(done)).view_digest();

  // The reload commits a batch of names at a time (app/curation_reload.hpp), so a kill between
  // batches leaves a view that is part old, part new: then the stored rules hash says
  // "rebuilding", and the next start rebuilds the whole view under the file's rules.
  int olds = 0, news = 0, marked = 0;
  for (int i = 0; i < trials; ++i) {
    const auto delay = random_delay(rng, full_run);
    CAPTURE(seed);
    CAPTURE(delay.count());
    const auto data = a.fresh_copy(base, "trial");
    reload(data, [&](child_process& p) {
      std::this_thread::sleep_for(delay);
      p.signal(SIGKILL);
      p.wait();
    });
    db_probe probe(app::database_path(data));
    REQUIRE(probe.integrity() == "ok");
    const auto d = probe.digest();
    if (d == old_digest || d == new_digest) {
      check_old_or_new(data, old_digest, new_digest, olds, news);
      continue;
    }
    ++marked;
    CHECK(probe.rows("SELECT value FROM mirror_state WHERE key = 'curation.hash'") == "rebuilding");
    child_process again(a.cmd({"serve", "--listen", "127.0.0.1:0"}, data));
    REQUIRE(again.await_line(0, "ready http://", std::chrono::seconds(20)));
    again.signal(SIGTERM);
    CHECK(again.wait() == 0);
    CHECK(db_probe(app::database_path(data)).view_digest() == new_view);
  }
  MESSAGE("reload: full rebuild " << std::chrono::duration_cast<std::chrono::milliseconds>(full_run).count()
                                  << " ms, " << olds << " old, " << news << " new, " << marked
                                  << " part-way, rebuilt at start");
}
