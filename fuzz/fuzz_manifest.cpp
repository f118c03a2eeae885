// Snapshot manifests (snapshot/manifest). Property: whatever parses renders back to a manifest
// that parses to the same value (render ∘ parse is a fixed point).
#include <variant>

#include "fuzz_check.hpp"
#include "snapshot/manifest.hpp"

using namespace mirror;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto r = snapshot::parse_manifest(fuzz::as_text(data, size));
  if (const auto* err = std::get_if<std::string>(&r)) {
    FUZZ_CHECK(!err->empty());
    return 0;
  }
  const auto& m = std::get<snapshot::manifest>(r);
  const auto rendered = snapshot::render_manifest(m);
  const auto back = snapshot::parse_manifest(rendered);
  FUZZ_CHECK(std::holds_alternative<snapshot::manifest>(back));
  FUZZ_CHECK(std::get<snapshot::manifest>(back) == m);
  FUZZ_CHECK(snapshot::render_manifest(std::get<snapshot::manifest>(back)) == rendered);
  return 0;
}
