#include "api/bearer.hpp"

namespace mirror::api {

bool same_secret(std::string_view given, std::string_view expected) {
  if (expected.empty()) return false;
  std::size_t diff = given.size() ^ expected.size();
  for (std::size_t i = 0; i < given.size(); ++i)
    diff |= static_cast<unsigned char>(given[i]) ^ static_cast<unsigned char>(expected[i % expected.size()]);
  return diff == 0;
}

bool bearer_allowed(std::string_view authorization, std::span<const std::string> tokens) {
  constexpr std::string_view bearer = "Bearer ";
  if (!authorization.starts_with(bearer)) return false;
  const auto given = authorization.substr(bearer.size());
  bool ok = false;
  for (const auto& t : tokens) ok |= same_secret(given, t);
  return ok;
}

}  // namespace mirror::api
