// SemVer validity and the "which version is newer" order (model/version_order).
// Input: up to three versions separated by NUL bytes. Properties: a version equals itself;
// compare is antisymmetric; a <= b <= c implies a <= c (a total preorder: the store and the
// isLatest pick rely on it); SemVer ignores a leading 'v' and build metadata.
#include "fuzz_check.hpp"
#include "model/version_order.hpp"

using namespace mirror;

namespace {

int sign(int v) { return (v > 0) - (v < 0); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [a, rest] = fuzz::split_at_nul(fuzz::as_text(data, size));
  const auto [b, c] = fuzz::split_at_nul(rest);

  for (auto v : {a, b, c}) {
    FUZZ_CHECK(model::compare_semver(v, v) == 0);
    if (model::is_semver(v) && !v.starts_with('v')) {
      const std::string with_v = "v" + std::string(v);
      FUZZ_CHECK(model::is_semver(with_v) && model::compare_semver(with_v, v) == 0);
    }
    if (model::is_semver(v) && v.find('+') == std::string_view::npos) {
      const std::string with_build = std::string(v) + "+build.7";
      FUZZ_CHECK(model::is_semver(with_build) && model::compare_semver(with_build, v) == 0);
    }
  }
  FUZZ_CHECK(sign(model::compare_semver(a, b)) == -sign(model::compare_semver(b, a)));

  const int ab = model::compare_semver(a, b), bc = model::compare_semver(b, c), ac = model::compare_semver(a, c);
  if (ab <= 0 && bc <= 0) FUZZ_CHECK(ac <= 0);
  if (ab >= 0 && bc >= 0) FUZZ_CHECK(ac >= 0);

  // The full rule with publish times: still antisymmetric.
  const std::int64_t ta = static_cast<std::int64_t>(a.size()) * 1000, tb = static_cast<std::int64_t>(b.size()) * 1000;
  FUZZ_CHECK(sign(model::compare_versions(a, ta, b, tb)) == -sign(model::compare_versions(b, tb, a, ta)));
  return 0;
}
