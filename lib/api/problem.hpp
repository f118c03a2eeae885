#pragma once
// Error responses exactly as the live upstream sends them (docs/upstream-api.md: Errors): RFC 9457
// problem+json produced by Huma, `{"title","status","detail"[,"errors"]}` plus a newline; the
// generic 404 of unmatched routes, written by a different upstream code path with json.Marshal
// over a map (keys sorted, no newline, `X-Content-Type-Options: nosniff`); and the NUL-byte 400,
// which upstream sends as `application/json`.
#include <string>
#include <string_view>
#include <vector>

#include "api/http_types.hpp"

namespace mirror::api {

// One entry of Huma's `errors` array: message, location ("query.limit"), value (raw JSON).
struct error_detail {
  std::string message;
  std::string location;    // omitted when empty
  std::string value_json;  // omitted when empty; already-encoded JSON value
};

// Huma error model: `application/problem+json`, title from the status code.
response problem(unsigned status, std::string_view detail, const std::vector<error_detail>& errors = {});

// The catch-all 404 for paths no route matches (or a method no route allows).
response route_not_found(std::string_view decoded_path);

// 400 for a NUL byte in the path or query (upstream's NulByteValidationMiddleware).
response nul_byte_rejected(bool in_path);

std::string_view status_text(unsigned status);

}  // namespace mirror::api
