#!/usr/bin/env bash
# Micro-benchmark of lib/metrics (render of /metrics, one with().inc() on the request path).
# Builds scripts/bench/metrics_bench.cpp with lib/metrics/*.cpp only, at the release build's
# -O2, into a temporary directory, and runs it; prints the timings. Not part of the test suite.
#   scripts/bench-metrics.sh            # this checkout's lib/metrics
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"${CXX:-g++}" -std=c++20 -O2 -DNDEBUG -I"$repo/lib" "$repo/scripts/bench/metrics_bench.cpp" \
  "$repo"/lib/metrics/*.cpp -o "$out/metrics_bench" -lprometheus-cpp-core -lfmt -pthread
"$out/metrics_bench"
