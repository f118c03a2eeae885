#pragma once
// Request targets for the upstream API, every query value percent-encoded (docs/upstream-api.md:
// Request handling: the upstream form-decodes queries, so a raw '+' in a cursor or timestamp offset
// would arrive as a space; upstream's own importer gets this wrong).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mirror::upstream {

struct page_request {
  std::optional<std::string> cursor;
  std::optional<std::int64_t> updated_since_us;  // sent as RFC 3339 UTC
  bool include_deleted = true;
  int limit = 100;
};

// "/v0.1/servers?limit=100&include_deleted=true[&updated_since=...][&cursor=...]", in that
// order. updated_since is written with model::format_rfc3339 (UTC, 'Z'), so only its ':' needs
// encoding; the cursor embeds a version, which may hold a '+' (SemVer build metadata).
// Nothing is validated here: upstream answers 400 to include_deleted=false together with
// updated_since and 422 to a limit outside 1..100 (docs/upstream-api.md: Request handling).
std::string servers_page_target(const page_request& request);

// "/v0.1/servers/<name with '/' as %2F>/versions?include_deleted=true"
std::string versions_target(std::string_view name);

// "/v0.1/x/<namespace>/<path>": another mcp-mirror's extensions (`path` as given, e.g.
// "info", "changes?since=4&limit=100").
std::string extension_target(std::string_view ns, std::string_view path);

// RFC 3986 unreserved characters stay, every other byte becomes %XX (upper-case hex).
std::string percent_encode(std::string_view value);

}  // namespace mirror::upstream
