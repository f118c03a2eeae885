#pragma once
// Bearer tokens (RFC 6750) compared in constant time: neither the admin token nor a view's
// tokens leak through how long a wrong one takes to refuse.
#include <span>
#include <string>
#include <string_view>

namespace mirror::api {

// True when `given` equals `expected` (never for an empty `expected`); the time taken depends
// only on the length of `given`.
bool same_secret(std::string_view given, std::string_view expected);

// True when `authorization` is `Bearer <t>` and t is one of `tokens`. Every token is compared,
// whichever matches.
bool bearer_allowed(std::string_view authorization, std::span<const std::string> tokens);

}  // namespace mirror::api
