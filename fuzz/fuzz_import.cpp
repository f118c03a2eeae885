// Every shape `mcp-mirror import` accepts (json::decode_import: array, ServerList, one object,
// JSON lines; old and current field shapes; document_decoder, document_lines, server_rewrite).
// Properties: decoded_checks.hpp; an entry's stored bytes, imported again as a bare
// server.json, decode to the same name, version and bytes (the rewrite is idempotent) unless
// they hold a `server` or `servers` member (then they read as an envelope or a ServerList).
#include "decoded_checks.hpp"

using namespace mirror;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = fuzz::as_text(data, size);
  const auto& options = fuzz::decode_options;
  const auto r = json::decode_import(bytes, options);
  fuzz::check_decoded(r, options.max_entry_bytes);
  if (!r.batch) return 0;
  for (const auto& e : r.batch->entries) {
    const auto tree = json::parse_tree(e.version.server_json);
    if (tree.value->find("server") || tree.value->find("servers")) continue;
    const auto again = json::decode_import(e.version.server_json, options);
    FUZZ_CHECK(again.batch && again.batch->entries.size() == 1);
    const auto& v = again.batch->entries[0].version;
    FUZZ_CHECK(v.name == e.version.name && v.version == e.version.version);
    FUZZ_CHECK(v.server_json == e.version.server_json);
  }
  return 0;
}
