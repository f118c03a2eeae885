// Crash safety: `mcp-mirror sync --once` is killed with SIGKILL at random points of a sync, 50
// times, while the upstream keeps changing. After every kill the database must open, pass
// PRAGMA integrity_check, and never hold a watermark ahead of its data; a final run converges.
#include <doctest/doctest.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <fcntl.h>

#include <atomic>
#include <fstream>
#include <limits>
#include <random>
#include <mutex>
#include <thread>

#include <sqlite3.h>

#include "app/mirror_app.hpp"
#include "store/reader.hpp"
#include "store/writer.hpp"
#include "support/fake_upstream.hpp"
#include "support/temp_dir.hpp"
#include "support/stored_versions.hpp"

extern char** environ;

using namespace mirror;
using namespace mirror::test;

namespace {

pid_t spawn_sync(const std::filesystem::path& config, const std::filesystem::path& data_dir) {
  const std::string bin = MIRROR_BINARY, cfg = config.string(), dir = data_dir.string();
  std::vector<char*> argv{const_cast<char*>(bin.c_str()), const_cast<char*>("sync"),
                          const_cast<char*>("--once"),    const_cast<char*>("--config"),
                          const_cast<char*>(cfg.c_str()), const_cast<char*>("--data-dir"),
                          const_cast<char*>(dir.c_str()), nullptr};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, bin.c_str(), &actions, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

std::string integrity(const std::filesystem::path& db) {
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &s, nullptr);
  std::string out = sqlite3_step(s) == SQLITE_ROW ? reinterpret_cast<const char*>(sqlite3_column_text(s, 0)) : "";
  sqlite3_finalize(s);
  sqlite3_close(h);
  return out;
}

std::optional<std::int64_t> watermark(const std::filesystem::path& db) {
  return store::reader::open(db).sync_state().watermark_us;
}

}  // namespace

TEST_CASE("sync crash: SIGKILL at random points (50 kills) never corrupts or runs ahead") {
  fake_upstream up;
  temp_dir dir;
  const auto config = dir.path() / "mirror.yaml";
  const auto data = dir.path() / "data";
  const auto db = app::database_path(data);
  std::ofstream(config) << "log_level: off\nupstream:\n  url: " << up.base_url()
                        << "\n  page_limit: 20\n  requests_per_second: 1000\n  margin: 0s\n";
  std::mt19937 rng(77);
  auto now = [] { return util::system_now_us(); };
  for (int n = 0; n < 40; ++n)
    for (int v = 0; v < 5; ++v) up.publish("io.github.crash" + std::to_string(n) + "/s", "1." + std::to_string(v) + ".0", now());

  std::atomic<pid_t> child{0};
  std::atomic<std::size_t> kill_at{0};
  std::atomic<int> kill_delay_us{0};
  std::thread killer;
  std::mutex reap_mutex;  // a reaped PID may be reused: never signal after waitpid returned
  // At the chosen request, a killer thread fires SIGKILL 0–3 ms later: while the child reads
  // this response, decodes it, or commits it — not only between requests.
  up.on_request([&](std::size_t index, std::string_view) {
    if (index != kill_at.load() || child.load() <= 0) return;
    killer = std::thread([&, delay = kill_delay_us.load()] {
      std::this_thread::sleep_for(std::chrono::microseconds(delay));
      std::lock_guard lock(reap_mutex);
      if (child.load() > 0) kill(child.load(), SIGKILL);
    });
  });
  int killed = 0, completed = 0;
  std::size_t run_length = 25;  // requests the last completed run made (a full walk: ~21 pages)
  for (int round = 0; killed < 50 && round < 200; ++round) {
    // The upstream changes between runs: new versions and deletions, enough that an incremental
    // run makes a dozen requests (pages plus the version lists it re-reads for isLatest).
    for (int i = 0; i < 12; ++i) {
      const auto name = "io.github.crash" + std::to_string(rng() % 40) + "/s";
      try {
        if (rng() % 2) up.publish(name, "2." + std::to_string(round) + "." + std::to_string(i), now());
        else up.delete_version(name, "1." + std::to_string(rng() % 5) + ".0", now());
      } catch (const std::invalid_argument&) {
      }
    }
    const auto before = std::filesystem::exists(db) ? watermark(db) : std::nullopt;
    // Kill at a random request of the run, or (about one time in four) not at all.
    const auto requests_before = up.requests();
    kill_at = requests_before + 1 + rng() % (run_length * 4 / 3 + 1);
    kill_delay_us = static_cast<int>(rng() % 3000);
    pid_t pid = spawn_sync(config, data);
    child = pid;
    int status = 0;
    const bool reaped = waitpid(pid, &status, 0) == pid;
    {
      std::lock_guard lock(reap_mutex);
      child = 0;
    }
    if (killer.joinable()) killer.join();
    REQUIRE(reaped);
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
      ++killed;
    } else {
      ++completed;
      run_length = std::max<std::size_t>(2, up.requests() - requests_before);
    }
    if (!std::filesystem::exists(db)) continue;  // killed before the database was created
    CAPTURE(round);
    REQUIRE(integrity(db) == "ok");
    const auto after = watermark(db);
    if (after && after != before) {
      // The run reached its final transaction: the watermark may only move with complete data.
      const auto want = up.snapshot();
      const auto got = stored_versions(db);
      REQUIRE(got.size() == want.size());
      for (std::size_t i = 0; i < want.size(); ++i) CHECK(got[i] == want[i]);
    }
  }
  CHECK(killed == 50);
  CHECK(completed >= 1);
  MESSAGE("killed " << killed << " runs, " << completed << " completed");
  kill_at = std::numeric_limits<std::size_t>::max();
  pid_t pid = spawn_sync(config, data);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  const auto want = up.snapshot();
  const auto got = stored_versions(db);
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) CHECK(got[i] == want[i]);
}
