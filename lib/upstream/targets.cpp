#include "upstream/targets.hpp"

#include "model/timestamp.hpp"

namespace mirror::upstream {

namespace {

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

}  // namespace

std::string percent_encode(std::string_view value) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (const char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (unreserved(c)) {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0x0F];
    }
  }
  return out;
}

std::string servers_page_target(const page_request& request) {
  std::string target = "/v0.1/servers?limit=";
  target += std::to_string(request.limit);
  target += request.include_deleted ? "&include_deleted=true" : "&include_deleted=false";
  if (request.updated_since_us) {
    target += "&updated_since=";
    target += percent_encode(model::format_rfc3339(*request.updated_since_us));
  }
  if (request.cursor) {
    target += "&cursor=";
    target += percent_encode(*request.cursor);
  }
  return target;
}

std::string versions_target(std::string_view name) {
  std::string target = "/v0.1/servers/";
  target += percent_encode(name);
  target += "/versions?include_deleted=true";
  return target;
}

std::string extension_target(std::string_view ns, std::string_view path) {
  return "/v0.1/x/" + percent_encode(ns) + "/" + std::string(path);
}

}  // namespace mirror::upstream
