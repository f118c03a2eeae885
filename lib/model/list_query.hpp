#pragma once
// A validated `GET /servers` query (docs/upstream-api.md: Paths, Request handling). Produced by
// api's parameter parser, consumed by the store's reader.
#include <cstdint>
#include <optional>
#include <string>

#include "model/cursor.hpp"

namespace mirror::model {

struct list_query {
  std::optional<model::cursor> after{};         // strictly after this (name, version)
  int limit = 30;                             // 1..100
  std::string search{};                         // case-insensitive name substring; "" = none
  std::optional<std::int64_t> updated_since_us{};  // updated_at > this (microseconds)
  bool latest_only = false;                   // version=latest
  std::optional<std::string> exact_version{};   // version=<anything else>
  bool include_deleted = false;
};

}  // namespace mirror::model
