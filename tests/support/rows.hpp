#pragma once
// Building stored versions for tests: upstream-shaped rows with explicit official blocks.
#include <string>

#include "model/server_version.hpp"
#include "model/timestamp.hpp"
#include "store/writer.hpp"

namespace mirror::test {

inline constexpr std::int64_t t0 = 1'750'000'000'000'000;  // 2025-06-15T15:06:40Z, in µs

// A minimal valid server.json for (name, version).
inline std::string server_json(const std::string& name, const std::string& version,
                               const std::string& description = "A test server") {
  return R"({"$schema":"https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json","name":")" +
         name + R"(","description":")" + description + R"(","version":")" + version + R"("})";
}

inline store::incoming upstream_row(const std::string& name, const std::string& version,
                                    std::int64_t published_us, bool is_latest,
                                    model::status status = model::status::active,
                                    std::int64_t updated_us = 0) {
  store::incoming in;
  in.authoritative = true;
  auto& d = in.data;
  d.name = name;
  d.version = version;
  d.server_json = server_json(name, version);
  d.official.status = status;
  d.official.published_at = model::make_timestamp(published_us);
  d.official.updated_at = model::make_timestamp(updated_us ? updated_us : published_us);
  d.official.status_changed_at = d.official.updated_at;
  if (status != model::status::active) d.official.status_message = "status set by test";
  d.official.is_latest = is_latest;
  return in;
}

}  // namespace mirror::test
