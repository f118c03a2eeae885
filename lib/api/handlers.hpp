#pragma once
// Endpoint handlers: plain functions of (parsed target, store reader, options).
#include "api/http_types.hpp"
#include "api/mirror_hooks.hpp"
#include "api/service.hpp"
#include "api/target.hpp"
#include "store/reader.hpp"

namespace mirror::api::handlers {

response list_servers(const target& t, store::reader& db, const render::render_options& options);
// `first_sync_pending`: a name this mirror does not hold is 503 + Retry-After, not 404.
response server_versions(const target& t, std::string_view raw_name, store::reader& db,
                         const render::render_options& options, bool first_sync_pending = false);
response server_version(const target& t, std::string_view raw_name, std::string_view raw_version,
                        store::reader& db, const render::render_options& options, bool first_sync_pending = false);

response health(const service_options& options, const mirror_hooks& hooks);
response sync_status(const mirror_hooks& hooks);
// GET /v0.1/x/<namespace>/changes?since=<seq>&limit=<n>: the change feed, oldest first.
response changes(const target& t, store::reader& db);
// GET /v0.1/x/<namespace>/info: what a replica needs to know of this instance.
response instance_info(const service_options& options, store::reader& db);
response trigger_sync(std::string_view authorization, const mirror_hooks& hooks);
// POST /v0.1/x/<namespace>/reload (bearer token): starts re-reading the curation file; 202
// with the job's status document and its URL (Location: reload/<id>).
response reload_curation(std::string_view authorization, const mirror_hooks& hooks);
// GET /v0.1/x/<namespace>/reload/<id> (bearer token): that job's status document.
response reload_status(std::string_view authorization, std::string_view id, const mirror_hooks& hooks);
// GET /v0.1/x/<namespace>/explain?name=…[&version=…]: why a server is served the way it is.
response explain(const target& t, const mirror_hooks& hooks);
// GET /v0.1/x/<namespace>/search?q=&registry_type=&transport=&shape=&status=&limit=&cursor=:
// ranked full-text search, a ServerList of latest versions (api/search.cpp).
response search(const target& t, store::reader& db, const render::render_options& options);
response metrics(const mirror_hooks& hooks);
response ping();
response version_info(const service_options& options);
response openapi(const service_options& options);

// Write operations of the spec (publish, edit, delete, status): this mirror is read-only, so they
// answer 501 as the spec documents for registries that do not support them.
response read_only(std::string_view detail);

// Go's url.PathUnescape, which the upstream applies a second time to path parameters it has
// already received decoded; nullopt plus Go's error text on a bad escape.
struct unescaped {
  std::optional<std::string> value;
  std::string error;  // `invalid URL escape "%zz"`
};
unescaped go_path_unescape(std::string_view text);

}  // namespace mirror::api::handlers
