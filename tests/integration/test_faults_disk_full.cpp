// A full disk during sync, import (file and snapshot) and curation reload. Two ways to fill it
// without root: PRAGMA max_page_count on the writer's connection (in-process: SQLite's own
// SQLITE_FULL), and RLIMIT_FSIZE on the real binary (writes past the limit fail with EFBIG,
// which SQLite reports as "disk I/O error"), lifted with prlimit while the daemon runs. Each time: a
// clear error where the operator looks, the transaction rolled back (same digest, integrity
// ok), the daemon serving what it had, and the next run succeeding once there is room.
#include <doctest/doctest.h>

#include "app/mirror_app.hpp"
#include "support/child_process.hpp"
#include "support/db_probe.hpp"
#include "support/fake_upstream.hpp"
#include "support/http_client.hpp"
#include "support/json_view.hpp"
#include "support/temp_dir.hpp"
#include "sync_harness.hpp"

using namespace mirror;
using namespace mirror::test;
namespace fs = std::filesystem;

namespace {

constexpr const char* token = "0123456789abcdef-secret";
constexpr const char* ns = "/v0.1/x/io.github.mcp-mirror";
// Room for SQLite's 32 KiB shared-memory index (so the database opens) and a few WAL frames:
// a transaction of any size fails part-way, as on a disk that fills during the write.
constexpr rlim_t tight = 32 * 1024;

std::string big_server(const std::string& name, const std::string& version) {
  return R"({"$schema":"https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json","name":")" +
         name + R"(","description":")" + std::string(3000, 'd') + R"(","version":")" + version + R"("})";
}

// Published "now" by the given clock, so an incremental run (updated_since) picks them up.
void publish_many(fake_upstream& up, const std::string& prefix, int n, std::int64_t now_us = util::system_now_us()) {
  for (int i = 0; i < n; ++i) {
    const auto name = prefix + std::to_string(i);
    up.publish(name, "1.0.0", now_us, big_server(name, "1.0.0"));
  }
}

unsigned short ready_port(child_process& p) {
  const auto ready = p.await_line(0, "ready http://", std::chrono::seconds(20));
  if (!ready) throw std::runtime_error("serve did not become ready");
  return static_cast<unsigned short>(std::stoi(ready->substr(ready->rfind(':') + 1)));
}

http_reply post(unsigned short port, const std::string& target) {
  return http_request(port, "POST", target, {{"Authorization", std::string("Bearer ") + token}});
}

}  // namespace

TEST_CASE("disk full during sync (SQLITE_FULL): the run fails naming the file, the watermark and rows stay") {
  fake_upstream up;
  sync_harness h(up);
  publish_many(up, "io.github.before/s", 10, h.clock_us);
  REQUIRE(h.run().ok);
  const auto db = app::database_path(h.data_dir());
  db_probe probe(db);
  const auto before = probe.digest();
  const auto watermark = h.state().watermark_us;

  publish_many(up, "io.github.after/s", 40, h.clock_us);
  h.set_page_limit(1);  // clamps to the current size: no growth
  const auto failed = h.run();
  CHECK_FALSE(failed.ok);
  CHECK(failed.error == "database: " + db.string() + ": database or disk is full");
  CHECK(h.state().watermark_us == watermark);
  CHECK(probe.digest() == before);  // the failure is not even recorded: that write would fail too
  CHECK(probe.integrity() == "ok");

  h.set_page_limit(1073741823);
  const auto next = h.run();
  CHECK(next.ok);
  CHECK(next.added == 40);
  CHECK(h.stored() == up.snapshot());
}

TEST_CASE("disk full under serve (real binary): sync-status and reload say so, it keeps serving, then recovers") {
  fake_upstream up;
  publish_many(up, "io.github.before/s", 5);
  temp_dir dir;
  const auto data = dir.path() / "data";
  const auto db = app::database_path(data);
  const auto config = dir.path() / "mirror.yaml";
  const auto curation = dir.path() / "curation.yaml";
  write_text(dir.path() / "token", std::string(token) + "\n");
  write_text(curation, "rules: []\n");
  write_text(config, "log_level: info\ncuration_file: curation.yaml\nadmin_token_file: token\nupstream:\n  url: " +
                         up.base_url() + "\n  requests_per_second: 1000\n  max_attempts: 1\n  interval: 1h\n");
  // A first sync (full disk-free) so that serve's scheduler waits for the interval or a trigger.
  {
    child_process once({MIRROR_BINARY, "sync", "--once", "--config", config.string(), "--data-dir", data.string()});
    REQUIRE(once.finish().exit_code == 0);
  }
  child_process serve({MIRROR_BINARY, "serve", "--config", config.string(), "--data-dir", data.string(), "--listen",
                       "127.0.0.1:0"});
  const auto port = ready_port(serve);
  const std::string list = "/v0.1/servers?limit=100";
  const auto served_before = http_get(port, list).body;
  REQUIRE(parse_server_list(served_before).servers.size() == 5);

  serve.set_max_file_bytes(1);  // the disk fills up
  publish_many(up, "io.github.after/s", 30);
  CHECK(post(port, std::string(ns) + "/sync").status == 202);
  REQUIRE(serve.await_line(1, "sync FAILED"));
  const auto status = http_get(port, std::string(ns) + "/sync-status").body;
  const auto last_error = string_at(status, "/lastError");
  CAPTURE(last_error);
  CHECK(last_error.starts_with("database: " + db.string() + ": disk I/O error"));
  CHECK(http_get(port, list).body == served_before);  // still serving what it had

  // A valid new rule set cannot be applied: the job fails (not the file's fault, not
  // "rejected"), the old rules stay.
  write_text(curation, "rules:\n  - id: hide\n    match: {name: \"io.github.before/s0\"}\n    action: exclude\n");
  const auto refused = post(port, std::string(ns) + "/reload");
  CHECK(refused.status == 202);
  REQUIRE(serve.await_line(1, "curation reload failed, the previous rules stay in force"));
  const auto job = http_request(port, "GET", std::string(ns) + "/" + refused.header("location"),
                                {{"Authorization", std::string("Bearer ") + token}});
  CHECK(string_at(job.body, "/status") == "failed");
  CHECK(string_at(job.body, "/error").find(db.string() + ": disk I/O error") != std::string::npos);
  CHECK(http_get(port, list).body == served_before);
  {
    db_probe probe(db);
    CHECK(probe.integrity() == "ok");
    CHECK(probe.count("server_versions") == 5);
  }

  serve.set_max_file_bytes(std::nullopt);  // space is back
  CHECK(post(port, std::string(ns) + "/reload").status == 202);
  REQUIRE(serve.await_line(1, "curation reloaded"));
  CHECK(post(port, std::string(ns) + "/sync").status == 202);
  REQUIRE(serve.await_line(1, "sync ok"));
  CHECK(string_at(http_get(port, std::string(ns) + "/sync-status").body, "/lastError") == "");
  const auto now_served = parse_server_list(http_get(port, list).body).servers;
  CHECK(now_served.size() == 34);  // 35 upstream, one hidden by the reloaded rule
  serve.signal(SIGTERM);
  CHECK(serve.wait() == 0);
  db_probe probe(db);
  CHECK(probe.integrity() == "ok");
}

TEST_CASE("disk full during import and snapshot import (real binary): exit 1, nothing changed, then it works") {
  temp_dir dir;
  const auto config = dir.path() / "mirror.yaml";
  write_text(config, "log_level: off\n");
  const auto data = dir.path() / "data";
  const auto db = app::database_path(data);
  const auto first = dir.path() / "first.jsonl";
  const auto second = dir.path() / "second.jsonl";
  write_text(first, versions_jsonl("io.github.first/s", 20, "1.0.0"));
  write_text(second, versions_jsonl("io.github.second/s", 300, "1.0.0", 1000));
  // --force: the snapshot below holds fewer versions than the mirror (the quality gate).
  auto import = [&](const fs::path& what, std::optional<rlim_t> limit) {
    child_process p({MIRROR_BINARY, "import", "--force", "--config", config.string(), "--data-dir", data.string(),
                     what.string()},
                    {.max_file_bytes = limit});
    return p.finish();
  };
  REQUIRE(import(first, std::nullopt).exit_code == 0);
  std::string before;
  {
    db_probe probe(db);
    before = probe.digest();
  }

  const auto full = import(second, tight);
  CAPTURE(full.err);
  CHECK(full.exit_code == 1);
  CHECK(full.err == "mcp-mirror: import: " + second.string() + " not imported, nothing changed: " + db.string() +
                        ": disk I/O error\n");
  {
    db_probe probe(db);
    CHECK(probe.integrity() == "ok");
    CHECK(probe.digest() == before);
  }
  REQUIRE(import(second, std::nullopt).exit_code == 0);
  std::string after_second;
  {
    db_probe probe(db);
    CHECK(probe.count("server_versions") == 320);
    after_second = probe.digest();
  }

  // A snapshot of another mirror holding newer versions of `second`: the same, in one transaction.
  const auto other = dir.path() / "other";
  const auto snap = dir.path() / "snapshot";
  const auto third = dir.path() / "third.jsonl";
  write_text(third, versions_jsonl("io.github.second/s", 300, "3.0.0", 1000));
  {
    child_process p({MIRROR_BINARY, "import", "--config", config.string(), "--data-dir", other.string(),
                     third.string()});
    REQUIRE(p.finish().exit_code == 0);
    child_process e({MIRROR_BINARY, "export", "--config", config.string(), "--data-dir", other.string(), "--out",
                     snap.string()});
    REQUIRE(e.finish().exit_code == 0);
  }
  before = after_second;
  const auto snap_full = import(snap, tight);
  CAPTURE(snap_full.err);
  CHECK(snap_full.exit_code == 1);
  CHECK(snap_full.err.find("not imported, nothing changed: " + db.string() + ": disk I/O error") != std::string::npos);
  {
    db_probe probe(db);
    CHECK(probe.integrity() == "ok");
    CHECK(probe.digest() == before);
  }
  CHECK(import(snap, std::nullopt).exit_code == 0);
}

TEST_CASE("disk full during sync --once (real binary): exit 1 with the reason, the next run succeeds") {
  fake_upstream up;
  publish_many(up, "io.github.s/s", 3);
  temp_dir dir;
  const auto config = dir.path() / "mirror.yaml";
  const auto data = dir.path() / "data";
  const auto db = app::database_path(data);
  write_text(config, "log_level: off\nupstream:\n  url: " + up.base_url() + "\n  requests_per_second: 1000\n");
  auto sync_once = [&](std::optional<rlim_t> limit) {
    child_process p({MIRROR_BINARY, "sync", "--once", "--config", config.string(), "--data-dir", data.string()},
                    {.max_file_bytes = limit});
    return p.finish();
  };
  REQUIRE(sync_once(std::nullopt).exit_code == 0);
  std::string before;
  {
    db_probe probe(db);
    before = probe.digest();
  }
  publish_many(up, "io.github.t/s", 30);
  const auto full = sync_once(tight);
  CAPTURE(full.out);
  CAPTURE(full.err);
  CHECK(full.exit_code == 1);
  CHECK(full.out.find("sync FAILED") != std::string::npos);
  CHECK(full.out.find("error: database: " + db.string() + ": disk I/O error") != std::string::npos);
  {
    db_probe probe(db);
    CHECK(probe.integrity() == "ok");
    CHECK(probe.digest() == before);
  }
  CHECK(sync_once(std::nullopt).exit_code == 0);
  db_probe probe(db);
  CHECK(probe.count("server_versions") == 33);
}
