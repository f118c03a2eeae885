#pragma once
// The mirrored data most endpoint tests run against: several names, several versions each, every
// status, a build-metadata version, byte-order traps (upper case sorts before lower case).
#include <vector>

#include "support/rows.hpp"

namespace mirror::test {

inline std::vector<store::incoming> registry_rows() {
  using model::status;
  return {
      upstream_row("com.example/alpha-server", "1.0.0", t0, false),
      upstream_row("com.example/alpha-server", "1.2.0", t0 + 1000, false),
      upstream_row("com.example/alpha-server", "2.0.0", t0 + 2000, true),
      upstream_row("com.example/alpha-server", "2.1.0-beta.1", t0 + 3000, false),
      upstream_row("com.example/beta_tool", "0.9.0", t0, false),
      upstream_row("com.example/beta_tool", "1.0.0+20130313144700", t0 + 1000, true),
      upstream_row("io.github.user/weather", "0.9.0", t0, false),
      upstream_row("io.github.user/weather", "1.0.0", t0 + 1000, true, status::deprecated, t0 + 5000),
      upstream_row("io.github.user/gone", "1.0.0", t0, true, status::deleted, t0 + 5000),
      upstream_row("io.github.user/partly", "1.0.0", t0, true),
      upstream_row("io.github.user/partly", "2.0.0", t0 + 1000, false, status::deleted, t0 + 6000),
      upstream_row("Zeta.Upper/Case", "1.0.0", t0, true),
      upstream_row("io.github.a-b_c.d/a.very-long_name.with-dots_and-dashes-and-underscores-0123456789",
                   "3.1.4", t0, true),
  };
}

}  // namespace mirror::test
