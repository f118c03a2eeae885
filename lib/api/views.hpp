#pragma once
// Views under /views/<name>/ (config `views:`): the whole API again, over one audience's catalog.
// The view's name is matched on the raw path segment, so one view has one spelling of its URLs
// (a percent-encoded name is a 404): the HTTP layer keys its cache and ETags by that spelling.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mirror::api {

struct view_options {
  std::string name;
  // The bearer tokens in force (a reload may change them); empty function: a public view.
  std::function<std::shared_ptr<const std::vector<std::string>>()> tokens;
  // The explain document under this view's rules (as mirror_hooks::explain); empty: none.
  std::function<std::optional<std::string>(std::string_view name, std::optional<std::string_view> version)> explain;
};

struct view_path {
  std::string_view name;  // raw segment
  std::string_view rest;  // the raw path after it, "/..." ("" when nothing follows the name)
};

// "/views/<name>" or "/views/<name>/..." (a path or a whole target); nullopt otherwise.
std::optional<view_path> split_view_path(std::string_view target);

}  // namespace mirror::api
