// GET /v0.1/x/<namespace>/search: ranked full-text search over the served catalog, answered in
// the upstream's ServerList shape (each entry its latest version, as `version=latest` lists it)
// so a client that reads GET /servers reads this too. The upstream's own `search` parameter is
// untouched: it stays a name substring (list_params.cpp).
#include <algorithm>
#include <charconv>

#include <fmt/format.h>
#include <simdjson.h>

#include "api/handlers.hpp"
#include "api/list_params.hpp"
#include "api/problem.hpp"
#include "json/writer.hpp"
#include "render/server_response.hpp"

namespace mirror::api::handlers {
namespace {

constexpr std::size_t max_text = 256;  // bytes of `q`, and of each filter value

std::string json_quoted(std::string_view s) {
  std::string out = "\"";
  json::append_escaped(out, s);
  return out + "\"";
}

// A free-text parameter: absent or empty → nullopt; too long or not UTF-8 → an entry in
// `invalid`. `allowed` (when given) is the closed set of values.
std::optional<std::string> text_param(const target& t, std::string_view name, std::vector<error_detail>& invalid,
                                      std::initializer_list<std::string_view> allowed = {}) {
  const auto v = t.param(name);
  if (!v || v->empty()) return std::nullopt;
  const std::string location = "query." + std::string(name);
  if (v->size() > max_text || !simdjson::validate_utf8(v->data(), v->size())) {
    invalid.push_back({fmt::format("expected UTF-8 text of at most {} bytes", max_text), location, json_quoted(*v)});
    return std::nullopt;
  }
  if (allowed.size() && std::find(allowed.begin(), allowed.end(), *v) == allowed.end()) {
    std::string message = "expected value to be one of \"";
    for (auto a : allowed) message += std::string(a) + (a == *(allowed.end() - 1) ? "\"" : ", ");
    invalid.push_back({message, location, json_quoted(*v)});
    return std::nullopt;
  }
  return std::string(*v);
}

// Ranked: "<score>~<name>" (the score in the shortest text that reads back the same double);
// by name: "<name>". Names never hold '~' (the upstream's name pattern), scores never do.
std::string format_position(const store::search_hit& h) {
  return h.score ? fmt::format("{}~{}", *h.score, h.name) : h.name;
}

std::optional<store::search_query::position> parse_position(std::string_view text, bool ranked) {
  if (!ranked) return store::search_query::position{std::nullopt, std::string(text)};
  const auto tilde = text.find('~');
  if (tilde == std::string_view::npos) return std::nullopt;
  double score = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + tilde, score);
  if (ec != std::errc() || end != text.data() + tilde) return std::nullopt;
  return store::search_query::position{score, std::string(text.substr(tilde + 1))};
}

}  // namespace

response search(const target& t, store::reader& db, const render::render_options& options) {
  std::vector<error_detail> invalid;
  store::search_query q;
  if (auto text = text_param(t, "q", invalid)) q.words = store::prefix_query(*text);
  q.filter.registry_type = text_param(t, "registry_type", invalid);
  q.filter.transport = text_param(t, "transport", invalid);
  q.filter.shape = text_param(t, "shape", invalid, {"remote", "package", "both", "none"});
  q.filter.status = text_param(t, "status", invalid, {"active", "deprecated", "deleted"});
  const int limit = static_cast<int>(int_param(t, "limit", 1, 100, invalid).value_or(30));
  if (auto cursor = text_param(t, "cursor", invalid)) {
    q.after = parse_position(*cursor, q.words.has_value());
    if (!q.after)
      invalid.push_back({"not a cursor of this search (a nextCursor it returned)", "query.cursor", json_quoted(*cursor)});
  }
  if (!invalid.empty()) return problem(422, "validation failed", invalid);

  // The index is the root's; each hit is read through this reader (a view's own rows) and kept
  // only when that row still passes the filters, so a view shows only what it serves. Hits a
  // view drops are replaced from further down the ranking until the page is full.
  std::vector<store::row> rows;
  std::optional<std::string> next;
  auto one_commit = db.snapshot();
  q.limit = limit;
  for (bool more = true; more && static_cast<int>(rows.size()) < limit;) {
    const auto hits = db.search_names(q);
    more = static_cast<int>(hits.size()) == q.limit;
    for (const auto& h : hits) {
      q.after = store::search_query::position{h.score, h.name};
      auto row = db.latest(h.name, /*include_deleted=*/true);
      if (!row || !store::matches(store::catalog_doc_of(*row), q.filter)) continue;
      rows.push_back(std::move(*row));
      if (static_cast<int>(rows.size()) == limit) {
        next = format_position(h);  // a full page has a cursor, as GET /servers does
        break;
      }
    }
  }
  response r;
  r.body = render::render_server_list(rows, next, options);
  r.cacheable = true;  // a pure function of (target, change sequence), like GET /servers
  return r;
}

}  // namespace mirror::api::handlers
