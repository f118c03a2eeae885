#pragma once
// Redirects as Go's http.Redirect writes them: Location = path plus `?query` when there is one,
// and for GET/HEAD a small HTML body linking to it.
#include <string_view>

#include "api/http_types.hpp"

namespace mirror::api {

response redirect(unsigned status, std::string_view path, std::string_view raw_query,
                  std::string_view method);

}  // namespace mirror::api
