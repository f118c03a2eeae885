// GET /v0.1/x/<ns>/search over HTTP: ranked results in the ServerList shape, prefix words,
// combinable filters, cursor paging, the 422s, caching, and a view seeing only what it serves.
// (Ranking and filters against a model: unit/store/test_catalog_search.cpp.)
#include <doctest/doctest.h>

#include <fstream>

#include <fmt/format.h>

#include "support/http_client.hpp"
#include "support/json_view.hpp"
#include "support/rows.hpp"
#include "support/running_mirror.hpp"
#include "support/temp_dir.hpp"

using namespace mirror;
using namespace mirror::test;

namespace {

const std::string base = "/v0.1/x/io.github.mcp-mirror/search";

store::incoming entry(const std::string& name, const std::string& fields,
                      model::status status = model::status::active) {
  auto in = upstream_row(name, "1.0.0", t0, true, status);
  in.data.server_json = R"({"name":")" + name + R"(","version":"1.0.0",)" + fields + "}";
  return in;
}

std::string url_encode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::vector<std::string> names_of(const http_reply& r) {
  std::vector<std::string> out;
  for (const auto& s : parse_server_list(r.body).servers) out.push_back(s.name);
  return out;
}

const std::vector<store::incoming> catalog = {
    entry("io.github.acme/weather",
          R"("title":"Weather Forecast","description":"Forecasts for any city",)"
          R"("packages":[{"registryType":"npm","identifier":"w","transport":{"type":"stdio"}}])"),
    entry("io.github.acme/forecast-tools",
          R"("description":"Weather data and weather alerts",)"
          R"("remotes":[{"type":"streamable-http","url":"https://example.com/mcp"}])"),
    entry("io.github.zed/postgres",
          R"("description":"Query a database",)"
          R"("packages":[{"registryType":"pypi","identifier":"p","transport":{"type":"stdio"}}])",
          model::status::deprecated),
    entry("io.github.zed/weatherman", R"("description":"Old weather server")", model::status::deleted),
};

}  // namespace

TEST_CASE("search endpoint: ranked prefix words, filters, paging, errors and caching") {
  running_mirror m(catalog);
  const auto port = m.port();

  auto weather = http_request(port, "GET", base + "?q=weather");
  REQUIRE(weather.status == 200);
  CHECK(weather.header("content-type") == "application/json");
  // The name's word counts most: the server named "weather" first; deleted ones are left out.
  CHECK(names_of(weather) == std::vector<std::string>{"io.github.acme/weather", "io.github.acme/forecast-tools"});
  CHECK(parse_server_list(weather.body).count == 2);
  CHECK(parse_server_list(weather.body).servers[0].is_latest);
  CHECK(names_of(http_request(port, "GET", base + "?q=WEATH")) == names_of(weather));  // a prefix, any case
  CHECK(names_of(http_request(port, "GET", base + "?q=weather+alerts")) ==
        std::vector<std::string>{"io.github.acme/forecast-tools"});  // every word must match
  CHECK(names_of(http_request(port, "GET", base + "?q=nothing-like-it")).empty());

  // Filters, alone and with words.
  CHECK(names_of(http_request(port, "GET", base + "?registry_type=npm")) == std::vector<std::string>{"io.github.acme/weather"});
  CHECK(names_of(http_request(port, "GET", base + "?q=weather&transport=streamable-http")) ==
        std::vector<std::string>{"io.github.acme/forecast-tools"});
  CHECK(names_of(http_request(port, "GET", base + "?shape=package")) ==
        std::vector<std::string>{"io.github.acme/weather", "io.github.zed/postgres"});
  CHECK(names_of(http_request(port, "GET", base + "?status=deprecated")) == std::vector<std::string>{"io.github.zed/postgres"});
  CHECK(names_of(http_request(port, "GET", base + "?q=weather&status=deleted")) ==
        std::vector<std::string>{"io.github.zed/weatherman"});
  CHECK(names_of(http_request(port, "GET", base + "?q=weather&registry_type=pypi")).empty());

  // Paging: a full page has a cursor; following it gives the rest, in the same order.
  std::vector<std::string> paged;
  std::string target = base + "?q=weather&limit=1";
  for (int i = 0; i < 5; ++i) {
    auto page = http_request(port, "GET", target);
    REQUIRE(page.status == 200);
    const auto list = parse_server_list(page.body);
    for (const auto& s : list.servers) paged.push_back(s.name);
    if (!list.has_next_cursor) break;
    target = base + "?q=weather&limit=1&cursor=" + url_encode(list.next_cursor);
  }
  CHECK(paged == names_of(weather));

  // Bad parameters: one 422 listing each.
  auto bad = http_request(port, "GET", base + "?shape=round&status=gone&limit=0");
  CHECK(bad.status == 422);
  CHECK(bad.header("content-type") == "application/problem+json");
  CHECK(bad.body.find("query.shape") != std::string::npos);
  CHECK(bad.body.find("query.status") != std::string::npos);
  CHECK(bad.body.find("query.limit") != std::string::npos);
  CHECK(http_request(port, "GET", base + "?q=weather&cursor=not-a-cursor").status == 422);
  CHECK(http_request(port, "GET", base + "?q=" + std::string(300, 'a')).status == 422);

  // Cached and validated like the list.
  const auto etag = weather.header("etag");
  REQUIRE_FALSE(etag.empty());
  CHECK(http_request(port, "GET", base + "?q=weather", {{"If-None-Match", etag}}).status == 304);
  CHECK(http_request(port, "GET", "/v0/x/io.github.mcp-mirror/search?q=weather").status == 200);
  // The upstream's `search` keeps its meaning: a name substring.
  CHECK(names_of(http_request(port, "GET", "/v0.1/servers?search=forecast")) ==
        std::vector<std::string>{"io.github.acme/forecast-tools"});
}

TEST_CASE("search endpoint: under a view, only the servers the view serves") {
  temp_dir files;
  config::mirror_config cfg;
  std::ofstream(files.path() / "product.yaml") << "rules:\n  - id: no-weather\n    match:\n      name: io.github.acme/weather\n"
                                                  "    action: exclude\n";
  cfg.views.push_back(config::view_config{"product", files.path() / "product.yaml", {}});
  running_mirror m(catalog, cfg);
  auto r = http_request(m.port(), "GET", "/views/product" + base + "?q=weather&limit=1");
  REQUIRE(r.status == 200);
  // The page is filled from further down the ranking, past the hidden server.
  CHECK(names_of(r) == std::vector<std::string>{"io.github.acme/forecast-tools"});
  CHECK(names_of(http_request(m.port(), "GET", "/views/product" + base + "?registry_type=npm")).empty());
  CHECK(names_of(http_request(m.port(), "GET", base + "?registry_type=npm")) == std::vector<std::string>{"io.github.acme/weather"});
}
