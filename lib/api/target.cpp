#include "api/target.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace mirror::api {

std::optional<std::string_view> target::param(std::string_view name) const {
  for (const auto& [k, v] : params)
    if (k == name) return std::string_view(v);
  return std::nullopt;
}

std::optional<target> parse_target(std::string_view raw) {
  auto parsed = boost::urls::parse_origin_form(raw);
  if (!parsed) return std::nullopt;
  const boost::urls::url_view& u = *parsed;
  target t;
  t.raw_path = u.encoded_path();
  t.has_query = u.has_query();
  t.raw_query = u.encoded_query();
  t.decoded_path = u.path();
  for (auto seg : u.segments()) t.segments.push_back(seg);
  // A path ending in '/' has an empty last segment; Boost.URL drops it, Go keeps it.
  if (t.raw_path.size() > 1 && t.raw_path.back() == '/') t.segments.emplace_back();
  for (auto p : u.params()) t.params.emplace_back(p.key, p.has_value ? p.value : std::string());
  return t;
}

std::string clean_path(std::string_view raw_path) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i <= raw_path.size()) {
    std::size_t j = raw_path.find('/', i);
    if (j == std::string_view::npos) j = raw_path.size();
    auto part = raw_path.substr(i, j - i);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    i = j + 1;
  }
  std::string out;
  for (auto p : parts) {
    out += '/';
    out += p;
  }
  return out.empty() ? "/" : out;
}

}  // namespace mirror::api
