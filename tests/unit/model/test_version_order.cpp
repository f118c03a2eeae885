#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "model/version_order.hpp"

using namespace mirror::model;

namespace {
int sgn(int x) { return (x > 0) - (x < 0); }
}  // namespace

// --- docs/conformance.md item 20 ----------------------------------------------------------------

TEST_CASE("comparison table of checklist item 20") {
  CHECK(compare_semver("1.0.0-alpha", "1.0.0") < 0);
  CHECK(compare_semver("1.0.0-alpha.10", "1.0.0-alpha.2") > 0);
  CHECK(compare_semver("1.0.0-1", "1.0.0-alpha") < 0);
  CHECK(compare_semver("1.10.0", "1.2.0") > 0);

  CHECK(is_semver("2021.11.15"));
  CHECK_FALSE(is_semver("2021.03.05"));  // leading zero in MINOR
  CHECK_FALSE(is_semver("1.0"));
  CHECK_FALSE(is_semver("1.0.0.0"));
  CHECK_FALSE(is_semver("snapshot"));
  CHECK_FALSE(is_semver("latest"));
  CHECK_FALSE(is_semver(""));
}

TEST_CASE("a SemVer version beats a non-SemVer one whatever the publish times") {
  CHECK(compare_versions("1.0.0", 0, "snapshot", 0) > 0);
  CHECK(compare_versions("snapshot", 0, "1.0.0", 0) < 0);
  CHECK(compare_versions("2.0.0", 100, "snapshot", 200) > 0);
  CHECK(compare_versions("latest", 200, "1.0.0", 100) < 0);
  CHECK(compare_versions("1.0.0-alpha", 0, "custom", 0) > 0);
  CHECK(compare_versions("", 0, "1.0.0", 0) < 0);
  CHECK(compare_versions("0.0.1", 0, "2021.03.05", 999) > 0);
}

TEST_CASE("two non-SemVer versions compare by publish time") {
  CHECK(compare_versions("snapshot", 100, "latest", 200) < 0);
  CHECK(compare_versions("snapshot", 200, "latest", 100) > 0);
  CHECK(compare_versions("snapshot", 150, "latest", 150) == 0);
  CHECK(compare_versions("", 150, "", 150) == 0);
  CHECK(compare_versions("2021.03.16", 100, "2021.03.15", 200) < 0);  // not by the string
}

TEST_CASE("two SemVer versions ignore publish times") {
  CHECK(compare_versions("1.0.0", 200, "2.0.0", 100) < 0);
  CHECK(compare_versions("2.0.0", 100, "1.0.0", 200) > 0);
  CHECK(compare_versions("1.0.0", 100, "1.0.0", 200) == 0);
  CHECK(compare_versions("1.0.0+a", 100, "1.0.0+b", 200) == 0);
}

// --- semver.org precedence -----------------------------------------------------------------

TEST_CASE("the semver.org precedence example chain is strictly increasing") {
  const std::vector<std::string> chain{"1.0.0-alpha",  "1.0.0-alpha.1", "1.0.0-alpha.beta",
                                       "1.0.0-beta",   "1.0.0-beta.2",  "1.0.0-beta.11",
                                       "1.0.0-rc.1",   "1.0.0"};
  for (std::size_t i = 0; i < chain.size(); ++i) {
    for (std::size_t j = 0; j < chain.size(); ++j) {
      CAPTURE(chain[i]);
      CAPTURE(chain[j]);
      CHECK(sgn(compare_semver(chain[i], chain[j])) == (i < j ? -1 : i > j ? 1 : 0));
    }
  }
}

TEST_CASE("major, minor and patch compare numerically in that order") {
  CHECK(compare_semver("1.0.0", "2.0.0") < 0);
  CHECK(compare_semver("2.0.0", "1.9.9") > 0);
  CHECK(compare_semver("1.2.0", "1.1.9") > 0);
  CHECK(compare_semver("1.0.2", "1.0.10") < 0);
  CHECK(compare_semver("0.0.0", "0.0.1") < 0);
  CHECK(compare_semver("100.200.300", "100.200.301") < 0);
  CHECK(compare_semver("1.2.3", "1.2.3") == 0);
}

TEST_CASE("a release outranks its prereleases but not the previous release") {
  CHECK(compare_semver("1.2.3-1", "1.2.3") < 0);
  CHECK(compare_semver("1.2.3-1", "1.2.2") > 0);
  CHECK(compare_semver("2.0.0-rc.1", "1.99.99") > 0);
}

TEST_CASE("prerelease identifiers: numeric below alphanumeric, hyphens are alphanumeric") {
  CHECK(compare_semver("1.0.0-1", "1.0.0-a") < 0);
  CHECK(compare_semver("1.0.0-999", "1.0.0--") < 0);
  CHECK(compare_semver("1.0.0-alpha-2", "1.0.0-alpha-10") > 0);  // ASCII order, not numeric
  CHECK(compare_semver("1.0.0-Beta", "1.0.0-alpha") < 0);        // 'B' < 'a' in ASCII
  CHECK(compare_semver("1.0.0-1a", "1.0.0-1") > 0);              // "1a" is alphanumeric
  CHECK(compare_semver("1.0.0-alpha.1", "1.0.0-alpha.1.0") < 0);  // fewer fields rank lower
}

TEST_CASE("build metadata is ignored for precedence") {
  CHECK(compare_semver("1.0.0+a", "1.0.0+b") == 0);
  CHECK(compare_semver("1.0.0+20130313144700", "1.0.0") == 0);
  CHECK(compare_semver("1.0.0-rc.1+build.1", "1.0.0-rc.1+build.2") == 0);
  CHECK(compare_semver("1.0.0-rc.1+zzz", "1.0.0") < 0);
  CHECK(compare_semver("1.0.1+a", "1.0.0+b") > 0);
}

TEST_CASE("a leading v is optional and ignored") {
  CHECK(is_semver("v1.0.0"));
  CHECK(is_semver("v1.0.0-rc.1+build"));
  CHECK(compare_semver("v1.0.0", "1.0.0") == 0);
  CHECK(compare_semver("v1.10.0", "1.9.0") > 0);
  CHECK(compare_versions("v1.0.0", 0, "1.0.0", 0) == 0);
  CHECK_FALSE(is_semver("V1.0.0"));
  CHECK_FALSE(is_semver("vv1.0.0"));
  CHECK_FALSE(is_semver("v"));
  CHECK_FALSE(is_semver("v2021.03.15"));
}

TEST_CASE("numeric identifiers of any length compare without overflow") {
  const std::string huge = "123456789012345678901234567890";
  const std::string huger = "123456789012345678901234567891";
  CHECK(is_semver(huge + ".0.0"));
  CHECK(compare_semver(huge + ".0.0", huger + ".0.0") < 0);
  CHECK(compare_semver(huge + ".0.0", "99999999999999999999.0.0") > 0);  // longer is larger
  CHECK(compare_semver("1.0.0-" + huge, "1.0.0-" + huger) < 0);
  CHECK(compare_semver("1.0.0-" + huge, "1.0.0-2") > 0);
  CHECK(compare_semver("1." + huge + ".0", "1." + huge + ".0") == 0);
  CHECK(compare_semver("18446744073709551616.0.0", "18446744073709551615.0.0") > 0);
}

TEST_CASE("SemVer grammar accepts what semver.org allows") {
  for (const char* v : {"0.0.0", "1.2.3", "10.20.30", "1.0.0-alpha", "1.0.0-0", "1.0.0-0a",
                        "1.0.0-pre-release", "1.0.0--", "1.0.0-a.b.c.d", "1.0.0-0.3.7",
                        "1.0.0-x.7.z.92", "1.0.0+001", "1.0.0+exp.sha.5114f85",
                        "1.0.0-rc.1+build.1", "1.0.0+-", "1.0.0-alpha+001"}) {
    CAPTURE(v);
    CHECK(is_semver(v));
  }
}

TEST_CASE("SemVer grammar rejects malformed versions") {
  for (const char* v :
       {"1", "1.0", "1.0.0.0", "01.0.0", "1.01.0", "1.0.01", "-1.0.0", "1.-1.0", "a.0.0",
        "1.b.0", "1.0.c", "1..0", ".1.0.0", "1.0.0.", "1.0.0-", "1.0.0+", "1.0.0-+b",
        "1.0.0-01", "1.0.0-alpha.01", "1.0.0-alpha..1", "1.0.0-alpha.", "1.0.0-.alpha",
        "1.0.0-alpha@1", "1.0.0+a..b", "1.0.0+a+b", "1.0.0+a_b", " 1.0.0", "1.0.0 ",
        "1.0.0\n", "^1.2.3", "~1.2.3", ">=1.0.0", "1.x.0", "1.2.*", "1.0.0-α"}) {
    CAPTURE(v);
    CHECK_FALSE(is_semver(v));
  }
}

TEST_CASE("compare_semver outside its contract still gives a consistent order") {
  CHECK(compare_semver("snapshot", "1.0.0") < 0);
  CHECK(compare_semver("1.0.0", "snapshot") > 0);
  CHECK(compare_semver("snapshot", "latest") == 0);
}
