#include "api/views.hpp"

namespace mirror::api {

std::optional<view_path> split_view_path(std::string_view target) {
  constexpr std::string_view prefix = "/views/";
  const auto path = target.substr(0, target.find('?'));
  if (!path.starts_with(prefix)) return std::nullopt;
  const auto after = path.substr(prefix.size());
  const auto slash = after.find('/');
  view_path out{after.substr(0, slash), slash == std::string_view::npos ? std::string_view() : after.substr(slash)};
  if (out.name.empty()) return std::nullopt;
  return out;
}

}  // namespace mirror::api
