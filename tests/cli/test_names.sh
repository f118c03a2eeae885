#!/usr/bin/env bash
# doctest_discover_tests splits a test case's name at ';' (CMake's list separator): each half
# becomes a ctest test whose --test-case filter matches nothing, so it passes without running a
# single assertion. Fails when any test case name holds a ';'.
#   tests/cli/test_names.sh DOCTEST_BINARY...
set -euo pipefail
bad=0
for bin in "$@"; do
  names=$("$bin" --list-test-cases --no-version=true)
  if grep -F ';' <<<"$names"; then
    echo "test_names: $bin has test case names with ';' (use ' - ')" >&2
    bad=1
  fi
done
exit $bad
