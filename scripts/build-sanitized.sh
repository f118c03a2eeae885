#!/usr/bin/env bash
# Configures and builds a clang sanitizer build of mcp-mirror (README "Fuzzing and sanitizers").
#   scripts/build-sanitized.sh asan [TARGET...]  → build-asan/: ASan+UBSan, plus the libFuzzer
#                                                 targets (fuzz_all); the tests run here too
#   scripts/build-sanitized.sh tsan [TARGET...]  → build-tsan/: ThreadSanitizer
# With no TARGET everything is built. Prints nothing but the build's own output; the build
# directory is fixed so scripts/test.sh and scripts/fuzz.sh share the ASan one.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kind=${1:?usage: build-sanitized.sh asan|tsan [TARGET...]}
shift
case $kind in
  # One ASan+UBSan build serves both the test suite and the fuzz targets: the library is
  # compiled once (with coverage instrumentation the tests do not mind), not twice.
  asan) dir=$repo/build-asan; flags=(-DMIRROR_SANITIZE=address,undefined -DMIRROR_FUZZ=ON) ;;
  tsan) dir=$repo/build-tsan; flags=(-DMIRROR_SANITIZE=thread) ;;
  *) echo "build-sanitized.sh: unknown kind '$kind' (asan or tsan)" >&2; exit 2 ;;
esac
# -O1 with line tables: readable stacks, a build about half as slow as -O2 -g. The compiler is
# chosen on the first configure only: naming it again could make CMake drop the cache.
compiler=()
[[ -f $dir/CMakeCache.txt ]] || compiler=(-DCMAKE_CXX_COMPILER=clang++)
cmake -S "$repo" -B "$dir" "${compiler[@]}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only -DNDEBUG" \
  "${flags[@]}" >/dev/null
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build "$dir" -j"$(nproc)" "${targets[@]}"
