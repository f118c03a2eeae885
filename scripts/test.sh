#!/usr/bin/env bash
# Builds mcp-mirror and runs every test: doctest unit and integration tests (one ctest test per
# test case) and the contract tests (Respect, Ajv, VS Code's gallery client); then the same code
# under sanitizers and fuzzers (README "Fuzzing and sanitizers"):
#   1. default  g++ build (build/), every ctest test
#   2. asan     clang ASan+UBSan build (build-asan/), every ctest test but the npm/systemd ones
#   3. tsan     clang TSan build (build-tsan/), the integration tests (io thread, reader pool,
#               writer thread)
#   4. fuzz     scripts/fuzz.sh: every libFuzzer target for 20 s on its committed corpus
# Usage: scripts/test.sh            (from anywhere; all stages)
#        MIRROR_TEST_STAGES=default scripts/test.sh    only some stages, comma-separated (CI=true
#                                                     always runs all of them)
# Ends with one ctest-style line counting every stage's tests (a fuzz target counts as one).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
all_stages=default,asan,tsan,fuzz
stages=${MIRROR_TEST_STAGES:-$all_stages}
[[ ${CI:-} == true ]] && stages=$all_stages
"$repo/scripts/install-deps.sh"

log=$(mktemp -d "${TMPDIR:-/tmp}/mirror-test.XXXXXX")
trap 'rm -rf "$log"' EXIT
passed=0 failed=0 total=0 failed_stages=() times=()

# Adds the counts of ctest's closing line ("97% tests passed, 3 tests failed out of 100").
count_ctest() {
  local line
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$1" | tail -1) || return 0
  local f t
  f=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
  t=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")
  failed=$((failed + f)) total=$((total + t)) passed=$((passed + t - f))
}

stage() {  # NAME COMMAND...: runs a stage, keeps going after a failure, times it
  local name=$1 start=$SECONDS status=0
  shift
  [[ ,$stages, == *,$name,* ]] || return 0
  echo "=== stage $name"
  "$@" 2>&1 | tee "$log/$name.out" || status=$?
  times+=("$name $((SECONDS - start))s")
  ((status == 0)) || failed_stages+=("$name")
}

# Each stage chains its steps with && : set -e does not act inside a function called from `||`.
default_stage() {
  cmake -S "$repo" -B "$repo/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMIRROR_WERROR=ON &&
    cmake --build "$repo/build" -j"$(nproc)" &&
    cd "$repo/build" && ctest --output-on-failure -j"$(nproc)"
}

# The contract suite, the systemd check and the package check are left out: they drive the same
# daemon code as the integration tests, which run it in-process under the sanitizers (and
# `check_config` plus the crash test still run the instrumented binary itself); what they add is
# npm's conformance tools, systemd-analyze and lintian, which stage 1 runs and which a sanitizer
# cannot look into (a package of an instrumented binary is not one anybody installs).
asan_stage() {
  "$repo/scripts/build-sanitized.sh" asan && source "$repo/scripts/sanitizer-env.sh" &&
    cd "$repo/build-asan" && ctest --output-on-failure -j"$(nproc)" -E '^(contract: |systemd_verify$|package_deb$)'
}

tsan_stage() {
  "$repo/scripts/build-sanitized.sh" tsan integration_tests && source "$repo/scripts/sanitizer-env.sh" &&
    cd "$repo/build-tsan" && ctest --output-on-failure -j"$(nproc)" -R '^integration:'
}

fuzz_stage() { "$repo/scripts/fuzz.sh" all 20; }

stage default default_stage
stage asan asan_stage
stage tsan tsan_stage
stage fuzz fuzz_stage

for s in default asan tsan; do [[ -f $log/$s.out ]] && count_ctest "$log/$s.out"; done
# fuzz.sh closes with "fuzz: N passed, F failed" (one per target).
if line=$(grep -E '^fuzz: [0-9]+ passed, [0-9]+ failed' "$log/fuzz.out" 2>/dev/null | tail -1); then
  read -r p f < <(sed -E 's/^fuzz: ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/' <<<"$line")
  total=$((total + p + f)) failed=$((failed + f)) passed=$((passed + p))
fi

echo "=== stage times: ${times[*]}"
((${#failed_stages[@]} == 0)) || echo "=== failed stages: ${failed_stages[*]}"
pct=100
((total > 0)) && pct=$((passed * 100 / total))
echo "${pct}% tests passed, ${failed} tests failed out of ${total}"
((${#failed_stages[@]} == 0))
