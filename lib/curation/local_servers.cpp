#include "curation/local_servers.hpp"

#include <fmt/format.h>

#include "json/import_decoder.hpp"

namespace mirror::curation {

std::variant<local_catalog, std::string> decode_local(const rule_set& rules, std::int64_t now_us) {
  local_catalog catalog;
  for (const auto& local : rules.local_servers) {
    const auto decoded = json::decode_import(local.json, {.now_us = now_us});
    if (!decoded.batch) return fmt::format("{}: {}", local.origin, decoded.error);
    if (!decoded.batch->errors.empty()) {
      const auto& e = decoded.batch->errors.front();
      return fmt::format("{}: entry {}: {}", local.origin, e.index, e.reason);
    }
    for (const auto& entry : decoded.batch->entries) {
      auto& versions = catalog.by_name[entry.version.name];
      for (const auto& v : versions)
        if (v.data.version == entry.version.version)
          return fmt::format("{}: {}@{} is also given by another local server", local.origin,
                             entry.version.name, entry.version.version);
      input_version in{entry.version, model::source::local, !entry.has_official};
      // isLatest of local servers follows the upstream's rule unless their own block says so.
      if (!entry.has_official) in.data.official.is_latest = false;
      versions.push_back(std::move(in));
    }
  }
  return catalog;
}

}  // namespace mirror::curation
