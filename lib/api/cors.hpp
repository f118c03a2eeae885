#pragma once
// CORS. Every response carries the headers GitHub Copilot's private-registry setting requires on
// `/v0.1/servers`: Allow-Origin `*`, Allow-Methods `GET, OPTIONS`, Allow-Headers
// `Authorization, Content-Type`; plus the upstream's exposed headers. A preflight (OPTIONS with
// Access-Control-Request-Method) is answered 204 as rs/cors does for the upstream: any of GET,
// HEAD, POST, PUT, PATCH, DELETE, OPTIONS is allowed (docs/conformance.md item 23), requested
// headers are allowed, max-age one day.
#include "api/http_types.hpp"

namespace mirror::api {

// `Vary: Origin`, plus `Accept-Encoding` on cacheable 200s (the ones the server may gzip).
void add_cors_headers(response& r);
response preflight(const request& req);

}  // namespace mirror::api
