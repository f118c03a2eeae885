// Offline snapshots: export → import → export is byte-identical, the imported mirror syncs on
// incrementally, corrupted/truncated/forged snapshots are rejected with nothing changed, the
// quality gate, and bootstrap from a snapshot URL at first start (issue: snapshots).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "app/mirror_app.hpp"
#include "snapshot/export.hpp"
#include "snapshot/import.hpp"
#include "store/reader.hpp"
#include "util/sha256.hpp"
#include "support/fake_upstream.hpp"
#include "support/rows.hpp"
#include "support/running_mirror.hpp"
#include "support/static_server.hpp"
#include "support/temp_dir.hpp"
#include "sync_harness.hpp"

using namespace mirror;
using namespace mirror::test;

namespace {

constexpr std::int64_t T = 1'760'000'000'000'000;
constexpr std::int64_t minute = 60'000'000;

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  REQUIRE(in);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void spit(const std::filesystem::path& file, std::string_view bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

snapshot::manifest export_dir(const std::filesystem::path& data_dir, const std::filesystem::path& out,
                              std::int64_t now_us, bool curated = false) {
  snapshot::export_options o;
  o.now_us = now_us;
  o.curated = curated;
  o.mirror_meta_key = "io.github.mcp-mirror/mirror";
  return snapshot::export_snapshot(app::database_path(data_dir), out, o);
}

snapshot::manifest manifest_of(const std::filesystem::path& dir) {
  auto parsed = snapshot::parse_manifest(slurp(dir / "manifest.json"));
  REQUIRE(std::holds_alternative<snapshot::manifest>(parsed));
  return std::get<snapshot::manifest>(parsed);
}

// An upstream with active, deprecated (with message) and deleted versions and awkward bytes.
void populate(fake_upstream& up) {
  for (int n = 0; n < 4; ++n)
    for (int v = 0; v < 3; ++v)
      up.publish("io.github.user" + std::to_string(n) + "/server", std::to_string(v) + ".0.0",
                 T + n * 100 + v);
  up.publish("io.github.odd/server", "1.0.0+build.7", T + 500,
             R"({"name":"io.github.odd/server","description":"caf\u00e9 \"quoted\" <b>&</b> ü","version":"1.0.0+build.7","_meta":{"x":[1,2.50,null]}})");
  up.delete_version("io.github.user1/server", "2.0.0", T + minute, "malware");
  up.set_status("io.github.user2/server", "0.0.0", model::status::deprecated, "use 1.x", T + minute);
}

struct db_fingerprint {
  std::int64_t versions, change_seq;
  std::optional<std::int64_t> watermark;
  friend bool operator==(const db_fingerprint&, const db_fingerprint&) = default;
};

db_fingerprint fingerprint(const std::filesystem::path& data_dir) {
  auto r = store::reader::open(app::database_path(data_dir));
  return {r.count_versions(), r.change_seq(), r.sync_state().watermark_us};
}

snapshot::import_report import_into(const std::filesystem::path& data_dir, const std::filesystem::path& snap,
                                    snapshot::import_options o = {}) {
  auto w = store::writer::open(app::database_path(data_dir));
  if (!o.now_us) o.now_us = T + 100 * minute;
  return snapshot::import_path(w, snap, o);
}

// A mirror synced from `up`, exported to out.
snapshot::manifest synced_export(fake_upstream& up, const std::filesystem::path& out) {
  sync_harness h(up);
  REQUIRE(h.run().ok);
  return export_dir(h.data_dir(), out, T + 50 * minute);
}

}  // namespace

TEST_CASE("snapshot: export → import → export is byte-identical and the next sync is incremental") {
  fake_upstream up;
  populate(up);
  temp_dir snaps;
  const auto a = snaps.path() / "a", b = snaps.path() / "b";

  sync_harness source(up);
  REQUIRE(source.run().ok);
  const auto ma = export_dir(source.data_dir(), a, T + 50 * minute);
  CHECK(ma.counts.total == 13);
  CHECK(ma.counts.active == 11);
  CHECK(ma.counts.deprecated == 1);
  CHECK(ma.counts.deleted == 1);
  CHECK(ma.upstream == up.base_url());
  CHECK(ma.watermark_us == source.state().watermark_us);
  CHECK_FALSE(ma.curated);
  CHECK(manifest_of(a) == ma);
  const auto data_a = slurp(a / "servers.jsonl");
  CHECK(ma.data_bytes == data_a.size());
  CHECK(ma.data_sha256 == util::sha256_hex(data_a));
  CHECK(data_a.find("io.github.mcp-mirror/mirror") == std::string::npos);  // raw: upstream's copy only
  CHECK(data_a.find(R"("statusMessage":"malware")") != std::string::npos);

  sync_harness target(up);  // an empty mirror syncing from the same upstream
  const auto report = import_into(target.data_dir(), a);
  REQUIRE_MESSAGE(!report.rejected, report.error);
  CHECK(report.applied.added == 13);
  CHECK(target.state().watermark_us == source.state().watermark_us);
  CHECK(target.state().upstream == up.base_url());
  CHECK(target.stored() == source.stored());

  const auto mb = export_dir(target.data_dir(), b, T + 60 * minute);
  CHECK(slurp(b / "servers.jsonl") == data_a);  // byte-identical
  auto mb_same_time = mb;
  mb_same_time.created_at = ma.created_at;
  CHECK(mb_same_time == ma);  // equal except createdAt
  CHECK(mb.created_at != ma.created_at);

  // Re-importing the same snapshot changes nothing.
  const auto again = import_into(target.data_dir(), a);
  CHECK(again.applied.added == 0);
  CHECK(again.applied.changed == 0);

  // The next sync continues from the manifest's watermark.
  up.publish("io.github.late/server", "1.0.0", target.clock_us + minute);
  up.edit_server_json("io.github.user0/server", "1.0.0",
                      server_json("io.github.user0/server", "1.0.0", "edited"), target.clock_us + minute);
  target.clock_us += 2 * minute;
  const auto first_request = up.requests();
  const auto run = target.run();
  CHECK(run.ok);
  CHECK_FALSE(run.full);
  CHECK(run.added == 1);
  REQUIRE(up.requests() > first_request);
  CHECK(up.targets()[first_request].find("updated_since=") != std::string::npos);
  const auto want = up.snapshot();
  CHECK(target.stored() == want);
}

TEST_CASE("snapshot: curated export carries the mirror's _meta and imports back") {
  fake_upstream up;
  populate(up);
  temp_dir snaps;
  sync_harness source(up);
  REQUIRE(source.run().ok);
  const auto m = export_dir(source.data_dir(), snaps.path() / "c", T + 50 * minute, true);
  CHECK(m.curated);
  const auto data = slurp(snaps.path() / "c" / "servers.jsonl");
  CHECK(data.find(R"("io.github.mcp-mirror/mirror":{"source":"upstream")") != std::string::npos);
  temp_dir target;
  const auto r = import_into(target.path(), snaps.path() / "c" / "manifest.json");
  REQUIRE_MESSAGE(!r.rejected, r.error);
  CHECK(r.applied.added == 13);
}

TEST_CASE("snapshot: corrupted, truncated and forged snapshots are rejected with nothing changed") {
  fake_upstream up;
  populate(up);
  temp_dir snaps;
  const auto good = snaps.path() / "good";
  synced_export(up, good);
  const auto data = slurp(good / "servers.jsonl");
  const auto manifest = slurp(good / "manifest.json");

  // The target already holds something of its own.
  temp_dir target;
  {
    auto w = store::writer::open(app::database_path(target.path()));
    const store::incoming rows[] = {upstream_row("io.github.mine/server", "1.0.0", t0, true)};
    w.apply(rows, model::source::upstream, t0, {.sync = {.watermark_us = 42}});
  }
  const auto before = fingerprint(target.path());

  auto rejected = [&](const std::string& name, const std::string& data_bytes,
                      const std::string& manifest_bytes, std::string_view why) {
    CAPTURE(name);
    const auto dir = snaps.path() / name;
    std::filesystem::create_directories(dir);
    spit(dir / "servers.jsonl", data_bytes);
    spit(dir / "manifest.json", manifest_bytes);
    const auto r = import_into(target.path(), dir, {.force = true});
    CHECK(r.rejected);
    CHECK_FALSE(r.gated);
    CHECK_MESSAGE(r.error.find(why) != std::string::npos, r.error);
    CHECK(fingerprint(target.path()) == before);
  };

  std::string flipped = data;
  flipped[flipped.size() / 2] ^= 0x01;
  rejected("flipped", flipped, manifest, "sha256 does not match");
  rejected("truncated", data.substr(0, data.size() / 2), manifest, "truncated");
  rejected("empty", "", manifest, "truncated");

  auto forged = manifest;
  const auto sha = util::sha256_hex(data);
  forged.replace(forged.find(sha), sha.size(), util::sha256_hex("something else"));
  rejected("wrong-sha", data, forged, "sha256 does not match");

  // Consistent size and checksum, but a broken line / wrong counts / unknown format.
  auto remanifest = [&](const std::string& d, auto edit) {
    auto m = std::get<snapshot::manifest>(snapshot::parse_manifest(manifest));
    m.data_bytes = d.size();
    m.data_sha256 = util::sha256_hex(d);
    edit(m);
    return snapshot::render_manifest(m);
  };
  const auto bad_line = data + "{\"server\": nope}\n";
  rejected("bad-line", bad_line, remanifest(bad_line, [](auto&) {}), "servers.jsonl");
  const auto cut_line = data.substr(0, data.size() - 10) + "\n";
  rejected("cut-line", cut_line, remanifest(cut_line, [](auto&) {}), "servers.jsonl");
  rejected("counts", data, remanifest(data, [](auto& m) { ++m.counts.active; ++m.counts.total; }), "the manifest says");
  rejected("format", data, remanifest(data, [](auto& m) { m.format = "mcp-mirror-snapshot/2"; }), "format");
  rejected("not-json", data, "{\"format\":", "manifest: not JSON");
  rejected("missing", data, "{\"format\":\"mcp-mirror-snapshot/1\"}", "createdAt: missing");
  const auto bare = R"({"name":"io.github.x/y","description":"d","version":"1.0.0"})" "\n";
  rejected("no-official", bare,
           remanifest(bare, [](auto& m) { m.counts = {1, 0, 0, 1}; }), "no official _meta block");

  // A missing data file.
  const auto dir = snaps.path() / "no-data";
  std::filesystem::create_directories(dir);
  spit(dir / "manifest.json", manifest);
  const auto r = import_into(target.path(), dir);
  CHECK(r.rejected);
  CHECK(r.error.find("cannot read") != std::string::npos);
  CHECK(fingerprint(target.path()) == before);

  // The untouched snapshot still imports.
  const auto ok = import_into(target.path(), good);
  CHECK_MESSAGE(!ok.rejected, ok.error);
  CHECK(fingerprint(target.path()).versions == before.versions + 13);
}

TEST_CASE("snapshot: the quality gate refuses a much smaller snapshot unless forced") {
  fake_upstream small_up;
  for (int v = 0; v < 9; ++v) small_up.publish("io.github.small/server", "1.0." + std::to_string(v), T + v);
  temp_dir snaps;
  synced_export(small_up, snaps.path() / "nine");

  fake_upstream big_up;
  for (int v = 0; v < 11; ++v) big_up.publish("io.github.big/server", "1.0." + std::to_string(v), T + v);
  synced_export(big_up, snaps.path() / "eleven");
  temp_dir target;
  REQUIRE_FALSE(import_into(target.path(), snaps.path() / "eleven").rejected);  // empty: no gate
  const auto before = fingerprint(target.path());

  auto refused = import_into(target.path(), snaps.path() / "nine");  // 9 < 90% of 11
  CHECK(refused.rejected);
  CHECK(refused.gated);
  CHECK(refused.stored_before == 11);
  CHECK(refused.error.find("--force") != std::string::npos);
  CHECK(fingerprint(target.path()) == before);

  auto lower = import_into(target.path(), snaps.path() / "nine", {.min_share_percent = 80});  // 9 ≥ 80% of 11
  CHECK_MESSAGE(!lower.rejected, lower.error);

  temp_dir target2;
  REQUIRE_FALSE(import_into(target2.path(), snaps.path() / "eleven").rejected);
  auto forced = import_into(target2.path(), snaps.path() / "nine", {.force = true});
  CHECK_MESSAGE(!forced.rejected, forced.error);
  CHECK(forced.applied.added == 9);
  CHECK(fingerprint(target2.path()).versions == 20);
}

TEST_CASE("snapshot: a first start bootstraps from a snapshot URL, and falls back to the seed") {
  fake_upstream up;
  populate(up);
  temp_dir snaps;
  const auto m = synced_export(up, snaps.path() / "s");
  static_server files;
  files.put("/mirror/snap/manifest.json", slurp(snaps.path() / "s" / "manifest.json"));
  files.put("/mirror/snap/servers.jsonl", slurp(snaps.path() / "s" / "servers.jsonl"));

  {
    config::mirror_config cfg;
    cfg.snapshot.bootstrap_url = files.base_url() + "/mirror/snap";
    running_mirror mirror({}, cfg);
    CHECK(mirror.summary().bootstrapped);
    CHECK_FALSE(mirror.summary().seeded);
    CHECK(mirror.summary().versions == 13);
    const auto state = store::reader::open(app::database_path(mirror.data_dir())).sync_state();
    CHECK(state.watermark_us == m.watermark_us);
    CHECK(state.upstream == up.base_url());
  }
  {
    config::mirror_config cfg;
    cfg.snapshot.bootstrap_url = files.base_url() + "/nowhere";
    running_mirror mirror({}, cfg);
    CHECK_FALSE(mirror.summary().bootstrapped);
    CHECK(mirror.summary().seeded);
    CHECK(mirror.summary().versions == 358);
  }
  {  // a corrupted snapshot behind the URL: also the seed
    files.put("/bad/manifest.json", slurp(snaps.path() / "s" / "manifest.json"));
    files.put("/bad/servers.jsonl", "{}\n");
    config::mirror_config cfg;
    cfg.snapshot.bootstrap_url = files.base_url() + "/bad";
    running_mirror mirror({}, cfg);
    CHECK_FALSE(mirror.summary().bootstrapped);
    CHECK(mirror.summary().seeded);
  }
}

TEST_CASE("snapshot: manifest renders and parses back - sha256 is SHA-256") {
  snapshot::manifest m;
  m.created_at = "2026-01-02T03:04:05.5Z";
  m.upstream = "https://registry.modelcontextprotocol.io";
  m.watermark_us = 1'760'000'000'123'456;
  m.counts = {5, 1, 2, 8};
  m.data_bytes = 1234;
  m.data_sha256 = util::sha256_hex("abc");
  CHECK(m.data_sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const auto text = snapshot::render_manifest(m);
  CHECK(text ==
        R"({"format":"mcp-mirror-snapshot/1","createdAt":"2026-01-02T03:04:05.5Z","upstream":"https://registry.modelcontextprotocol.io","watermark":"2025-10-09T08:53:20.123456Z","curated":false,"counts":{"active":5,"deprecated":1,"deleted":2,"total":8},"data":{"file":"servers.jsonl","bytes":1234,"sha256":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}})"
        "\n");
  auto back = snapshot::parse_manifest(text);
  REQUIRE(std::holds_alternative<snapshot::manifest>(back));
  CHECK(std::get<snapshot::manifest>(back) == m);

  snapshot::manifest never_synced = m;
  never_synced.upstream.reset();
  never_synced.watermark_us.reset();
  auto back2 = snapshot::parse_manifest(snapshot::render_manifest(never_synced));
  REQUIRE(std::holds_alternative<snapshot::manifest>(back2));
  CHECK(std::get<snapshot::manifest>(back2) == never_synced);

  auto bad_file = m;
  bad_file.data_file = "../etc/passwd";
  CHECK(std::get<std::string>(snapshot::parse_manifest(snapshot::render_manifest(bad_file))) ==
        "data.file: expected a plain file name");
}

TEST_CASE("snapshot: config keys") {
  auto ok = config::parse("snapshot:\n  min_share_percent: 50\n  bootstrap_url: https://files.example/snap\n", "m.yaml");
  REQUIRE(std::holds_alternative<config::mirror_config>(ok));
  CHECK(std::get<config::mirror_config>(ok).snapshot.min_share_percent == 50);
  CHECK(std::get<config::mirror_config>(ok).snapshot.bootstrap_url == "https://files.example/snap");
  CHECK(config::mirror_config{}.snapshot.min_share_percent == 90);
  auto bad = config::parse("snapshot:\n  min_share_percent: 101\n", "m.yaml");
  REQUIRE(std::holds_alternative<config::error>(bad));
  CHECK(std::get<config::error>(bad).key == "snapshot.min_share_percent");
  auto bad_url = config::parse("snapshot:\n  bootstrap_url: ftp://x\n", "m.yaml");
  REQUIRE(std::holds_alternative<config::error>(bad_url));
  CHECK(std::get<config::error>(bad_url).key == "snapshot.bootstrap_url");
}
