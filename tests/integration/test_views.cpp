// Views (config `views:`): three audiences from one daemon and one copy of the data. Each view
// is exact on its own (pages, cursors, isLatest among its visible versions) under random rules;
// a view with tokens refuses without one and reveals nothing; its ETags move only with what it
// shows; a broken view file on reload keeps that view's rules.
#include <doctest/doctest.h>

#include <fstream>
#include <random>

#include "app/mirror_app.hpp"
#include "support/curation_model.hpp"
#include "support/http_client.hpp"
#include "support/json_view.hpp"
#include "support/rows.hpp"
#include "support/running_mirror.hpp"
#include "support/temp_dir.hpp"

using namespace mirror;
using namespace mirror::test;

namespace {

constexpr const char* token_a = "contractor-token-aaaaaaaaaaaa";
constexpr const char* token_b = "contractor-token-bbbbbbbbbbbb";
const std::string ns = "io.github.mcp-mirror";

void write_file(const std::filesystem::path& p, const std::string& text) { std::ofstream(p, std::ios::trunc) << text; }

http_reply get(unsigned short port, const std::string& target, const std::string& token = "",
               std::vector<std::pair<std::string, std::string>> headers = {}) {
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  return http_request(port, "GET", target, headers);
}

}  // namespace

TEST_CASE("views property: three views and the root under random rules, every page equals the filtered model") {
  std::mt19937 rng(20261203);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  std::vector<store::incoming> incoming;
  const auto rows = random_rows(rng, incoming);

  temp_dir files;
  config::mirror_config cfg;
  cfg.curation_file = files.path() / "root.yaml";
  write_file(cfg.curation_file, "rules: []\n");
  write_file(files.path() / "tokens", std::string(token_a) + "\n");
  for (const std::string name : {"platform", "product", "contractors"}) {
    config::view_config v{name, files.path() / (name + ".yaml"), {}};
    if (name == "contractors") v.token_file = files.path() / "tokens";
    write_file(v.curation_file, "rules: []\n");
    cfg.views.push_back(v);
  }
  running_mirror m(incoming, cfg, t0 + 10'000'000);

  for (int iteration = 0; iteration < 25; ++iteration) {
    struct chosen {
      std::string base, token;
      bool default_exclude;
      std::vector<gen_rule> rules;
    };
    std::vector<chosen> all;
    all.push_back({"", "", pick(4) == 0, random_rules(rng, rows)});
    write_file(cfg.curation_file, yaml_of(all.back().default_exclude, all.back().rules));
    for (const auto& v : cfg.views) {
      all.push_back({"/views/" + v.name, v.token_file.empty() ? "" : "Bearer " + std::string(token_a), pick(4) == 0,
                     random_rules(rng, rows)});
      write_file(v.curation_file, yaml_of(all.back().default_exclude, all.back().rules));
    }
    const auto outcome = m.app().reload_curation().get();
    REQUIRE_MESSAGE(outcome.ok, outcome.error);

    for (const auto& c : all) {
      CAPTURE(c.base);
      CAPTURE(yaml_of(c.default_exclude, c.rules));
      const auto want = filter(rows, c.default_exclude, c.rules);
      for (const bool include_deleted : {false, true}) {
        std::vector<std::string> every, latest_only;
        for (const auto& r : want.visible) {
          if (!include_deleted && r.status == model::status::deleted) continue;
          const bool is_latest = want.latest.at(r.name) == r.version;
          const auto item = r.name + "@" + r.version + (is_latest ? " latest" : "");
          every.push_back(item);
          if (is_latest) latest_only.push_back(item);
        }
        const std::string flag = include_deleted ? "&include_deleted=true" : "";
        const int limit = 1 + static_cast<int>(pick(9));
        CAPTURE(limit);
        CHECK(walk(m.port(), flag, limit, c.base, c.token) == every);
        CHECK(walk(m.port(), flag + "&version=latest", limit, c.base, c.token) == latest_only);
      }
      for (int probe = 0; probe < 4; ++probe) {
        const auto& row = rows[pick(rows.size())];
        std::vector<std::pair<std::string, std::string>> auth;
        if (!c.token.empty()) auth.emplace_back("Authorization", c.token);
        const auto r = http_request(m.port(), "GET",
                                    c.base + "/v0.1/servers/" + url_encode(row.name) + "/versions/latest?include_deleted=true",
                                    auth);
        if (auto it = want.latest.find(row.name); it != want.latest.end()) {
          REQUIRE(r.status == 200);
          CHECK(string_at(r.body, "/server/version") == it->second);
        } else {
          CHECK(r.status == 404);
        }
      }
    }
  }
}

TEST_CASE("views: a view with tokens answers 401 to a missing, wrong or withdrawn token and reveals nothing") {
  temp_dir files;
  config::mirror_config cfg;
  write_file(files.path() / "tokens", std::string("# contractors\n") + token_a + "\n\n" + token_b + "\n");
  cfg.views.push_back({"contractors", {}, files.path() / "tokens"});
  cfg.views.push_back({"public", {}, {}});
  const std::vector<store::incoming> rows{upstream_row("io.github.a/x", "1.0.0", t0, true)};
  running_mirror m(rows, cfg, t0 + 1);
  const std::string base = "/views/contractors/v0.1/servers";

  // With a token: the page, marked for one client only.
  const auto ok = get(m.port(), base, token_a);
  REQUIRE(ok.status == 200);
  CHECK(ok.header("cache-control").starts_with("private"));
  CHECK(get(m.port(), "/views/public/v0.1/servers").header("cache-control").starts_with("public"));
  CHECK(get(m.port(), base, token_b).status == 200);

  // Without one, with a wrong one, with a well-formed guess: 401, the same body for a name that
  // exists and one that does not, even though the page is in the response cache now.
  const auto missing = get(m.port(), base);
  CHECK(missing.status == 401);
  CHECK(missing.header("content-type") == "application/problem+json");
  CHECK(missing.header("www-authenticate").find("Bearer") == 0);
  CHECK(get(m.port(), base, "contractor-token-cccccccccccc").status == 401);
  CHECK(get(m.port(), base, std::string(token_a) + "x").status == 401);
  CHECK(get(m.port(), base, std::string(token_a).substr(0, 20)).status == 401);
  const auto held = get(m.port(), "/views/contractors/v0.1/servers/io.github.a%2Fx/versions/latest");
  const auto absent = get(m.port(), "/views/contractors/v0.1/servers/io.github.zz%2Fnone/versions/latest");
  CHECK(held.status == 401);
  CHECK(absent.status == 401);
  CHECK(held.body == absent.body);
  CHECK(get(m.port(), "/views/contractors/v0.1/no-such-route").status == 401);
  // A cached page's ETag does not get a 304 without a token either.
  CHECK(get(m.port(), base, "", {{"If-None-Match", ok.header("etag")}}).status == 401);
  CHECK(get(m.port(), base, token_a, {{"If-None-Match", ok.header("etag")}}).status == 304);
  // CORS works as under the root: the preflight needs no token, the 401 carries CORS headers.
  const auto preflight = http_request(m.port(), "OPTIONS", base,
                                      {{"Origin", "https://vscode.dev"}, {"Access-Control-Request-Method", "GET"},
                                       {"Access-Control-Request-Headers", "authorization"}});
  CHECK(preflight.status == 204);
  CHECK(!preflight.header("access-control-allow-origin").empty());
  CHECK(!get(m.port(), base, "", {{"Origin", "https://vscode.dev"}}).header("access-control-allow-origin").empty());

  // A withdrawn token stops working at the reload; a broken token file keeps the tokens in force.
  write_file(files.path() / "tokens", std::string(token_b) + "\n");
  (void)m.app().reload_curation().get();
  CHECK(get(m.port(), base, token_a).status == 401);
  CHECK(get(m.port(), base, token_b).status == 200);
  write_file(files.path() / "tokens", "short\n");
  const auto outcome = m.app().reload_curation().get();
  CHECK_FALSE(outcome.ok);
  CHECK(outcome.error.find("shorter than 16") != std::string::npos);
  CHECK(get(m.port(), base, token_b).status == 200);
  // Unknown views and a bare view path are the upstream's 404.
  CHECK(get(m.port(), "/views/nobody/v0.1/servers").status == 404);
  CHECK(get(m.port(), "/views/public").status == 404);
}

TEST_CASE("views: a commit that changes nothing a view shows keeps its ETags - its feed and explain are its own") {
  temp_dir files;
  config::mirror_config cfg;
  write_file(files.path() / "no-b.yaml",
             "rules:\n  - id: hide-b\n    match:\n      namespace: io.github.b\n    action: exclude\n");
  cfg.views.push_back({"no-b", files.path() / "no-b.yaml", {}});
  cfg.views.push_back({"all", {}, {}});
  const std::vector<store::incoming> rows{upstream_row("io.github.a/x", "1.0.0", t0, true),
                                          upstream_row("io.github.b/y", "1.0.0", t0, true)};
  running_mirror m(rows, cfg, t0 + 1);
  const auto etag = [&](const std::string& target) { return get(m.port(), target).header("etag"); };
  const auto before_view = etag("/views/no-b/v0.1/servers");
  const auto before_all = etag("/views/all/v0.1/servers");
  const auto before_root = etag("/v0.1/servers");
  CHECK(parse_server_list(get(m.port(), "/views/no-b/v0.1/servers").body).servers.size() == 1);

  // Another process changes io.github.b/y (as `mcp-mirror import` into the data dir would).
  {
    auto c = cfg;
    c.data_dir = m.data_dir();
    auto w = app::open_writer(c, t0 + 2);
    auto edit = upstream_row("io.github.b/y", "1.0.0", t0, true, model::status::active, t0 + 2);
    edit.data.server_json = server_json("io.github.b/y", "1.0.0", "edited");
    w.apply(std::vector{edit}, model::source::upstream, t0 + 2);
  }
  CHECK(etag("/views/no-b/v0.1/servers") == before_view);
  CHECK(get(m.port(), "/views/no-b/v0.1/servers", "", {{"If-None-Match", before_view}}).status == 304);
  CHECK(etag("/views/all/v0.1/servers") != before_all);
  CHECK(etag("/v0.1/servers") != before_root);

  // Each view's feed: "all" saw the edit, "no-b" did not.
  const auto feed = [&](const std::string& base) {
    return get(m.port(), base + "/v0.1/x/" + ns + "/changes?since=0&limit=100").body;
  };
  CHECK(feed("/views/all").find("\"changed\"") != std::string::npos);
  CHECK(feed("/views/no-b").find("io.github.b/y") == std::string::npos);
  // explain under the view's rules, and under the root's (none).
  const auto view_explain = get(m.port(), "/views/no-b/v0.1/x/" + ns + "/explain?name=io.github.b/y");
  REQUIRE(view_explain.status == 200);
  CHECK(view_explain.body.find("hide-b") != std::string::npos);
  CHECK(get(m.port(), "/v0.1/x/" + ns + "/explain?name=io.github.b/y").body.find("hide-b") == std::string::npos);
}

TEST_CASE("views: a broken view file on reload keeps that view's rules, the others are applied") {
  temp_dir files;
  config::mirror_config cfg;
  write_file(files.path() / "a.yaml", "rules:\n  - id: no-x\n    match:\n      name: io.github.a/x\n    action: exclude\n");
  write_file(files.path() / "b.yaml", "rules: []\n");
  cfg.views.push_back({"a", files.path() / "a.yaml", {}});
  cfg.views.push_back({"b", files.path() / "b.yaml", {}});
  const std::vector<store::incoming> rows{upstream_row("io.github.a/x", "1.0.0", t0, true),
                                          upstream_row("io.github.a/y", "1.0.0", t0, true)};
  running_mirror m(rows, cfg, t0 + 1);
  const auto names = [&](const std::string& view) {
    std::vector<std::string> out;
    for (const auto& s : parse_server_list(get(m.port(), "/views/" + view + "/v0.1/servers").body).servers)
      out.push_back(s.name);
    return out;
  };
  CHECK(names("a") == std::vector<std::string>{"io.github.a/y"});
  CHECK(names("b") == std::vector<std::string>{"io.github.a/x", "io.github.a/y"});

  write_file(files.path() / "a.yaml", "rules:\n  - id: broken\n    match: [not, a, map]\n");
  write_file(files.path() / "b.yaml", "rules:\n  - id: no-y\n    match:\n      name: io.github.a/y\n    action: exclude\n");
  const auto outcome = m.app().reload_curation().get();
  CHECK_FALSE(outcome.ok);
  CHECK(outcome.error.find("view a:") != std::string::npos);
  CHECK(outcome.error.find("a.yaml:3") != std::string::npos);
  CHECK(string_at(outcome.body, "/status") == "partial");
  CHECK(string_at(outcome.body, "/views/0/status") == "rejected");
  CHECK(string_at(outcome.body, "/views/1/status") == "applied");
  CHECK(names("a") == std::vector<std::string>{"io.github.a/y"});  // the old rules
  CHECK(names("b") == std::vector<std::string>{"io.github.a/x"});  // the new rules
  CHECK(parse_server_list(get(m.port(), "/v0.1/servers").body).servers.size() == 2);
}
