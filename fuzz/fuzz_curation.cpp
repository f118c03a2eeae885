// The curation file (curation::parse: yaml-cpp, the rule schema, inline local servers through
// yaml_json), then the parsed rules applied to a few fixed servers (matching, globs, overrides,
// the per-name view). Properties: an error names the file; the hash is 64 hex digits; the
// served bytes of every visible version are valid minified JSON.
#include <variant>

#include "curation/local_servers.hpp"
#include "curation/parse.hpp"
#include "curation/view.hpp"
#include "fuzz_check.hpp"
#include "json/tree.hpp"

using namespace mirror;

namespace {

constexpr std::int64_t now_us = 1'759'147'200'000'000;  // 2025-09-29T12:00:00Z

model::server_version version(std::string name, std::string version, std::string json, bool latest) {
  model::server_version v{std::move(name), std::move(version), std::move(json), {}};
  v.official.published_at = {"2025-09-01T00:00:00Z", 1'756'684'800'000'000};
  v.official.updated_at = v.official.published_at;
  v.official.status_changed_at = v.official.published_at;
  v.official.is_latest = latest;
  return v;
}

const std::vector<curation::input_version>& fixed_versions() {
  static const std::vector<curation::input_version> versions = {
      {version("io.github.acme/tools", "1.0.0",
               R"({"$schema":"https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json","name":"io.github.acme/tools","description":"Tools","version":"1.0.0","packages":[{"registryType":"npm","identifier":"@acme/tools","version":"1.0.0","transport":{"type":"stdio"},"environmentVariables":[{"name":"API_KEY"}]},{"registryType":"oci","identifier":"acme/tools:1.0.0","transport":{"type":"stdio"}}]})",
               false)},
      {version("io.github.acme/tools", "1.1.0-rc.1",
               R"({"name":"io.github.acme/tools","description":"Tools","version":"1.1.0-rc.1","remotes":[{"type":"streamable-http","url":"https://api.acme.example/mcp"}]})",
               true)},
  };
  return versions;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto yaml = fuzz::as_text(data, size);
  const auto r = curation::parse(yaml, "curation.yaml");
  if (const auto* e = std::get_if<util::file_error>(&r)) {
    FUZZ_CHECK(e->file == "curation.yaml" && !e->message.empty());
    return 0;
  }
  const auto& rules = std::get<curation::rule_set>(r);
  FUZZ_CHECK(rules.hash.size() == 64 &&
             rules.hash.find_first_not_of("0123456789abcdef") == std::string::npos);

  (void)curation::decode_local(rules, now_us);  // inline local servers through the import decoder

  const auto view = curation::curate_name(rules, fixed_versions(), now_us);
  FUZZ_CHECK(view.versions.size() == fixed_versions().size());
  for (const auto& cv : view.versions) {
    if (!cv.visible) continue;
    const auto out = json::parse_tree(cv.served.server_json);
    FUZZ_CHECK(out.value && out.value->to_string() == cv.served.server_json);
  }
  return 0;
}
