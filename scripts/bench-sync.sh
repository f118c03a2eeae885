#!/usr/bin/env bash
# Sync benchmark: mcp-mirror syncing 100k synthetic versions from a loopback upstream.
#
#   scripts/bench-sync.sh [MCP_MIRROR_BINARY]
#
# Without an argument it builds build-release/mcp-mirror (CMake, Release). A measurement, not a
# test: it exits 0 when a target is missed, non-zero only when something failed to run (a tool
# is missing, a daemon did not start, a sync run failed, a read was not 2xx...).
#
# The upstream is another mcp-mirror (chained mirrors speak the same API): daemon A imports the
# data of scripts/bench/gen-data.mjs (the generator of scripts/bench-serve.sh: 100k versions of
# ~25k names, fixed seed, timestamps in 2025-07..2026-06) and serves it with --no-sync and its
# response cache off, so every page is rendered from SQLite as a real registry would. The mirror
# under test, B, starts on an empty data dir (`seed_when_empty: false`) with upstream A. All on
# 127.0.0.1, in a temp dir removed on exit.
#
#   1. full initial sync: `mcp-mirror sync --once` of B, $BENCH_ROUNDS times on a fresh data dir;
#      wall time of the process (versions/s = versions / wall time), the run's own time, pages
#      and requests from its summary line, CPU time of B (the process) and of A (/proc);
#   2. no-change incremental sync right after each full one: `sync --once` again; wall time and
#      requests. updated_since = start of B's last success − margin (60 s): the generated
#      updatedAt values are all months in the past, so nothing falls inside the margin (checked:
#      the script fails if the newest generated updatedAt is not older than now − 2 × margin);
#   3. upstream alone: h2load --h1 -c1 (one connection, one request at a time, as B's sync walks)
#      on one cursor page of A: A's page rate, the ceiling of any sync from A;
#   4. reads: `serve` B on a fresh data dir with sync on, so it syncs from A at start; h2load
#      --h1 -c$BENCH_READ_CONNS -t1 --rps $BENCH_READ_RPS (per connection: a bounded load, not a
#      saturating one) starts as soon as B prints its ready line, in ${BENCH_READ_CHUNK}s chunks, until B
#      logs its sync summary line (B's stderr is timestamped line by line through a fifo); the
#      requests that started inside [ready, summary line] are the "during sync" sample. Then the
#      same load for $BENCH_IDLE_DURATION s against the same B, now idle with the full data: the "idle"
#      sample. Endpoints: list (limit=30) and search (limit=30, search=$BENCH_SEARCH_TERM, a topic
#      word of the generator: the scan in name order goes a few thousand rows deep for 30 matches),
#      each with B's response cache off (cache_bytes: 0: every read hits SQLite and competes with
#      the writer, the case the target is about) and on (32 MB, the default: every commit of the
#      sync invalidates it, so during the sync reads mostly miss while idle ones all hit).
#      $BENCH_READ_ROUNDS rounds of one full sync per (endpoint, cache); p50/p99 pool the rounds'
#      requests (h2load's --log-file through scripts/bench/h2load-stats.mjs). Note: during the sync
#      the database grows (A pages in name order, so the first names are there from the start).
#   5. prints the table, a CPU-bound estimate of the sync rate (versions / CPU time of A and B:
#      what an otherwise idle machine approaches, useful when the machine is shared) and where the
#      time goes.

# Politeness: B runs with upstream.requests_per_second: 1000 (the config's maximum). The default,
# 3 requests/s as the official registry asks, would take ~5.5 min for the ~1000 pages, by design.
#
# Targets (issue): full sync >= 40k versions/s (judged on the median wall time of sync --once);
# a no-change incremental sync is one request; list read p99 during the sync <= 1.5x idle (judged
# per cache setting; search shown with the same ratio, for information).
# Environment: BENCH_VERSIONS (100000), BENCH_ROUNDS (3), BENCH_READ_ROUNDS (2), BENCH_READ_CONNS
# (8), BENCH_READ_RPS (25 per connection), BENCH_READ_CHUNK (2 s), BENCH_IDLE_DURATION (5 s),
# BENCH_SEARCH_TERM (postgres), BENCH_KEEP=1 keeps the temp dir. About 3 min on 2 cores.
set -euo pipefail
export LC_ALL=C

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
t_start=$EPOCHREALTIME
versions=${BENCH_VERSIONS:-100000}
rounds=${BENCH_ROUNDS:-3}
read_rounds=${BENCH_READ_ROUNDS:-2}
read_conns=${BENCH_READ_CONNS:-8}
read_rps=${BENCH_READ_RPS:-25}
chunk=${BENCH_READ_CHUNK:-2}
idle_duration=${BENCH_IDLE_DURATION:-5}
search_term=${BENCH_SEARCH_TERM:-postgres}
margin_s=60
max_window=240  # a sync window longer than this (s) is a failure

bench="bench-sync"
# shellcheck source=scripts/bench/common.sh
source "$repo/scripts/bench/common.sh"
calc() { awk "BEGIN { printf \"$1\", $2 }"; }  # calc %.1f "1 / 3"

# --- tools ---------------------------------------------------------------------------------------
missing=()
command -v h2load >/dev/null 2>&1 || missing+=("h2load (Debian: nghttp2-client)")
command -v curl >/dev/null 2>&1 || missing+=("curl")
command -v node >/dev/null 2>&1 || missing+=("node (Debian: nodejs; the generator and the stats are Node scripts)")
((${#missing[@]} == 0)) || die "missing: ${missing[*]}; run scripts/install-deps.sh"
say "tools: $(h2load --version | head -1), node $(node --version)"

# --- binary --------------------------------------------------------------------------------------
resolve_binary "$@"

# --- temp dir, processes, cleanup ----------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-sync.XXXXXX")
[[ $tmp != *" "* ]] || die "the temp dir path must not contain spaces: $tmp"
declare -A DPID DFD  # per daemon name: pid, ready fifo fd
STAMPER="" H2PID="" NFD=""
stop_stamper() {  # the stderr reader of a serve-mode B ends at EOF, when B has exited; $1=kill: now
  if [[ -n $STAMPER ]]; then
    if [[ ${1:-} == kill ]]; then kill "$STAMPER" 2>/dev/null || true; fi
    wait "$STAMPER" 2>/dev/null || true
    STAMPER=""
  fi
  if [[ -n $NFD ]]; then exec {NFD}<&-; NFD=""; fi
}
cleanup() {
  local rc=$? d
  if [[ -n $H2PID ]]; then kill "$H2PID" 2>/dev/null || true; wait "$H2PID" 2>/dev/null || true; fi
  for d in "${!DPID[@]}"; do [[ $d == A ]] || stop_daemon "$d" || true; done
  stop_stamper kill  # B may have died before opening its stderr fifo
  stop_daemon A || true
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then say "kept $tmp"; else rm -rf "$tmp"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# summary line → global array S: ok kind added changed unchanged pages requests retries seconds
parse_summary() {
  local re='sync (ok|FAILED) \((full|incremental)\): ([0-9]+) added, ([0-9]+) changed, [0-9]+ status changes, ([0-9]+) unchanged, .*\| ([0-9]+) pages, ([0-9]+) requests, ([0-9]+) retries, [0-9]+ throttled \| ([0-9.]+)s'
  [[ $1 =~ $re ]] || return 1
  S=("${BASH_REMATCH[@]:1}")
}

# --- 1. data -------------------------------------------------------------------------------------
t=$(now)
gen=$(node "$repo/scripts/bench/gen-data.mjs" "$tmp/gen" "$versions")
read -r n_versions n_names n_bytes < <(node -e '
  const g = JSON.parse(process.argv[1]); console.log(g.versions, g.names, g.bytes);' "$gen")
say "generated $n_versions versions of $n_names names in $(since "$t"): $(calc "%.1f MB" "$n_bytes / 1e6") JSON lines (scripts/bench/gen-data.mjs)"
# The incremental run asks for updated_since = start of the last success - margin: rows whose
# updatedAt is newer than that would be sent again. The generator's clock is fixed (2025-2026).
newest=$(grep -o '"updatedAt":"[^"]*"' "$tmp/gen/data.jsonl" | sort | tail -1 | cut -d'"' -f4)
newest_s=$(date -u -d "$newest" +%s)
(($(date -u +%s) - newest_s > 2 * margin_s)) \
  || die "the newest generated updatedAt ($newest) is not older than now - 2 x margin ($margin_s s): is this machine's clock right?"
say "  newest updatedAt $newest, $(( ($(date -u +%s) - newest_s) / 86400 )) days ago: older than the incremental run's margin"

t=$(now)
mkdir -p "$tmp/A"
"$bin" import --data-dir "$tmp/A" "$tmp/gen/data.jsonl" >"$tmp/import.log" 2>&1 \
  || { cat "$tmp/import.log" >&2; die "import into the upstream failed"; }
say "upstream A: imported in $(since "$t"): $(sed 's/^imported [^:]*: //' "$tmp/import.log" | head -1)"
rm "$tmp/gen/data.jsonl"

# --- daemons -------------------------------------------------------------------------------------
printf 'log_level: warn\nhttp:\n  reader_threads: 2\n  cache_bytes: 0\nupstream:\n  sync: false\n' >"$tmp/A.yaml"
t=$(now)
start_daemon A "$tmp/A.yaml" "$tmp/A" "$tmp/A.log"
A_URL=$URL
say "upstream A ready at $A_URL after $(since "$t") (serve --no-sync, cache_bytes: 0: every page rendered from SQLite)"

b_config() {  # $1 file, $2 cache bytes
  cat >"$1" <<EOF
log_level: info
seed_when_empty: false
http:
  reader_threads: 2
  cache_bytes: $2
upstream:
  url: $A_URL
  requests_per_second: 1000
  page_limit: 100
  margin: ${margin_s}s
EOF
}
b_config "$tmp/B-off.yaml" 0
b_config "$tmp/B-on.yaml" 33554432

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
cores=$(nproc)
say "machine: $cores CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), load average $load_before"
if awk -v l="${load_before%% *}" 'BEGIN { exit !(l > 0.5) }'; then
  say "  WARNING: the machine is busy (1-min load average ${load_before%% *}): expect noisy numbers"
fi

# --- 2. full and incremental sync --once -----------------------------------------------------------
TIMEFORMAT='%3R %3U %3S'
sync_once() {  # $1 data dir, $2 tag → global R: wall user sys a_cpu_s + S (summary fields)
  local a0 a1 wall user sys rc=0 line
  a0=$(cpu_ticks "${DPID[A]}")
  { time "$bin" sync --once --config "$tmp/B-off.yaml" --data-dir "$1" \
      >"$tmp/sync.$2.out" 2>"$tmp/sync.$2.err"; } 2>"$tmp/sync.$2.time" || rc=$?
  a1=$(cpu_ticks "${DPID[A]}")
  line=$(grep -m1 '^sync ' "$tmp/sync.$2.out" || true)
  if ((rc != 0)) || ! parse_summary "$line" || [[ ${S[0]} != ok ]]; then
    cat "$tmp/sync.$2.out" "$tmp/sync.$2.err" >&2
    die "sync --once ($2) failed (exit $rc)"
  fi
  read -r wall user sys <"$tmp/sync.$2.time"
  R=("$wall" "$user" "$sys" "$(calc %.3f "$((a1 - a0)) / $clk_tck")")
}
declare -a FULL_WALL FULL_RUN FULL_VPS INC_WALL INC_REQ B_CPU A_CPU
say ""
say "sync --once of B from A (requests_per_second: 1000), $rounds rounds, each on a fresh data dir:"
for ((r = 1; r <= rounds; r++)); do
  dir=$tmp/B.once.$r
  mkdir -p "$dir"
  sync_once "$dir" "full.$r"
  [[ ${S[1]} == full ]] || die "the first run on an empty data dir was not full: ${S[*]}"
  got=$((S[2] + S[3] + S[4]))
  ((got == n_versions)) || die "the full sync saw $got versions, expected $n_versions"
  ((S[2] == n_versions)) || die "the full sync added ${S[2]} versions, expected $n_versions"
  vps=$(calc %.0f "$n_versions / ${R[0]}")
  FULL_WALL+=("${R[0]}"); FULL_RUN+=("${S[8]}"); FULL_VPS+=("$vps")
  full_pages=${S[5]}; full_requests=${S[6]}
  say "  $r full:        ${R[0]} s wall (run ${S[8]} s), $vps versions/s; ${S[5]} pages, ${S[6]} requests, ${S[7]} retries;" \
    "CPU: B $(calc %.2f "${R[1]} + ${R[2]}") s (user ${R[1]} s), A ${R[3]} s"
  B_CPU+=("$(calc %.3f "${R[1]} + ${R[2]}")"); A_CPU+=("${R[3]}")
  sync_once "$dir" "inc.$r"
  [[ ${S[1]} == incremental ]] || die "the second run was not incremental: ${S[*]}"
  INC_WALL+=("${R[0]}"); INC_REQ+=("${S[6]}")
  say "  $r incremental: ${R[0]} s wall (run ${S[8]} s); ${S[2]} added, ${S[3]} changed, ${S[4]} unchanged;" \
    "${S[5]} pages, ${S[6]} requests"
  ((r == rounds)) || rm -rf "$dir"
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
range() { printf '%s\n' "$@" | sort -g | sed -n '1p;$p' | paste -sd- -; }
full_wall=$(median "${FULL_WALL[@]}")
full_vps=$(calc %.0f "$n_versions / $full_wall")
inc_wall=$(median "${INC_WALL[@]}")
inc_req_max=$(printf '%s\n' "${INC_REQ[@]}" | sort -n | tail -1)

# --- 3. the upstream alone -----------------------------------------------------------------------
first=$(curl -sS -g --fail --max-time 30 "$A_URL/v0.1/servers?limit=100&include_deleted=true") \
  || die "GET of A's first page failed"
cursor=$(node -e '
  const c = JSON.parse(process.argv[1]).metadata?.nextCursor;
  if (!c) process.exit(1);
  console.log(encodeURIComponent(c));' "$first") || die "A's first page has no nextCursor"
page_url="$A_URL/v0.1/servers?limit=100&include_deleted=true&cursor=$cursor"
page_bytes=$(curl -sS -g --fail --max-time 30 -o /dev/null -w '%{size_download}' "$page_url") \
  || die "GET of A's second page failed"
h2load --h1 -c1 -t1 -n 20 "$page_url" >/dev/null 2>&1 || die "h2load warm-up on A failed"
a0=$(cpu_ticks "${DPID[A]}")
timeout 120 h2load --h1 -c1 -t1 -n 500 --log-file "$tmp/h2load.A.log" "$page_url" \
  >"$tmp/h2load.A.out" 2>&1 || die "h2load on A's cursor page failed: $(tail -5 "$tmp/h2load.A.out")"
a1=$(cpu_ticks "${DPID[A]}")
read -r a_rps _ _ a_p50 a_p99 a_n a_problems \
  <<<"$(node "$repo/scripts/bench/h2load-stats.mjs" "$tmp/h2load.A.out" "$tmp/h2load.A.log")"
[[ $a_problems == ok ]] || die "h2load on A's cursor page: $a_problems"
a_cpu_page=$(calc %.2f "$((a1 - a0)) / $clk_tck / $a_n * 1000")
say ""
say "upstream A alone: one cursor page (100 versions, $page_bytes B), h2load --h1 -c1 (one request at a time, as a sync walks):"
say "  $a_rps pages/s = $(calc %.0f "$a_rps * 100") versions/s ceiling; latency p50 $a_p50 ms, p99 $a_p99 ms; A's CPU $a_cpu_page ms/page"

# --- 4. reads during the sync vs idle --------------------------------------------------------------
list_path='/v0.1/servers?limit=30'
search_path="/v0.1/servers?limit=30&search=$search_term"
declare -A POOL_SYNC POOL_IDLE SYNC_S  # per "endpoint,cache": pooled window logs, idle out+log pairs, sync times
failures=()

stamp_stderr() {  # $1 stderr fifo, $2 log, $3 notify fifo: timestamps B's lines, forwards summaries
  local line
  exec 3>"$3"
  while IFS= read -r line; do
    printf '%s %s\n' "$EPOCHREALTIME" "$line" >>"$2"
    case $line in *"sync ok ("* | *"sync FAILED ("*) printf '%s %s\n' "$EPOCHREALTIME" "$line" >&3 ;; esac
  done <"$1"
  exec 3>&-
}
us() { calc %.0f "$1 * 1e6"; }
stats() { node "$repo/scripts/bench/h2load-stats.mjs" "$@"; }  # → req/s min max p50 p99 n problems

read_run() {  # $1 endpoint (list|search), $2 cache (off|on), $3 round
  local ep=$1 cache=$2 tag="$1.$2.$3" path url dir errf nf t_ready t_done="" line k=0 rc problems
  local pairs=() logs=()
  [[ $ep == list ]] && path=$list_path || path=$search_path
  dir=$tmp/B.serve.$tag; mkdir -p "$dir"
  errf=$tmp/stderr.$tag; nf=$tmp/notify.$tag
  mkfifo "$errf" "$nf"
  exec {NFD}<>"$nf"  # read-write: opening never blocks, and the fd stays valid after the writer ends
  stamp_stderr "$errf" "$tmp/B.$tag.log" "$nf" &
  STAMPER=$!
  start_daemon "B.$tag" "$tmp/B-$cache.yaml" "$dir" "$errf"
  t_ready=$(now)
  url=$URL$path
  # The sync started at ready (the data dir has never synced): load in chunks until its summary.
  while [[ -z $t_done ]]; do
    k=$((k + 1))
    rc=0
    h2load --h1 -c "$read_conns" -t1 --rps "$read_rps" -D "$chunk" \
      --log-file "$tmp/h2load.$tag.sync.$k.log" "$url" >"$tmp/h2load.$tag.sync.$k.out" 2>&1 &
    H2PID=$!
    wait "$H2PID" || rc=$?
    H2PID=""
    ((rc == 0)) || failures+=("$ep/cache $cache round $3: h2load chunk $k exited $rc")
    pairs+=("$tmp/h2load.$tag.sync.$k.out" "$tmp/h2load.$tag.sync.$k.log")
    logs+=("$tmp/h2load.$tag.sync.$k.log")
    if read -r -t 0 -u "$NFD"; then read -r t_done line <&"$NFD"; fi
    if [[ -z $t_done ]] && awk -v a="$t_ready" -v b="$EPOCHREALTIME" -v m="$max_window" 'BEGIN { exit !(b - a > m) }'; then
      die "B ($tag) did not finish its sync within $max_window s (log: $(tail -3 "$tmp/B.$tag.log"))"
    fi
  done
  parse_summary "$line" || die "B ($tag): unexpected summary line: $line"
  [[ ${S[0]} == ok && ${S[1]} == full && ${S[2]} == "$n_versions" ]] \
    || failures+=("$ep/cache $cache round $3: B's sync under read load: $line")
  # every chunk's statuses must be 2xx; the sample is the requests started in [ready, summary)
  read -r _ _ _ _ _ _ problems <<<"$(stats "${pairs[@]}")"
  [[ $problems == ok ]] || failures+=("$ep/cache $cache round $3 during the sync: $problems")
  awk -F'\t' -v a="$(us "$t_ready")" -v b="$(us "$t_done")" '$1 >= a && $1 < b' "${logs[@]}" \
    >"$tmp/h2load.$tag.window.log"
  POOL_SYNC[$ep,$cache]+=" $tmp/h2load.$tag.window.log"
  SYNC_S[$ep,$cache]+=" ${S[8]}"
  # idle: the same load against the same daemon, now holding the full data
  rc=0
  h2load --h1 -c "$read_conns" -t1 --rps "$read_rps" -D "$idle_duration" \
    --log-file "$tmp/h2load.$tag.idle.log" "$url" >"$tmp/h2load.$tag.idle.out" 2>&1 || rc=$?
  ((rc == 0)) || failures+=("$ep/cache $cache round $3: idle h2load exited $rc")
  POOL_IDLE[$ep,$cache]+=" $tmp/h2load.$tag.idle.out $tmp/h2load.$tag.idle.log"
  rc=0; stop_daemon "B.$tag" || rc=$?
  ((rc == 0)) || failures+=("B ($tag) exited $rc on SIGTERM")
  stop_stamper
  local ws wi
  ws=$(stats "$tmp/h2load.$tag.sync.1.out" "$tmp/h2load.$tag.window.log")
  wi=$(stats "$tmp/h2load.$tag.idle.out" "$tmp/h2load.$tag.idle.log")
  say "  $3 $ep, cache $cache: sync ${S[8]} s under reads ($(calc %.0f "$n_versions / ${S[8]}") versions/s);" \
    "during: p50 $(cut -d' ' -f4 <<<"$ws") ms, p99 $(cut -d' ' -f5 <<<"$ws") ms ($(cut -d' ' -f6 <<<"$ws") requests);" \
    "idle: p50 $(cut -d' ' -f4 <<<"$wi") ms, p99 $(cut -d' ' -f5 <<<"$wi") ms ($(cut -d' ' -f6 <<<"$wi") requests)"
  rm -rf "$dir"
}
say ""
say "reads against B while it syncs from A (serve, sync at start) vs idle after, $read_rounds rounds:" \
  "h2load --h1 -c $read_conns -t1 --rps $read_rps per connection ($((read_conns * read_rps)) req/s offered)"
for ((r = 1; r <= read_rounds; r++)); do
  for ep in list search; do
    for cache in off on; do read_run "$ep" "$cache" "$r"; done
  done
done
rc=0; stop_daemon A || rc=$?
((rc == 0)) || failures+=("upstream A exited $rc on SIGTERM")

# --- 5. report -----------------------------------------------------------------------------------
verdict() { awk -v v="$1" -v op="$2" -v lim="$3" 'BEGIN { ok = (op == ">=") ? v >= lim : v <= lim; print ok ? "PASS" : "MISS" }'; }
ms_page() { calc %.2f "$1 / $2 * 1000"; }
say ""
say "$n_versions versions of $n_names names from a loopback mcp-mirror upstream (A: --no-sync, cache off), pages of 100;"
say "B with upstream.requests_per_second: 1000 (production default 3/s: ~5.5 min for these $full_pages pages, by design)."
say "Machine: $cores CPUs, load average before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg); A, B and h2load share them."
say ""
say "| measure | value | target | verdict |"
say "|---|---:|---:|---|"
say "| full initial sync (sync --once, median of $rounds, wall) | $full_wall s (range $(range "${FULL_WALL[@]}") s; run $(median "${FULL_RUN[@]}") s) | | |"
say "| full sync rate | $full_vps versions/s (rounds: ${FULL_VPS[*]}) | >= 40000 | $(verdict "$full_vps" ">=" 40000) |"
b_cpu=$(median "${B_CPU[@]}"); a_cpu=$(median "${A_CPU[@]}")
cpu_ceiling=$(calc %.0f "$n_versions / ($b_cpu + $a_cpu)")
say "| full sync, CPU-bound estimate: versions / (B + A CPU time) | $cpu_ceiling versions/s | (info) >= 40000 | $(verdict "$cpu_ceiling" ">=" 40000) |"
say "| full sync requests / pages | $full_requests / $full_pages | | |"
say "| no-change incremental sync (median wall) | $inc_wall s | | |"
say "| no-change incremental requests (max of $rounds) | $inc_req_max | 1 | $( ((inc_req_max == 1)) && echo PASS || echo MISS) |"
for ep in list search; do
  for cache in off on; do
    first_out=$tmp/h2load.$ep.$cache.1.sync.1.out
    # shellcheck disable=SC2086  # space-separated temp paths without spaces
    read -r _ _ _ p50s p99s ns _ <<<"$(cat ${POOL_SYNC[$ep,$cache]} >"$tmp/pool.$ep.$cache.log"; stats "$first_out" "$tmp/pool.$ep.$cache.log")"
    # shellcheck disable=SC2086
    read -r _ _ _ p50i p99i ni problems <<<"$(stats ${POOL_IDLE[$ep,$cache]})"
    [[ $problems == ok ]] || failures+=("$ep/cache $cache idle: $problems")
    ratio=$(calc %.2f "($p99i > 0 ? $p99s / $p99i : 0)")
    # shellcheck disable=SC2086
    sync_s=$(calc %.2f "$(median ${SYNC_S[$ep,$cache]})")
    if [[ $ep == list ]]; then tgt="<= 1.50"; else tgt="(info) <= 1.50"; fi
    say "| $ep limit=30 read p99, cache $cache: during sync / idle | $p99s / $p99i ms = ${ratio}x (p50 $p50s / $p50i ms; $ns / $ni requests; sync under reads $sync_s s) | $tgt | $(verdict "$ratio" "<=" 1.5) |"
  done
done
say ""
say "Reads: cache off, every request runs SQLite in both samples: the ratio is the writer's (and the sync's CPU) effect."
say "  Cache on (the default config): idle reads are all cache hits, while the sync commits a page every few ms and each"
say "  commit invalidates the cache, so during the sync reads mostly miss: that ratio is hit vs miss more than contention."
say ""
say "Where the time goes (full sync --once, medians): $(ms_page "$full_wall" "$full_pages") ms wall per page;" \
  "CPU per page: B $(ms_page "$b_cpu" "$full_pages") ms (its HTTP/JSON thread and its SQLite writer thread), A $(ms_page "$a_cpu" "$full_pages") ms."
say "  The walk is sequential (fetch page N, commit it, then fetch page N+1) and A serves one request at a time to it, so"
say "  A's and B's per-page times add up: on an otherwise idle machine the wall time approaches the CPU-bound estimate;"
say "  more wall than CPU means waiting for the CPUs (see the load average) or the disk."
say "  A alone serves a cursor page in p50 $a_p50 ms ($a_rps pages/s, one connection, A's CPU $a_cpu_page ms/page): the upstream"
say "  caps a sync at $(calc %.0f "$a_rps * 100") versions/s; $(awk -v a="$a_cpu" -v b="$b_cpu" 'BEGIN { print (b > 2 * a ? "the mirror under test (B), not the upstream, is the limit." : "the upstream (A) takes a large share of the time.") }')"
say "Total: $(since "$t_start")."

if ((${#failures[@]})); then
  say ""
  for f in "${failures[@]}"; do say "FAILED: $f"; done
  exit 1
fi
