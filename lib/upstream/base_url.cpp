#include "upstream/base_url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "upstream/errors.hpp"

namespace mirror::upstream {

namespace {

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// "/registry/v0.1/" -> "/registry"; "/v0" -> ""; "/" -> "".
std::string path_prefix(std::string_view path) {
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  for (std::string_view version : {"/v0.1", "/v0"}) {
    if (ends_with(path, version)) {
      path.remove_suffix(version.size());
      break;
    }
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  return std::string(path);
}

}  // namespace

boost::system::result<base_url> parse_base_url(std::string_view text) {
  namespace urls = boost::urls;
  auto parsed = urls::parse_absolute_uri(text);
  if (!parsed) return errc::bad_base_url;
  const urls::url_view& u = *parsed;
  base_url out;
  if (u.scheme_id() == urls::scheme::https) {
    out.tls = true;
  } else if (u.scheme_id() != urls::scheme::http) {
    return errc::bad_base_url;
  }
  if (!u.has_authority() || u.encoded_host().empty() || u.has_userinfo() || u.has_query() ||
      u.has_fragment())
    return errc::bad_base_url;
  const std::string_view default_port = out.tls ? "443" : "80";
  if (u.has_port() && !u.port().empty()) {
    if (u.port_number() == 0 || u.port().size() > 5) return errc::bad_base_url;
    out.port = std::to_string(u.port_number());  // drops leading zeros
  } else {
    out.port = default_port;
  }
  out.ip_literal = u.host_type() != urls::host_type::name;
  out.host = u.host_address();
  out.host_header = u.encoded_host();
  if (out.port != default_port) out.host_header += ":" + out.port;
  out.path_prefix = path_prefix(u.encoded_path());
  return out;
}

}  // namespace mirror::upstream
