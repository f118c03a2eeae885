#!/usr/bin/env bash
# Views benchmark: what views cost at 100k versions (README "Views: cost").
#
#   scripts/bench-views.sh [MCP_MIRROR_BINARY]
#
# Without an argument it builds build-release/mcp-mirror (CMake, Release). A measurement, not a
# test: it exits non-zero only when something failed to run.
#
#   1. scripts/bench/gen-data.mjs writes 100k synthetic versions (~25k names) and
#      scripts/bench/gen-rules.mjs a 50-rule curation file for them (it hides ~17% of the versions
#      and rewrites, titles, deprecates and pins others); upstream A imports the data and serves it
#      (--no-sync, response cache off: every page rendered from SQLite);
#   2. `sync --once` of a mirror B from A on a fresh data dir, $BENCH_ROUNDS times per setting:
#      0 views; 0 views with the 50 rules on the root (what the rules cost where they are today);
#      1 and 5 views with the 50 rules each (the root has none); 5 views with only the 12
#      include/exclude rules (views that only hide). Wall and CPU time of B (median), the database
#      size (mirror.db after the process checkpointed it on exit) and the rows the views store
#      (view_versions, through python3's sqlite3 when present);
#   3. reads, response cache off, h2load --h1 -c$BENCH_READ_CONNS on the same URL list (list pages
#      at cursors spread over the names, and versions/latest, of names the view serves) under a
#      root and a view with the same content per entry: the complete 50-rule view against a root
#      with the same 50 rules, and an overlay (hide-only) view against its own root;
#      $BENCH_READ_ROUNDS alternating rounds of $BENCH_READ_REQUESTS requests each: requests/s,
#      median of the rounds, view / root.
# Targets (issue): database size and write cost grow with what the views change, not views x
# versions; view read throughput >= 0.9x the root's.
# Environment: BENCH_VERSIONS (100000), BENCH_ROUNDS (2), BENCH_READ_CONNS (4), BENCH_READ_ROUNDS
# (3), BENCH_READ_REQUESTS (20000), BENCH_READS_ONLY=1 (only the mirror the reads use), BENCH_KEEP=1
# keeps the temp dir. About 6 min on 2 cores.
set -euo pipefail
export LC_ALL=C

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
versions=${BENCH_VERSIONS:-100000}
rounds=${BENCH_ROUNDS:-2}
read_conns=${BENCH_READ_CONNS:-4}
read_rounds=${BENCH_READ_ROUNDS:-3}
read_requests=${BENCH_READ_REQUESTS:-20000}

bench="bench-views"
source "$repo/scripts/bench/common.sh"
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

command -v h2load >/dev/null 2>&1 || die "missing: h2load (Debian: nghttp2-client)"
command -v node >/dev/null 2>&1 || die "missing: node"
resolve_binary "$@"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-views.XXXXXX")
declare -A DPID DFD
cleanup() {
  local rc=$? d
  for d in "${!DPID[@]}"; do stop_daemon "$d" || true; done
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then say "kept $tmp"; else rm -rf "$tmp"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT

node "$repo/scripts/bench/gen-data.mjs" "$tmp/gen" "$versions" >/dev/null
node "$repo/scripts/bench/gen-rules.mjs" "$tmp/gen/data.jsonl" >"$tmp/rules.yaml"
say "data: $versions versions; rules: $(grep -c '^  - id:' "$tmp/rules.yaml") ($(sed -n 's/^# expected: //p' "$tmp/rules.yaml"))"
mkdir -p "$tmp/A"
"$bin" import --data-dir "$tmp/A" "$tmp/gen/data.jsonl" >/dev/null 2>"$tmp/import.err" || { cat "$tmp/import.err" >&2; die "import failed"; }
printf 'log_level: warn\nhttp:\n  cache_bytes: 0\nupstream:\n  sync: false\n' >"$tmp/A.yaml"
start_daemon A "$tmp/A.yaml" "$tmp/A" "$tmp/A.log"
A_URL=$URL
say "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# The visibility rules alone (include/exclude: they hide ~17%), for views that only hide.
awk '/^  - id:/ { if (block ~ /action: (in|ex)clude/) printf "%s", block; block = "" } /^  - id:/ || block != "" { block = block $0 "\n" }
     END { if (block ~ /action: (in|ex)clude/) printf "%s", block }' "$tmp/rules.yaml" >"$tmp/rules.body"
{ grep -m1 '^default:' "$tmp/rules.yaml" || true; echo "rules:"; cat "$tmp/rules.body"; } >"$tmp/hide.yaml"
say "hide-only rules: $(grep -c '^  - id:' "$tmp/hide.yaml") of them (the include/exclude rules of the 50)"

config() {  # $1 file, $2 views, $3 cache bytes, $4 the views' rule file, $5 the root's rule file ("" none)
  { printf 'log_level: warn\nseed_when_empty: false\nhttp:\n  cache_bytes: %s\n' "$3"
    printf 'upstream:\n  url: %s\n  requests_per_second: 1000\n' "$A_URL"
    [[ -z ${5:-} ]] || printf 'curation_file: %s\n' "$5"
    if (($2 > 0)); then
      printf 'views:\n'
      for ((i = 1; i <= $2; i++)); do printf '  - name: v%d\n    curation_file: %s\n' "$i" "$4"; done
    fi; } >"$1"
}

stored_rows() {  # $1 data dir → "view rows, hidden" (or "n/a" without python3)
  command -v python3 >/dev/null 2>&1 || { echo "n/a"; return; }
  python3 - "$1/mirror.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
rows, hidden = c.execute("SELECT count(*), coalesce(sum(hidden), 0) FROM view_versions").fetchone()
print(f"{rows} ({hidden} hidden)")
PY
}

TIMEFORMAT='%3R %3U %3S'
say ""
say "sync --once of B from A, $rounds rounds per setting (median):"
printf '%-30s %8s %8s %11s %8s %24s\n' setting "wall s" "CPU s" "versions/s" "DB MiB" "view rows stored"
base_wall="" base_db=""
run_setting() {  # $1 label, $2 tag, then config's $2.. ($2 views, $4 views' rules, $5 root rules)
  local label=$1 tag=$2 n=$3 vrules=$4 rrules=${5:-} walls=() cpus=() db wall cpu r user sys
  config "$tmp/B$tag.yaml" "$n" 0 "$vrules" "$rrules"
  for ((r = 1; r <= rounds; r++)); do
    rm -rf "$tmp/B$tag"; mkdir -p "$tmp/B$tag"
    { time "$bin" sync --once --config "$tmp/B$tag.yaml" --data-dir "$tmp/B$tag" >"$tmp/s.out" 2>"$tmp/s.err"; } 2>"$tmp/s.time" \
      || { cat "$tmp/s.out" "$tmp/s.err" >&2; die "sync --once ($label) failed"; }
    read -r wall user sys <"$tmp/s.time"
    walls+=("$wall"); cpus+=("$(calc %.3f "$user + $sys")")
  done
  wall=$(printf '%s\n' "${walls[@]}" | median); cpu=$(printf '%s\n' "${cpus[@]}" | median)
  db=$(stat -c %s "$tmp/B$tag/mirror.db")
  [[ -n $base_wall ]] || { base_wall=$wall; base_db=$db; }
  printf '%-30s %8.2f %8.2f %11.0f %8.1f %24s   (%.2fx wall, %.2fx DB)\n' "$label" "$wall" "$cpu" \
    "$(calc %.0f "$versions / $wall")" "$(calc %.1f "$db / 1048576")" "$(stored_rows "$tmp/B$tag")" \
    "$(calc %.2f "$wall / $base_wall")" "$(calc %.2f "$db / $base_db")"
}
if [[ ${BENCH_READS_ONLY:-0} == 1 ]]; then  # the mirrors the reads use
  run_setting "0 views, root has the 50 rules" r 0 "" "$tmp/rules.yaml"
  run_setting "1 view, 50 rules" 1 1 "$tmp/rules.yaml"
  run_setting "5 views, hide-only rules each" h 5 "$tmp/hide.yaml"
else
  run_setting "0 views" 0 0 ""
  run_setting "0 views, root has the 50 rules" r 0 "" "$tmp/rules.yaml"
  run_setting "1 view, 50 rules" 1 1 "$tmp/rules.yaml"
  run_setting "5 views, 50 rules each" 5 5 "$tmp/rules.yaml"
  run_setting "5 views, hide-only rules each" h 5 "$tmp/hide.yaml"
fi
say "(the ratios are against the first row)"

# Reads, cache off, the same URLs (those the view serves) under a root and a view with the same
# content per entry: (1) the 1-view mirror's complete view against the root of the mirror that
# has the same 50 rules on the root; (2) the 5 hide-only views' mirror: its first view (an
# overlay) against its own root (no rules).
h2() {  # $1 url file → requests/s
  h2load --h1 -c"$read_conns" -t1 -n"$read_requests" -i "$1" 2>&1 >"$tmp/h2.out" || true
  grep -q " 0 failed, 0 errored" "$tmp/h2.out" || { cat "$tmp/h2.out" >&2; die "h2load: failed requests"; }
  grep -o '[0-9.]* req/s' "$tmp/h2.out" | head -1 | cut -d' ' -f1
}
compare() {  # $1 label, $2 root base URL, $3 view base URL, $4 "any": also pages after hidden names
  node -e '
    const fs = require("fs");
    const lines = fs.readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
    const out = [];
    for (let i = 0; i < lines.length && out.length < 400; i += Math.max(1, Math.floor(lines.length / 200))) {
      const path = lines[i];                       // /v0.1/servers/<name>/versions/latest
      const name = decodeURIComponent(path.split("/")[3]);
      out.push(path, `/v0.1/servers?limit=30&cursor=${encodeURIComponent(name)}`);
    }
    fs.writeFileSync(process.argv[2], out.join("\n") + "\n");' "$tmp/gen/latest-paths.txt" "$tmp/paths.all"
  # A name the view serves gives both URLs: its versions/latest and the page after it, a
  # position a client paging the view is handed. With $4 = any, the pages after every name are
  # measured too: a cursor inside a run the view hides makes it walk the run.
  : >"$tmp/paths"; : >"$tmp/paths.any"
  while read -r latest && read -r page; do
    echo "$page" >>"$tmp/paths.any"
    if [[ $(curl -s -o /dev/null -w '%{http_code}' "$3$latest") == 200 ]]; then printf '%s\n%s\n' "$latest" "$page" >>"$tmp/paths"; fi
  done <"$tmp/paths.all"
  measure "$1" "$2" "$3" "$tmp/paths" "list pages after names the view serves, and their versions/latest"
  [[ ${4:-} != any ]] || measure "$1, any cursor" "$2" "$3" "$tmp/paths.any" "list pages after any name, hidden ones too" "the worst case, reported"
}
measure() {  # $1 label, $2 root base URL, $3 view base URL, $4 path file, $5 what the paths are, $6 target text
  local root_rps=() view_rps=() r root view
  sed "s|^|$2|" "$4" >"$tmp/urls.root"
  sed "s|^|$3|" "$4" >"$tmp/urls.view"
  h2 "$tmp/urls.root" >/dev/null; h2 "$tmp/urls.view" >/dev/null  # warm both files' pages
  for ((r = 1; r <= read_rounds; r++)); do root_rps+=("$(h2 "$tmp/urls.root")"); view_rps+=("$(h2 "$tmp/urls.view")"); done
  root=$(printf '%s\n' "${root_rps[@]}" | median); view=$(printf '%s\n' "${view_rps[@]}" | median)
  say ""
  say "$1 ($(wc -l <"$4") URLs: $5; -c$read_conns, $read_requests requests, $read_rounds rounds):"
  say "  root  ${root_rps[*]} req/s (median $root)"
  say "  view  ${view_rps[*]} req/s (median $view)"
  say "  view / root: $(calc %.2f "$view / $root")x (${6:-target >= 0.9x})"
}
start_daemon R "$tmp/Br.yaml" "$tmp/Br" "$tmp/R.log" --no-sync
R_URL=$URL
start_daemon V "$tmp/B1.yaml" "$tmp/B1" "$tmp/V.log" --no-sync
compare "uncached reads, a complete view (50 rules) against a root with the same rules" "$R_URL" "$URL/views/v1"
stop_daemon R; stop_daemon V
start_daemon H "$tmp/Bh.yaml" "$tmp/Bh" "$tmp/H.log" --no-sync
compare "uncached reads, an overlay view (hide-only rules) against its own root (no rules)" "$URL" "$URL/views/v1" any
