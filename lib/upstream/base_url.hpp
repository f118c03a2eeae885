#pragma once
// client_options::base_url taken apart once, at construction, into what each request needs.
#include <string>
#include <string_view>

#include <boost/system/result.hpp>

namespace mirror::upstream {

struct base_url {
  bool tls = false;          // https
  std::string host;          // decoded, IPv6 without brackets: for DNS, SNI and cert checks
  std::string port;          // explicit or the scheme's default ("80"/"443")
  std::string host_header;   // Host field: host as written (IPv6 in brackets), ":port" only
                             // when the URL names a non-default port
  std::string path_prefix;   // "" or "/registry": no trailing '/', "/v0.1" or "/v0" dropped,
                             // still percent-encoded as written; targets are appended to it
  bool ip_literal = false;   // no SNI for IP addresses (RFC 6066 §3)
};

// Accepts "http(s)://host[:port][/prefix][/v0.1|/v0][/]" (scheme and host case-insensitive).
// Returns errc::bad_base_url for relative URLs, other schemes, an empty host, userinfo, a
// query, a fragment or a port outside 1..65535.
boost::system::result<base_url> parse_base_url(std::string_view text);

}  // namespace mirror::upstream
