// GET /servers, /servers/{name}/versions, /servers/{name}/versions/{version|latest}
// (docs/upstream-api.md: Paths, Request handling, Order and pagination).
#include "api/handlers.hpp"
#include "api/list_params.hpp"
#include "api/problem.hpp"
#include "json/writer.hpp"
#include "model/cursor.hpp"

namespace mirror::api::handlers {
namespace {

bool hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int hex_value(char c) {
  if (c <= '9') return c - '0';
  return (c | 0x20) - 'a' + 10;
}

// include_deleted on the version endpoints is a plain Huma bool: bad value → 422.
std::variant<bool, response> include_deleted_param(const target& t) {
  std::vector<error_detail> invalid;
  const auto value = bool_param(t, "include_deleted", invalid);
  if (!invalid.empty()) return problem(422, "validation failed", invalid);
  return value.value_or(false);
}

// The upstream decodes path parameters a second time; a bad escape there is its 400.
std::variant<std::string, response> path_param(std::string_view raw, std::string_view what) {
  auto u = go_path_unescape(raw);
  if (!u.value)
    return problem(400, std::string("Invalid ") + std::string(what) + " encoding", {{u.error, "", ""}});
  return std::move(*u.value);
}

response ok_json(std::string body) {
  response r;
  r.body = std::move(body);
  r.cacheable = true;
  return r;
}

}  // namespace

unescaped go_path_unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size() || !hex(s[i + 1]) || !hex(s[i + 2])) {
      std::string bad(s.substr(i, 3));
      std::string quoted;
      json::append_escaped(quoted, bad);  // Go's strconv.Quote agrees for printable ASCII
      return {std::nullopt, "invalid URL escape " + quoted};
    }
    out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
    i += 2;
  }
  return {std::move(out), {}};
}

response list_servers(const target& t, store::reader& db, const render::render_options& options) {
  auto parsed = parse_list_params(t);
  if (auto* err = std::get_if<response>(&parsed)) return std::move(*err);
  const auto& q = std::get<model::list_query>(parsed);
  auto rows = db.list(q);
  std::optional<std::string> next;
  // A cursor whenever the page is full, even if nothing follows (docs/upstream-api.md: Order and
  // pagination).
  if (!rows.empty() && rows.size() == static_cast<std::size_t>(q.limit))
    next = model::format_cursor(rows.back().data.name, rows.back().data.version);
  return ok_json(render::render_server_list(rows, next, options));
}

namespace {

// The 404 of a name this mirror does not hold, unless its first sync has not completed: then the
// name may well exist upstream, and a host that takes 404 as final (VS Code's registry-only
// policy blocks the server) must be told to come back instead.
response name_not_found(std::string_view name, store::reader& db, bool first_sync_pending) {
  if (first_sync_pending && !db.serves_name(name)) {
    auto r = problem(503, "This mirror has not completed its first sync from its upstream yet, so it cannot say "
                          "whether this server exists. Retry later.");
    r.headers.emplace_back("Retry-After", "30");
    return r;
  }
  return problem(404, "Server not found");
}

}  // namespace

response server_versions(const target& t, std::string_view raw_name, store::reader& db,
                         const render::render_options& options, bool first_sync_pending) {
  auto include_deleted = include_deleted_param(t);
  if (auto* err = std::get_if<response>(&include_deleted)) return std::move(*err);
  auto name = path_param(raw_name, "server name");
  if (auto* err = std::get_if<response>(&name)) return std::move(*err);
  auto rows = db.versions(std::get<std::string>(name), std::get<bool>(include_deleted));
  if (rows.empty()) return name_not_found(std::get<std::string>(name), db, first_sync_pending);
  return ok_json(render::render_server_list(rows, std::nullopt, options));
}

response server_version(const target& t, std::string_view raw_name, std::string_view raw_version,
                        store::reader& db, const render::render_options& options, bool first_sync_pending) {
  auto include_deleted = include_deleted_param(t);
  if (auto* err = std::get_if<response>(&include_deleted)) return std::move(*err);
  auto name = path_param(raw_name, "server name");
  if (auto* err = std::get_if<response>(&name)) return std::move(*err);
  auto version = path_param(raw_version, "version");
  if (auto* err = std::get_if<response>(&version)) return std::move(*err);
  const auto& n = std::get<std::string>(name);
  const auto& v = std::get<std::string>(version);
  const bool deleted_ok = std::get<bool>(include_deleted);
  auto row = v == "latest" ? db.latest(n, deleted_ok) : db.get(n, v, deleted_ok);
  if (!row) return name_not_found(n, db, first_sync_pending);
  return ok_json(render::render_server_response(*row, options));
}

}  // namespace mirror::api::handlers
