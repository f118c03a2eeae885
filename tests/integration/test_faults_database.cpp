// A data directory that cannot be used, a database another process holds locked, a database
// file that is damaged or not a database: `serve`, `import`, `sync --once` and `export` (the real
// binary) print one line naming the file and exit 1, never crash, hang, or quietly start an
// empty mirror in place of a damaged one. Tests run as root in CI, so "unwritable" is made of
// things that fail for root too: a path under a regular file, a directory where a file belongs.
#include <doctest/doctest.h>

#include <random>
#include <thread>

#include "app/mirror_app.hpp"
#include "model/timestamp.hpp"
#include "store/writer.hpp"
#include "support/child_process.hpp"
#include "support/db_probe.hpp"
#include "support/fake_upstream.hpp"
#include "support/http_client.hpp"
#include "support/json_view.hpp"
#include "support/temp_dir.hpp"

using namespace mirror;
using namespace mirror::test;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> commands{"serve", "import", "sync", "export"};

// A config (logging off: what the operator sees is the one line main prints), an import file,
// and the command lines of the four commands on a given data dir.
struct cli_env {
  fake_upstream up;
  temp_dir dir;
  fs::path config = dir.path() / "mirror.yaml";
  fs::path import_file = dir.path() / "servers.jsonl";

  cli_env() {
    up.publish("io.github.fault/up", "1.0.0", 1'760'000'000'000'000);
    write_text(config, "log_level: off\nupstream:\n  url: " + up.base_url() +
                           "\n  requests_per_second: 1000\n  max_attempts: 1\n");
    write_text(import_file, versions_jsonl("io.github.fault/s", 5, "1.0.0"));
  }

  std::vector<std::string> args(const std::string& command, const fs::path& data) const {
    std::vector<std::string> a{MIRROR_BINARY, command};
    if (command == "sync") a.push_back("--once");
    a.insert(a.end(), {"--config", config.string(), "--data-dir", data.string()});
    if (command == "serve") a.insert(a.end(), {"--listen", "127.0.0.1:0", "--no-sync"});
    if (command == "import") a.push_back(import_file.string());
    if (command == "export") a.insert(a.end(), {"--out", (dir.path() / "export").string()});
    return a;
  }

  finished_child run(const std::string& command, const fs::path& data) const {
    child_process p(args(command, data));
    return p.finish(std::chrono::seconds(20));
  }
};

// The line that reports a failure: on stderr, or for a `sync --once` whose run started (the
// database opened) the run's summary line on stdout.
const std::string& report_line(const finished_child& f, const std::string& command) {
  return command == "sync" && f.err.empty() ? f.out : f.err;
}

// The failure report: exit 1 and exactly one line that contains every one of `needles`.
void check_one_line_failure(const finished_child& f, const std::string& command,
                            const std::vector<std::string>& needles) {
  CAPTURE(command);
  CAPTURE(f.out);
  CAPTURE(f.err);
  CHECK(f.exit_code == 1);  // not a signal (-1), not a usage error (2)
  const std::string& line = report_line(f, command);
  CHECK(std::count(line.begin(), line.end(), '\n') == 1);
  for (const auto& n : needles) CHECK(line.find(n) != std::string::npos);
}

// A database written by the real writer and closed (its WAL checkpointed into the file).
void make_database(const fs::path& data, int versions) {
  auto w = store::writer::open(app::database_path(data));
  std::vector<store::incoming> rows;
  for (int i = 0; i < versions; ++i) {
    store::incoming in;
    in.authoritative = true;
    in.data.name = "io.github.kept/s" + std::to_string(i);
    in.data.version = "1.0.0";
    in.data.server_json = R"({"name":")" + in.data.name + R"(","description":"kept","version":"1.0.0"})";
    in.data.official.published_at = in.data.official.updated_at = in.data.official.status_changed_at =
        model::make_timestamp(1'750'000'000'000'000);
    in.data.official.is_latest = true;
    rows.push_back(std::move(in));
  }
  w.apply(rows, model::source::upstream, 1'750'000'000'000'000);
}

}  // namespace

TEST_CASE("faults: a data dir that cannot be created or is a file fails every command with one line") {
  cli_env env;
  const auto file = env.dir.path() / "plain-file";
  write_text(file, "not a directory\n");
  // Under a regular file: ENOTDIR for root as for anyone.
  const auto under_file = file / "data";
  for (const auto& command : commands) {
    const auto f = env.run(command, under_file);
    check_one_line_failure(f, command, {under_file.string()});
    if (command != "export") CHECK(f.err.find("cannot create the data directory: Not a directory") != std::string::npos);
  }
  // The data dir is itself a regular file.
  for (const auto& command : commands) {
    const auto f = env.run(command, file);
    check_one_line_failure(f, command, {file.string()});
    if (command != "export") CHECK(f.err.find("not a directory") != std::string::npos);
  }
  CHECK(read_text(file) == "not a directory\n");
}

TEST_CASE("faults: a directory where the database or its WAL belongs fails every command with one line") {
  cli_env env;
  const auto data = env.dir.path() / "data";
  fs::create_directories(app::database_path(data));  // mirror.db is a directory
  for (const auto& command : commands)  // "unable to open database file" (read-only: "disk I/O error")
    check_one_line_failure(env.run(command, data), command, {app::database_path(data).string()});

  // A database that exists, but whose -wal cannot be created: nothing can be read or written.
  const auto data2 = env.dir.path() / "data2";
  make_database(data2, 3);
  const auto db = app::database_path(data2);
  const auto before = read_text(db);
  fs::create_directories(db.string() + "-wal");
  for (const auto& command : commands) {
    const auto f = env.run(command, data2);
    check_one_line_failure(f, command, {db.string()});
  }
  CHECK(read_text(db) == before);
}

TEST_CASE("faults: a damaged or foreign database file is refused, never replaced by a fresh seeded one") {
  cli_env env;
  std::mt19937 rng(4242);
  std::string random_bytes(64 * 1024, '\0');
  for (auto& c : random_bytes) c = static_cast<char>(rng());
  const auto real = env.dir.path() / "real";
  make_database(real, 300);
  const auto real_bytes = read_text(app::database_path(real));
  REQUIRE(real_bytes.size() > 100'000);

  const std::vector<std::pair<std::string, std::string>> cases{
      {"random bytes", random_bytes},
      {"a JSON file", read_text(env.import_file)},
      {"a truncated database", real_bytes.substr(0, real_bytes.size() / 2)},
      {"a database cut inside its header", real_bytes.substr(0, 60)},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    // Not a structured binding: clang 14 cannot capture one in CAPTURE's lambda.
    const auto& label = cases[i].first;
    const auto& bytes = cases[i].second;
    CAPTURE(label);
    const auto data = env.dir.path() / ("data-" + std::to_string(i));
    fs::create_directories(data);
    const auto db = app::database_path(data);
    write_text(db, bytes);
    for (const auto& command : commands) {
      const auto f = env.run(command, data);
      check_one_line_failure(f, command, {db.string()});
      const std::string& line = report_line(f, command);
      CHECK((line.find("file is not a database") != std::string::npos ||
             line.find("database disk image is malformed") != std::string::npos));
      CHECK(line.find("restore a backup") != std::string::npos);
    }
    CHECK(read_text(db) == bytes);  // untouched: not migrated, not seeded, not truncated
  }
}

TEST_CASE("faults: a database locked by another process: writers fail after busy_timeout, serve still serves") {
  cli_env env;
  const auto data = env.dir.path() / "data";
  make_database(data, 4);
  const auto db = app::database_path(data);
  db_probe holder(db);
  const auto before = holder.digest();
  holder.rows("BEGIN EXCLUSIVE");  // WAL: the write lock; readers go on
  // The writers wait out the 5 s busy_timeout (a writer of another process usually lets go
  // within it), then fail. Run side by side, so this costs one timeout, not two.
  finished_child imported, synced;  // exit_code -1 stays if a run throws (spawn failed, no end)
  auto run_into = [&](finished_child& out, const char* command) {
    try {
      out = env.run(command, data);
    } catch (const std::exception& e) {
      out.err = e.what();
    }
  };
  std::thread t1(run_into, std::ref(imported), "import");
  std::thread t2(run_into, std::ref(synced), "sync");
  child_process serving(env.args("serve", data));
  const auto ready = serving.await_line(0, "ready http://", std::chrono::seconds(10));
  REQUIRE(ready);
  const auto port = static_cast<unsigned short>(std::stoi(ready->substr(ready->rfind(':') + 1)));
  CHECK(parse_server_list(http_get(port, "/v0.1/servers").body).servers.size() == 4);
  t1.join();
  t2.join();
  check_one_line_failure(imported, "import", {db.string(), "database is locked", "nothing changed"});
  check_one_line_failure(synced, "sync", {db.string(), "database is locked", "sync FAILED"});
  holder.rows("COMMIT");
  CHECK(holder.digest() == before);
  CHECK(holder.integrity() == "ok");

  // The lock gone, the same commands succeed.
  CHECK(env.run("import", data).exit_code == 0);
  CHECK(env.run("sync", data).exit_code == 0);
  serving.signal(SIGTERM);
  CHECK(serving.wait() == 0);
}
