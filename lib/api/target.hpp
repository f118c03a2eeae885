#pragma once
// A request-target split the way the upstream's Go server sees it: the path percent-decoded per
// segment (so `%2F` inside a server name stays inside its segment, docs/upstream-api.md: Request
// handling) and the query form-decoded (`+` is a space, as in Go's url.Values).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mirror::api {

struct target {
  std::string raw_path;                  // as sent, still encoded
  std::string raw_query;                 // after '?', as sent; "" when none
  bool has_query = false;                // a '?' was present
  std::string decoded_path;              // whole path decoded (Go's r.URL.Path)
  std::vector<std::string> segments;     // decoded segments; "/v0.1/servers/" → {v0.1, servers, ""}
  std::vector<std::pair<std::string, std::string>> params;  // decoded, in order

  // First value of a query parameter, as Go's url.Values.Get (absent → nullopt).
  std::optional<std::string_view> param(std::string_view name) const;
};

// nullopt when the target is not a valid origin-form (e.g. a bad percent escape).
std::optional<target> parse_target(std::string_view raw);

// Go's path.Clean on an encoded path (collapses `//`, `/./`, `/../`, drops a trailing `/`),
// leaving percent escapes untouched so `%2F` in a name survives a redirect.
std::string clean_path(std::string_view raw_path);

}  // namespace mirror::api
