#pragma once
// The upstream's "which version is newer" rule (docs/upstream-api.md: Incremental sync and latest,
// docs/conformance.md item 20):
// both valid SemVer → SemVer 2.0 precedence (build metadata ignored); exactly one SemVer → the
// SemVer one wins; neither → the later publishedAt wins.
#include <cstdint>
#include <string_view>

namespace mirror::model {

// Valid SemVer 2.0 with an optional leading 'v': MAJOR.MINOR.PATCH, no leading zeros in numeric
// identifiers, optional -prerelease (dot-separated, non-empty identifiers of [0-9A-Za-z-],
// numeric ones without leading zeros) and +build (non-empty [0-9A-Za-z-] identifiers).
// "2021.11.15" is SemVer; "2021.03.05", "1.0", "1.0.0.0", "snapshot", "latest", "" are not.
bool is_semver(std::string_view version);

// SemVer precedence of two valid SemVer strings: <0, 0, >0. Build metadata is ignored,
// a leading 'v' is ignored, numeric identifiers compare numerically (any length), a release
// outranks its prereleases, numeric identifiers rank below alphanumeric ones.
// Outside that precondition a non-SemVer argument ranks below a SemVer one and two
// non-SemVer arguments are equal (a safe total order, not an upstream rule).
int compare_semver(std::string_view a, std::string_view b);

// The full rule: <0 when a is older than b, >0 when newer, 0 when neither wins.
int compare_versions(std::string_view a, std::int64_t a_published_us,
                     std::string_view b, std::int64_t b_published_us);

}  // namespace mirror::model
