#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan, build-asan/) and runs each for a time budget
# on its committed seed corpus (README "Fuzzing and sanitizers").
#   scripts/fuzz.sh [TARGET[,TARGET...]|all] [SECONDS]     e.g. scripts/fuzz.sh gzip 60
# TARGET is a name from fuzz/fuzz_<name>.cpp; SECONDS per target (default 20). Prints per
# target: executions, exec/s, final cov/ft, corpus size and the verdict; exits 1 when any target
# crashed, leaked, timed out, ran out of memory or hit a sanitizer or property check.
# Everything the fuzzers write (grown corpora, crash artifacts, logs) goes under a fresh temporary
# directory, never into the repo: MIRROR_FUZZ_WORK_DIR=DIR picks (and keeps) another one.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$repo/build-asan
which=${1:-all}
seconds=${2:-20}
[[ $seconds =~ ^[0-9]+$ ]] || { echo "fuzz.sh: SECONDS must be a number" >&2; exit 2; }

all=()
for f in "$repo"/fuzz/fuzz_*.cpp; do n=${f##*/fuzz_}; all+=("${n%.cpp}"); done
if [[ $which == all ]]; then
  targets=("${all[@]}")
else
  IFS=, read -r -a targets <<<"$which"
  for t in "${targets[@]}"; do
    [[ " ${all[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target '$t' (one of: ${all[*]})" >&2; exit 2; }
  done
fi

build_targets=()
for t in "${targets[@]}"; do build_targets+=("fuzz_$t"); done
"$repo/scripts/build-sanitized.sh" asan "${build_targets[@]}" >/dev/null
source "$repo/scripts/sanitizer-env.sh"

if [[ -n ${MIRROR_FUZZ_WORK_DIR:-} ]]; then
  work=$MIRROR_FUZZ_WORK_DIR
  mkdir -p "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/mirror-fuzz.XXXXXX")
fi

dict_for() {  # the dictionary of a target, if it has one
  case $1 in
    server_list | import | tree | overrides | manifest | parent_feed) echo "$repo/fuzz/json.dict" ;;
    *) [[ -f $repo/fuzz/$1.dict ]] && echo "$repo/fuzz/$1.dict" ;;
  esac
  return 0
}

# "#123 DONE cov: 812 ft: 3104 corp: 95/21Kb ..." → the value after `key:` on the last such line.
last_stat() { grep -E '^#[0-9]+' "$1" | tail -1 | grep -oE "$2: [0-9]+" | grep -oE '[0-9]+$' || echo "-"; }
final_stat() { grep -oE "^stat::$2: +[0-9]+" "$1" | grep -oE '[0-9]+$' || echo "-"; }

failed=()
printf '%-14s %12s %9s %7s %7s %7s  %s\n' target executions exec/s cov ft corpus result
for t in "${targets[@]}"; do
  dir=$work/$t
  mkdir -p "$dir/corpus"
  args=(-max_total_time="$seconds" -print_final_stats=1 -timeout=20 -rss_limit_mb=2048
        -artifact_prefix="$dir/")
  dict=$(dict_for "$t")
  [[ -n $dict ]] && args+=(-dict="$dict")
  # New inputs go to the first directory (the temporary one); the seeds are only read. The outer
  # timeout: libFuzzer's own -timeout handler can deadlock when it fires inside malloc, and a
  # hung fuzzer must not hang CI (exit 124 or 137 then).
  status=0
  timeout -k 10 $((seconds + 120)) "$build/fuzz/fuzz_$t" "${args[@]}" "$dir/corpus" "$repo/fuzz/corpus/$t" \
    >"$dir/log" 2>&1 || status=$?
  artifacts=$(find "$dir" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
    -o -name 'oom-*' -o -name 'slow-unit-*' \) | sort)
  if ((status != 0)) || [[ -n $artifacts ]]; then
    result="FAILED (exit $status) ${artifacts:-see $dir/log}"
    failed+=("$t")
  else
    result=ok
  fi
  printf '%-14s %12s %9s %7s %7s %7s  %s\n' "$t" "$(final_stat "$dir/log" number_of_executed_units)" \
    "$(final_stat "$dir/log" average_exec_per_sec)" "$(last_stat "$dir/log" cov)" \
    "$(last_stat "$dir/log" ft)" "$(last_stat "$dir/log" corp)" "$result"
done

if ((${#failed[@]})); then
  for t in "${failed[@]}"; do
    echo "--- fuzz_$t: the report (full log $work/$t/log; reproduce: $build/fuzz/fuzz_$t ARTIFACT)"
    grep -E -A25 'ERROR: |runtime error|fuzz property violated|==[0-9]+==' "$work/$t/log" | head -60 || tail -30 "$work/$t/log"
  done
  echo "fuzz: artifacts and logs kept in $work"
  echo "fuzz: $((${#targets[@]} - ${#failed[@]})) passed, ${#failed[@]} failed"
  exit 1
fi
echo "fuzz: ${#targets[@]} passed, 0 failed"
[[ -n ${MIRROR_FUZZ_WORK_DIR:-} ]] || rm -rf "$work"
