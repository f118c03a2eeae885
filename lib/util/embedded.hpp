#pragma once
// Files compiled into the binary (scripts/embed.cmake): SQL migrations, the first-start seed,
// the served OpenAPI document and the default config. The binary needs nothing beside it.
#include <span>
#include <string_view>

namespace mirror::embedded {

struct resource {
  std::string_view name;     // file name, e.g. "0001_init.sql"
  std::string_view content;  // exact bytes of the file
};

// Migrations in application order (sorted by file name: 0001_..., 0002_...).
std::span<const resource> migrations();

// An embedded file by name ("seed-2025-09-29.json", "openapi.yaml", "mirror.default.yaml");
// empty when no such file was embedded.
std::string_view file(std::string_view name);

}  // namespace mirror::embedded
