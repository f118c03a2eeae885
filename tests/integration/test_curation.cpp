// Curation through the whole daemon: overrides over untouched bytes, reload (endpoint, SIGHUP,
// broken files), local servers beside synced data, explain and dry run.
#include <doctest/doctest.h>

#include <atomic>
#include <fstream>
#include <sstream>

#include "app/curation_commands.hpp"
#include "support/child_process.hpp"
#include "support/fake_upstream.hpp"
#include "support/http_client.hpp"
#include "support/json_view.hpp"
#include "support/rows.hpp"
#include "support/running_mirror.hpp"
#include "support/temp_dir.hpp"

using namespace mirror;
using namespace mirror::test;

namespace {

constexpr const char* token = "0123456789abcdef-secret";
constexpr const char* ns = "io.github.mcp-mirror";

void write_file(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
}

// The raw `server` bytes of a ServerResponse body (they come first, the response _meta last).
std::string server_bytes(const std::string& body) {
  const auto start = body.find("{\"server\":") + 10;
  const auto end = body.rfind(",\"_meta\":{\"io.modelcontextprotocol.registry/official\"");
  return body.substr(start, end - start);
}

// A server with an OCI package on Docker Hub, an npm package and a remote.
std::string rich_server(const std::string& name, const std::string& version) {
  return R"({"$schema":"https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json","name":")" +
         name + R"(","title":"Tools","description":"Upstream text \u00e9","version":")" + version +
         R"(","packages":[{"registryType":"oci","identifier":"docker.io/acme/tools:1.0.0","transport":{"type":"stdio"}},)"
         R"({"registryType":"npm","identifier":"@acme/tools","version":"1.0.0","transport":{"type":"stdio"},)"
         R"("environmentVariables":[{"name":"LOG_LEVEL","isRequired":false}]}],)"
         R"("remotes":[{"type":"streamable-http","url":"https://api.acme.example/mcp"}],"_meta":{"x":1E-2}})";
}

store::incoming rich_row(const std::string& name, const std::string& version, std::int64_t published, bool latest) {
  auto r = upstream_row(name, version, published, latest);
  r.data.server_json = rich_server(name, version);
  return r;
}

struct curated_mirror {
  temp_dir files;
  std::filesystem::path curation = files.path() / "curation.yaml";
  config::mirror_config cfg;
  std::unique_ptr<running_mirror> m;

  curated_mirror(std::span<const store::incoming> rows, const std::string& rules,
                 config::mirror_config base = {}, bool with_sync = false) {
    write_file(curation, rules);
    write_file(files.path() / "token", std::string(token) + "\n");
    cfg = base;
    cfg.curation_file = curation;
    cfg.admin_token_file = files.path() / "token";
    m = std::make_unique<running_mirror>(rows, cfg, t0 + 1'000'000, with_sync);
  }
  http_reply get(const std::string& target) { return http_get(m->port(), target); }
  // POST .../reload; once its job has ended, GET of the job's URL (the Location header).
  struct reload_exchange {
    http_reply accepted, ended;
  };
  reload_exchange reload_endpoint(bool with_token = true) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (with_token) headers.emplace_back("Authorization", std::string("Bearer ") + token);
    const auto base = std::string("/v0.1/x/") + ns + "/reload";
    reload_exchange x;
    x.accepted = http_request(m->port(), "POST", base, headers);
    if (x.accepted.status != 202) return x;
    const auto location = x.accepted.header("location");
    REQUIRE(location.starts_with("reload/"));
    (void)m->app().reload_finished(std::stoull(location.substr(7))).get();
    x.ended = http_request(m->port(), "GET", base + "/" + location.substr(7), headers);
    return x;
  }
};

}  // namespace

TEST_CASE("curation: an override rewrites only its fields, and removing it brings back the upstream bytes") {
  std::vector<store::incoming> rows{rich_row("io.github.acme/tools", "1.0.0", t0, true)};
  const std::string upstream_bytes = rows[0].data.server_json;
  curated_mirror c(rows, R"(rules:
  - id: internal-images
    match: {registry_type: oci}
    rewrite:
      - {field: oci_host, from: docker.io/, to: registry.internal.example/}
      - {field: registry_base_url, from: "", to: "https://npm.internal.example", registry_type: npm}
      - {field: remote_url, from: "https://api.acme.example/", to: "https://gw.internal.example/acme/"}
  - id: branding
    match: {name: "io.github.acme/*"}
    set: {title: Acme internal, description: Approved for internal use}
    env_defaults: {LOG_LEVEL: warn}
)");
  const std::string path = "/v0.1/servers/io.github.acme%2Ftools/versions/1.0.0";
  auto r = c.get(path);
  REQUIRE(r.status == 200);
  const auto served = server_bytes(r.body);
  CHECK(served ==
        R"({"$schema":"https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json","name":"io.github.acme/tools","title":"Acme internal","description":"Approved for internal use","version":"1.0.0",)"
        R"("packages":[{"registryType":"oci","identifier":"registry.internal.example/acme/tools:1.0.0","transport":{"type":"stdio"},)"
        R"("environmentVariables":[{"name":"LOG_LEVEL","default":"warn"}]},{"registryType":"npm","identifier":"@acme/tools","version":"1.0.0","transport":{"type":"stdio"},)"
        R"("environmentVariables":[{"name":"LOG_LEVEL","isRequired":false,"default":"warn"}],"registryBaseUrl":"https://npm.internal.example"}],)"
        R"("remotes":[{"type":"streamable-http","url":"https://gw.internal.example/acme/mcp"}],"_meta":{"x":1E-2}})");
  // env_defaults declares a variable where a package lacks it. Our namespace says which rule
  // changed what; the official block is the upstream's.
  const std::string cur = std::string("/_meta/") + ns + "~1curation";
  CHECK(string_at(r.body, cur + "/rules/0/id") == "internal-images");
  CHECK(string_at(r.body, cur + "/rules/0/changed/0") == "packages[0]");
  CHECK(string_at(r.body, cur + "/rules/1/id") == "branding");
  CHECK(string_at(r.body, cur + "/rules/1/changed/0") == "title");
  CHECK_FALSE(has_pointer(r.body, cur + "/upstream"));
  CHECK(string_at(r.body, "/_meta/io.modelcontextprotocol.registry~1official/status") == "active");
  // The list and latest endpoints serve the same curated bytes.
  CHECK(server_bytes(c.get("/v0.1/servers/io.github.acme%2Ftools/versions/latest").body) == served);
  CHECK(c.get("/v0.1/servers").body.find("Acme internal") != std::string::npos);

  // Remove the rules: the upstream's bytes, byte for byte, and no curation block.
  write_file(c.curation, "rules: []\n");
  const auto outcome = c.m->app().reload_curation().get();
  REQUIRE(outcome.ok);
  r = c.get(path);
  CHECK(server_bytes(r.body) == upstream_bytes);
  CHECK_FALSE(has_pointer(r.body, cur));
}

TEST_CASE("curation: deprecate and pin change the official block and record the upstream values") {
  std::vector<store::incoming> rows{upstream_row("io.github.a/x", "1.0.0", t0, false),
                                    upstream_row("io.github.a/x", "2.0.0", t0 + 10, true)};
  curated_mirror c(rows, R"(rules:
  - id: old-x
    match: {name: io.github.a/x}
    deprecate: Use io.github.a/y
    pin_latest: "1.0.0"
)");
  auto r = c.get("/v0.1/servers/io.github.a%2Fx/versions/latest");
  REQUIRE(r.status == 200);
  CHECK(string_at(r.body, "/server/version") == "1.0.0");
  const std::string official = "/_meta/io.modelcontextprotocol.registry~1official";
  CHECK(string_at(r.body, official + "/status") == "deprecated");
  CHECK(string_at(r.body, official + "/statusMessage") == "Use io.github.a/y");
  const std::string up = std::string("/_meta/") + ns + "~1curation/upstream";
  CHECK(string_at(r.body, up + "/status") == "active");
  CHECK(r.body.find(R"("statusMessage":null)") != std::string::npos);
  CHECK(r.body.find(R"("upstream":{"status":"active","statusMessage":null,"isLatest":false})") != std::string::npos);
  auto two = c.get("/v0.1/servers/io.github.a%2Fx/versions/2.0.0");
  CHECK(two.body.find(R"("isLatest":false)") != std::string::npos);
  CHECK(two.body.find(R"("isLatest":true})") != std::string::npos);  // the upstream's value, in ours
}

TEST_CASE("curation: a broken file is rejected on reload and the old rules stay in force") {
  std::vector<store::incoming> rows{upstream_row("io.github.a/hidden", "1.0.0", t0, true),
                                    upstream_row("io.github.a/shown", "1.0.0", t0, true)};
  curated_mirror c(rows, "rules:\n  - id: hide\n    match: {name: io.github.a/hidden}\n    action: exclude\n");
  const std::string hidden = "/v0.1/servers/io.github.a%2Fhidden/versions/latest";
  CHECK(c.get(hidden).status == 404);

  write_file(c.curation, "rules:\n  - id: hide\n    match: {nmae: io.github.a/hidden}\n    action: exclude\n");
  auto outcome = c.m->app().reload_curation().get();
  CHECK_FALSE(outcome.ok);
  CHECK(outcome.error == c.curation.string() + ":3:13: rules[0].match.nmae: unknown key");
  CHECK(c.get(hidden).status == 404);  // old rules still in force

  auto denied = c.reload_endpoint(false);
  CHECK(denied.accepted.status == 401);
  auto rejected = c.reload_endpoint();
  CHECK(rejected.accepted.status == 202);
  const auto id = string_at(rejected.accepted.body, "/id");
  CHECK(rejected.accepted.header("location") == "reload/" + id);
  CHECK(rejected.ended.status == 200);
  CHECK(string_at(rejected.ended.body, "/id") == id);
  CHECK(string_at(rejected.ended.body, "/status") == "rejected");
  CHECK(string_at(rejected.ended.body, "/error").ends_with("rules[0].match.nmae: unknown key"));
  CHECK(c.get(hidden).status == 404);
  // The job's URL needs the token too, and an unknown job is a 404.
  CHECK(http_get(c.m->port(), std::string("/v0.1/x/") + ns + "/reload/" + id).status == 401);
  const std::vector<std::pair<std::string, std::string>> auth{{"Authorization", std::string("Bearer ") + token}};
  for (const char* unknown : {"999", "x", "-1", "18446744073709551616"})
    CHECK(http_request(c.m->port(), "GET", std::string("/v0.1/x/") + ns + "/reload/" + unknown, auth).status == 404);

  write_file(c.curation, "rules: []\n");
  auto applied = c.reload_endpoint();
  CHECK(applied.accepted.status == 202);
  CHECK(string_at(applied.ended.body, "/status") == "applied");
  CHECK(applied.ended.body.find(R"("shown":1)") != std::string::npos);
  CHECK(applied.ended.body.find(R"("scope":"changed rules")") != std::string::npos);
  CHECK(applied.ended.body.find(R"("namesRecurated":1)") != std::string::npos);
  CHECK(c.get(hidden).status == 200);
  // The change feed says what the reload did.
  auto feed = c.get(std::string("/v0.1/x/") + ns + "/changes?since=0&limit=100");
  CHECK(feed.body.find(R"("name":"io.github.a/hidden","version":"1.0.0","kind":"shown")") != std::string::npos);
}

TEST_CASE("curation: hostile files through the reload endpoint are rejected with a location, the rules stay") {
  std::vector<store::incoming> rows{upstream_row("io.github.a/hidden", "1.0.0", t0, true)};
  curated_mirror c(rows, "rules:\n  - id: hide\n    match: {name: io.github.a/hidden}\n    action: exclude\n");
  const std::string hidden = "/v0.1/servers/io.github.a%2Fhidden/versions/latest";
  std::string bomb = "local_servers:\n  inline:\n    - name: com.example/bomb\n      version: \"1.0\"\n"
                     "      a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 7; ++i) {
    bomb += "      a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) bomb += (j ? ", *a" : "*a") + std::to_string(i - 1);
    bomb += "]\n";
  }
  // Before: the bomb took the daemon to its memory cap for 5-16 s and answered 500; the comma
  // never returned; the anchor loop overflowed the stack.
  for (const auto& [file, where] : std::vector<std::pair<std::string, std::string>>{
           {bomb, "once aliases are expanded"},
           {",", ":1:1: (top level): more than one YAML document"},
           {"local_servers:\n  inline:\n    - &a\n      name: com.example/loop\n      loop: *a\n",
            ":5:13: local_servers.inline[0].loop: a YAML alias refers to a node that contains it"}}) {
    write_file(c.curation, file);
    const auto rejected = c.reload_endpoint();
    CHECK(string_at(rejected.ended.body, "/status") == "rejected");
    CHECK(string_at(rejected.ended.body, "/error").find(where) != std::string::npos);
    CHECK(c.get(hidden).status == 404);  // the rules in force stay
  }
}

TEST_CASE("curation: local servers are served beside synced data and survive syncs") {
  fake_upstream up;
  up.publish("io.github.pub/one", "1.0.0", t0);
  up.publish("com.example/fork", "1.0.0", t0);
  config::mirror_config base;
  base.upstream.url = up.base_url();
  base.upstream.requests_per_second = 1000;
  curated_mirror c({}, R"(local_servers:
  inline:
    - {"$schema": "https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json", "name": "com.example.internal/tools", "version": "2.1.0", "description": "Private tools"}
    - {"name": "com.example/fork", "version": "9.0.0", "description": "Our fork replaces the public one"}
)",
                   base, true);
  REQUIRE(c.m->await_sync_runs(1).ok);
  auto check_served = [&] {
    auto local = c.get("/v0.1/servers/com.example.internal%2Ftools/versions/latest");
    REQUIRE(local.status == 200);
    CHECK(string_at(local.body, std::string("/_meta/") + ns + "~1mirror/source") == "local");
    CHECK(local.body.find(R"("isLatest":true)") != std::string::npos);
    auto fork = c.get("/v0.1/servers/com.example%2Ffork/versions");
    auto l = parse_server_list(fork.body);
    REQUIRE(l.servers.size() == 1);  // the local server shadows the upstream's versions
    CHECK(l.servers[0].version == "9.0.0");
    CHECK(c.get("/v0.1/servers/io.github.pub%2Fone/versions/1.0.0").status == 200);
  };
  check_served();
  const auto first = c.get("/v0.1/servers/com.example.internal%2Ftools/versions/2.1.0").body;

  up.publish("com.example/fork", "1.1.0", t0 + 5);
  up.publish("io.github.pub/one", "1.1.0", t0 + 5);
  auto r = http_request(c.m->port(), "POST", std::string("/v0.1/x/") + ns + "/sync",
                        {{"Authorization", std::string("Bearer ") + token}});
  REQUIRE(r.status == 202);
  REQUIRE(c.m->await_sync_runs(2).ok);
  check_served();
  CHECK(c.get("/v0.1/servers/io.github.pub%2Fone/versions/1.1.0").status == 200);
  // Byte-identical, timestamps included: the mirror keeps a local server's publish time.
  CHECK(c.get("/v0.1/servers/com.example.internal%2Ftools/versions/2.1.0").body == first);
  // The list is one ordered walk over both kinds.
  auto list = parse_server_list(c.get("/v0.1/servers?limit=100").body);
  std::vector<std::string> names;
  for (const auto& s : list.servers) names.push_back(s.name + "@" + s.version);
  CHECK(names == std::vector<std::string>{"com.example.internal/tools@2.1.0", "com.example/fork@9.0.0",
                                          "io.github.pub/one@1.0.0", "io.github.pub/one@1.1.0"});
}

TEST_CASE("curation: explain says why, over HTTP and on the command line - dry run compares rule files") {
  std::vector<store::incoming> rows{upstream_row("io.github.a/x", "1.0.0", t0, false),
                                    upstream_row("io.github.a/x", "2.0.0", t0 + 10, true),
                                    upstream_row("io.github.b/y", "1.0.0", t0, true)};
  curated_mirror c(rows, R"(rules:
  - id: no-v2
    match: {name: io.github.a/x, version: "2.*"}
    action: exclude
)");
  auto r = c.get(std::string("/v0.1/x/") + ns + "/explain?name=io.github.a/x");
  REQUIRE(r.status == 200);
  CHECK(string_at(r.body, "/latest") == "1.0.0");
  CHECK(string_at(r.body, "/versions/1/version") == "2.0.0");
  CHECK(r.body.find(R"("served":false)") != std::string::npos);
  CHECK(string_at(r.body, "/versions/1/reason").find("excluded by rule no-v2") != std::string::npos);
  CHECK(string_at(r.body, "/versions/1/matched/0/id") == "no-v2");
  CHECK(c.get(std::string("/v0.1/x/") + ns + "/explain?name=io.github.a/x&version=9.9.9").status == 404);
  CHECK(c.get(std::string("/v0.1/x/") + ns + "/explain?name=io.github.none/z").status == 404);
  CHECK(c.get(std::string("/v0.1/x/") + ns + "/explain").status == 422);

  auto cfg = c.cfg;
  cfg.data_dir = c.m->data_dir();
  std::ostringstream out, err;
  CHECK(app::explain_command(cfg, "io.github.a/x@2.0.0", out, err, t0) == 0);
  CHECK(out.str().find("excluded by rule no-v2") != std::string::npos);
  CHECK(out.str().find(R"("version":"1.0.0")") == std::string::npos);  // only the version asked
  std::ostringstream none;
  CHECK(app::explain_command(cfg, "io.github.none/z", none, err, t0) == 1);

  const auto next = c.files.path() / "next.yaml";
  write_file(next, "default: exclude\nrules:\n  - id: only-a\n    match: {namespace: io.github.a}\n    action: include\n");
  std::ostringstream dry, dry_err;
  CHECK(app::curate_dry_run(cfg, next, dry, dry_err, t0) == 0);
  CHECK(dry.str().find("shown 1 | hidden 1 | changed 0 | latest moved 1") != std::string::npos);
  CHECK(dry.str().find("io.github.b/y: ") == std::string::npos);  // hidden whole: listed as hidden only
  CHECK(dry.str().find("  io.github.a/x@2.0.0") != std::string::npos);  // shown
  CHECK(dry.str().find("  io.github.b/y@1.0.0") != std::string::npos);  // hidden
  CHECK(dry.str().find("io.github.a/x: 1.0.0 -> 2.0.0") != std::string::npos);
  // Nothing was applied.
  CHECK(c.get("/v0.1/servers/io.github.b%2Fy/versions/1.0.0").status == 200);

  write_file(next, "rules:\n  - id: x\n");
  std::ostringstream bad_out, bad_err;
  CHECK(app::curate_dry_run(cfg, next, bad_out, bad_err, t0) == 2);
  CHECK(bad_err.str().find(next.string() + ":2:5: rules[0]") != std::string::npos);
}

TEST_CASE("curation: check-config accepts the shipped examples and rejects a broken curation file") {
  auto cfg_or = config::load(std::string(MIRROR_SOURCE_DIR) + "/config/mirror.example.yaml");
  REQUIRE(std::holds_alternative<config::mirror_config>(cfg_or));
  auto cfg = std::get<config::mirror_config>(cfg_or);
  cfg.admin_token_file.clear();
  cfg.curation_file = std::string(MIRROR_SOURCE_DIR) + "/config/curation.example.yaml";
  std::ostringstream out, err;
  CHECK(app::check_config(cfg, "mirror.example.yaml", out, err, t0) == 0);
  CHECK(out.str().find("curation OK") != std::string::npos);

  temp_dir dir;
  cfg.curation_file = dir.path() / "bad.yaml";
  write_file(cfg.curation_file, "default: maybe\n");
  std::ostringstream out2, err2;
  CHECK(app::check_config(cfg, "mirror.example.yaml", out2, err2, t0) == 2);
  CHECK(err2.str().find(cfg.curation_file.string() + ":1:10: default:") != std::string::npos);
}

TEST_CASE("curation: SIGHUP reloads the rules of a running daemon - a broken file keeps the old ones") {
  temp_dir dir;
  const auto curation = dir.path() / "curation.yaml";
  const auto config = dir.path() / "mirror.yaml";
  write_file(curation, "rules: []\n");
  write_file(config, "curation_file: curation.yaml\nupstream: {sync: false}\nlisten: 127.0.0.1:0\n");
  child_process p({MIRROR_BINARY, "serve", "--config", config.string(), "--data-dir", (dir.path() / "data").string()});
  auto ready = p.await_line(0, "ready http://");
  REQUIRE(ready);
  const auto port = static_cast<unsigned short>(std::stoi(ready->substr(ready->rfind(':') + 1)));
  const std::string seeded = "/v0.1/servers?limit=1";
  const auto first = parse_server_list(http_get(port, seeded).body);
  REQUIRE(first.servers.size() == 1);
  const auto name = first.servers[0].name;

  write_file(curation, "rules:\n  - id: hide-first\n    match: {name: \"" + name + "\"}\n    action: exclude\n");
  p.signal(SIGHUP);
  REQUIRE(p.await_line(1, "curation reloaded"));
  CHECK(parse_server_list(http_get(port, seeded).body).servers[0].name != name);

  write_file(curation, "rules: [\n");
  p.signal(SIGHUP);
  REQUIRE(p.await_line(1, "curation reload rejected"));
  CHECK(parse_server_list(http_get(port, seeded).body).servers[0].name != name);

  p.signal(SIGTERM);
  CHECK(p.wait() == 0);
}

TEST_CASE("curation: rules apply to what each sync brings, and overrides survive upstream edits") {
  fake_upstream up;
  up.publish("io.github.acme/tools", "1.0.0", t0, rich_server("io.github.acme/tools", "1.0.0"));
  up.publish("io.github.spam/junk", "1.0.0", t0);
  config::mirror_config base;
  base.upstream.url = up.base_url();
  base.upstream.requests_per_second = 1000;
  curated_mirror c({}, R"(rules:
  - id: no-spam
    match: {namespace: io.github.spam}
    action: exclude
  - id: internal-images
    match: {registry_type: oci}
    rewrite:
      - {field: oci_host, from: docker.io, to: registry.internal.example}
)",
                   base, true);
  REQUIRE(c.m->await_sync_runs(1).ok);
  // The end of the change feed so far (the seed's rows, the first sync's).
  std::int64_t last_seq = 0;
  for (;;) {
    const auto page = c.get(std::string("/v0.1/x/") + ns + "/changes?limit=100&since=" + std::to_string(last_seq));
    const auto at = page.body.rfind("\"seq\":");
    if (at == std::string::npos) break;
    last_seq = std::stoll(page.body.substr(at + 6));
  }

  // The upstream edits the curated server and publishes more in both namespaces.
  auto edited = rich_server("io.github.acme/tools", "1.0.0");
  edited.replace(edited.find("Upstream text"), 13, "Edited upstream text");
  up.edit_server_json("io.github.acme/tools", "1.0.0", edited, t0 + 5);
  up.publish("io.github.acme/tools", "1.1.0", t0 + 6, rich_server("io.github.acme/tools", "1.1.0"));
  up.publish("io.github.spam/junk", "2.0.0", t0 + 6);
  auto r = http_request(c.m->port(), "POST", std::string("/v0.1/x/") + ns + "/sync",
                        {{"Authorization", std::string("Bearer ") + token}});
  REQUIRE(r.status == 202);
  REQUIRE(c.m->await_sync_runs(2).ok);

  for (const char* v : {"1.0.0", "1.1.0"}) {
    const auto body = c.get(std::string("/v0.1/servers/io.github.acme%2Ftools/versions/") + v).body;
    CHECK(body.find("registry.internal.example/acme/tools:1.0.0") != std::string::npos);
    CHECK(body.find("docker.io") == std::string::npos);
  }
  const auto one = server_bytes(c.get("/v0.1/servers/io.github.acme%2Ftools/versions/1.0.0").body);
  CHECK(one.find("Edited upstream text") != std::string::npos);  // the upstream's edit, curated
  CHECK(c.get("/v0.1/servers/io.github.acme%2Ftools/versions/latest").body.find(R"("version":"1.1.0")") !=
        std::string::npos);
  CHECK(c.get("/v0.1/servers/io.github.spam%2Fjunk/versions").status == 404);
  // The feed shows what is served: the edit and the new acme version, nothing of the spam one.
  const auto feed = c.get(std::string("/v0.1/x/") + ns + "/changes?limit=100&since=" + std::to_string(last_seq));
  CHECK(feed.body.find(R"("name":"io.github.acme/tools","version":"1.0.0","kind":"changed")") != std::string::npos);
  CHECK(feed.body.find(R"("name":"io.github.acme/tools","version":"1.1.0","kind":"added")") != std::string::npos);
  CHECK(feed.body.find("io.github.spam") == std::string::npos);
}

TEST_CASE("curation: rules on publish age are re-evaluated after each sync run as time passes") {
  fake_upstream up;
  up.publish("io.github.a/fresh", "1.0.0", t0);
  config::mirror_config base;
  base.upstream.url = up.base_url();
  base.upstream.requests_per_second = 1000;
  std::atomic<std::int64_t> clock{t0 + 10LL * 60 * 1'000'000};  // 10 minutes after the publish
  temp_dir files;
  write_file(files.path() / "curation.yaml", "rules:\n  - id: stale\n    match: {published_older_than: 1h}\n    action: exclude\n");
  write_file(files.path() / "token", std::string(token) + "\n");
  base.curation_file = files.path() / "curation.yaml";
  base.admin_token_file = files.path() / "token";
  running_mirror m({}, base, t0, true, nullptr, [&clock] { return clock.load(); });
  REQUIRE(m.await_sync_runs(1).ok);
  m.app().flush_writer().get();
  const std::string path = "/v0.1/servers/io.github.a%2Ffresh/versions/1.0.0";
  CHECK(http_get(m.port(), path).status == 200);

  clock = t0 + 2LL * 3600 * 1'000'000;  // two hours later: nothing changed upstream
  auto r = http_request(m.port(), "POST", std::string("/v0.1/x/") + ns + "/sync",
                        {{"Authorization", std::string("Bearer ") + token}});
  REQUIRE(r.status == 202);
  REQUIRE(m.await_sync_runs(2).ok);
  m.app().flush_writer().get();  // the re-curation queued after the run
  CHECK(http_get(m.port(), path).status == 404);
}
