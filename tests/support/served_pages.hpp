#pragma once
// Every page of a mirror's full listing (deleted included), following nextCursor, as raw bodies:
// what chained and replicated mirrors compare byte for byte.
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "support/http_client.hpp"
#include "upstream/targets.hpp"

namespace mirror::test {

inline std::vector<std::string> listing_pages(unsigned short port, int limit) {
  std::vector<std::string> bodies;
  const std::string base = "/v0.1/servers?include_deleted=true&limit=" + std::to_string(limit);
  std::string target = base;
  for (;;) {
    auto r = http_get(port, target);
    REQUIRE(r.status == 200);
    bodies.push_back(r.body);
    auto at = r.body.find("\"nextCursor\":\"");
    if (at == std::string::npos) break;
    auto start = at + 14;
    target = base + "&cursor=" + upstream::percent_encode(r.body.substr(start, r.body.find('"', start) - start));
  }
  return bodies;
}

}  // namespace mirror::test
