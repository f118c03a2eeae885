#!/usr/bin/env bash
# Import benchmark: `mcp-mirror import` of 100k synthetic versions into an empty data dir.
#
#   scripts/bench-import.sh [MCP_MIRROR_BINARY]
#
# Without an argument it builds build-release/mcp-mirror (CMake, Release). A measurement, not a
# test: it exits 0 when a target is missed, non-zero only when something failed to run.
#
# scripts/bench/gen-data.mjs (the generator of bench-serve.sh and bench-sync.sh: ~25k names,
# fixed seed) writes $BENCH_VERSIONS versions as JSON lines; `mcp-mirror import` loads them
# $BENCH_ROUNDS times, each into a fresh data dir, under GNU time's resource report. Prints per
# round: wall time, versions/s, peak RSS (the process's high-water mark), the database size
# (mirror.db with its WAL, after the process exits) and its ratio to the JSON's size.
# Targets: >= 100k versions/s, peak RSS <= 150 MB, database <= 1.5x the JSON.
# Environment: BENCH_VERSIONS (100000), BENCH_ROUNDS (3), BENCH_KEEP=1 keeps the temp dir.
set -euo pipefail
export LC_ALL=C

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
versions=${BENCH_VERSIONS:-100000}
rounds=${BENCH_ROUNDS:-3}
bench="bench-import"
# shellcheck source=scripts/bench/common.sh
source "$repo/scripts/bench/common.sh"

command -v node >/dev/null 2>&1 || die "missing: node (Debian: nodejs)"
[[ -x /usr/bin/time ]] || die "missing: /usr/bin/time (Debian: time)"
resolve_binary "$@"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-import.XXXXXX")
cleanup() {
  local rc=$?
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then say "kept $tmp"; else rm -rf "$tmp"; fi
  exit "$rc"
}
trap cleanup EXIT

gen=$(node "$repo/scripts/bench/gen-data.mjs" "$tmp/gen" "$versions")
n_versions=$(node -e 'console.log(JSON.parse(process.argv[1]).versions)' "$gen")
json_bytes=$(stat -c %s "$tmp/gen/data.jsonl")
say "generated $n_versions versions: $(awk -v b="$json_bytes" 'BEGIN { printf "%.1f MB", b / 1e6 }') of JSON lines"

say ""
say "| round | wall s | versions/s | peak RSS MB | database MB | database / JSON |"
say "|---:|---:|---:|---:|---:|---:|"
best_rate=0 worst_rss=0 db_ratio=0
for ((round = 1; round <= rounds; round++)); do
  dir=$tmp/data.$round
  t=$(now)
  /usr/bin/time -f '%M' -o "$tmp/time.$round" "$bin" import --data-dir "$dir" "$tmp/gen/data.jsonl" \
    >"$tmp/import.$round.log" 2>&1 || { cat "$tmp/import.$round.log" >&2; die "import failed"; }
  wall=$(awk -v a="$t" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
  rss_mb=$(awk '{ printf "%.0f", $1 / 1024 }' "$tmp/time.$round")
  db_bytes=$(cat "$dir"/mirror.db* | wc -c)
  rate=$(awk -v n="$n_versions" -v w="$wall" 'BEGIN { printf "%.0f", n / w }')
  ratio=$(awk -v d="$db_bytes" -v j="$json_bytes" 'BEGIN { printf "%.2f", d / j }')
  say "| $round | $wall | $rate | $rss_mb | $(awk -v b="$db_bytes" 'BEGIN { printf "%.0f", b / 1048576 }') | $ratio |"
  best_rate=$(awk -v a="$best_rate" -v b="$rate" 'BEGIN { print (b > a ? b : a) }')
  worst_rss=$(awk -v a="$worst_rss" -v b="$rss_mb" 'BEGIN { print (b > a ? b : a) }')
  db_ratio=$ratio
  rm -rf "$dir"
done
say ""
verdict() { awk -v v="$1" -v op="$2" -v lim="$3" 'BEGIN { ok = (op == ">=") ? v >= lim : v <= lim; print ok ? "PASS" : "MISS" }'; }
say "$(verdict "$best_rate" ">=" 100000) import rate >= 100k versions/s: best round $best_rate"
say "$(verdict "$worst_rss" "<=" 150) peak RSS <= 150 MB: worst round $worst_rss MB"
say "$(verdict "$db_ratio" "<=" 1.5) database <= 1.5x the JSON: $db_ratio"
