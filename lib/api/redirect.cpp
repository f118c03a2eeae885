#include "api/redirect.hpp"

#include "api/problem.hpp"

namespace mirror::api {
namespace {

// Go's html.EscapeString.
std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '\'': out += "&#39;"; break;
      case '"': out += "&#34;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

response redirect(unsigned status, std::string_view path, std::string_view raw_query,
                  std::string_view method) {
  std::string location(path);
  if (!raw_query.empty()) {
    location += '?';
    location += raw_query;
  }
  response r;
  r.status = status;
  r.content_type.clear();
  if (method == "GET" || method == "HEAD") {
    r.content_type = "text/html; charset=utf-8";
    r.body = "<a href=\"" + html_escape(location) + "\">" + std::string(status_text(status)) + "</a>.\n\n";
  }
  r.headers.emplace_back("Location", std::move(location));
  return r;
}

}  // namespace mirror::api
