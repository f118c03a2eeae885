#pragma once
// What a session writes: a response (its status and headers), possibly as its gzip body, or as
// 304 Not Modified.
#include <memory>
#include <string>
#include <string_view>

#include "api/http_types.hpp"

namespace mirror::http {

struct reply {
  std::shared_ptr<const api::response> res;
  std::shared_ptr<const std::string> gzip_body;  // set: the body goes out gzip-encoded
  std::string etag;                              // "" unless a cacheable 200
  bool not_modified = false;
  unsigned status() const { return not_modified ? 304 : res->status; }
  std::string_view body() const { return gzip_body ? std::string_view(*gzip_body) : res->body; }
};

}  // namespace mirror::http
