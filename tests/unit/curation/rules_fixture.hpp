#pragma once
// Rule sets for the curation unit tests, written as the YAML an operator would write.
#include <doctest/doctest.h>

#include <string_view>
#include <variant>

#include "curation/parse.hpp"

namespace mirror::test {

inline curation::rule_set rules(std::string_view yaml) {
  auto r = curation::parse(yaml, "curation.yaml");
  if (auto* e = std::get_if<util::file_error>(&r)) FAIL(e->to_string());
  return std::get<curation::rule_set>(std::move(r));
}

}  // namespace mirror::test
