#!/usr/bin/env bash
# Soak test: mcp-mirror under mixed read load, a sync every minute from a changing upstream,
# curation reloads and adversarial clients, all at once, for MINUTES minutes.
#
#   scripts/soak.sh MINUTES [MCP_MIRROR_BINARY]
#
# Without a binary it builds build-release/mcp-mirror (CMake, Release). All on 127.0.0.1 (daemons
# on port 0), in a temp dir removed on exit with every process it started.
#
# Setup (< 1 min): scripts/bench/gen-data.mjs writes $SOAK_VERSIONS (20k) synthetic versions; the
# PARENT, an mcp-mirror serving them (`upstream.sync: false`, `http.cache_bytes: 0`, so it serves
# an external `import` at once), plays the changing upstream. The mirror under test (the DAEMON)
# starts on an empty data dir following the parent (`upstream.url`, `interval: 1m`,
# `jitter_percent: 0`, `requests_per_second: 1000`), with an admin token and a curation file; the
# soak starts once its first (full) sync succeeded. Then, concurrently, until the end:
#   - reads: h2load --h1 -c$SOAK_CONNS -t1 --rps $SOAK_RPS (per connection) -D 5, in a loop, each
#     run on a random sample of 2000 of scripts/soak/urls.mjs's paths (list pages with and without
#     cursors, limit=100 follower pages, details, versions, versions/latest, search with common
#     and rare terms and cursors, absent names); runs alternate plain, `Accept-Encoding: gzip`, and
#     `If-None-Match: <the list page's current ETag>` (304 for that page while current; tags are per URL);
#   - a sync round at the start of every minute: scripts/soak/mutate.mjs writes new names, a new
#     latest, an edit, a deprecation and a deletion, `mcp-mirror import` puts them into the
#     running parent's data dir, POST .../sync asks the daemon to run now, and the round waits
#     (45 s at most) until the daemon serves all of them (the scheduler's own 1-minute runs come
#     on top);
#   - a curation reload every $SOAK_RELOAD_EVERY s, by SIGHUP or POST .../reload in turn,
#     cycling through rules A, rules B and an invalid file; A and B each hide a different probe
#     name, so after every reload the probes show which rules are in force: the valid file's,
#     or after a rejected file the previous ones (checked, 10 s at most);
#   - scripts/soak/adversary.py: slowloris, idle connections, malformed requests, chunked bodies
#     on GET, oversize headers, connections reset mid-request (see its header).
#
# Every minute one line: RSS (VmRSS) and open descriptors of the daemon (fds; `fds-conn` is fds
# minus those that are established TCP connections, what the growth rule uses, so that the
# adversary's held connections do not look like a leak, while a socket the daemon never closes
# (CLOSE_WAIT) does; both the median of 5 samples), the size of its /metrics output (one
# scrape a minute, as a monitoring system would), the minute's h2load p99 and req/s,
# status counts 2xx/3xx/4xx/5xx of h2load and 503s (load shedding) of h2load and the adversary,
# sync runs ok/failed (the daemon's sync-status counters), reloads ok/rejected, adversary
# connections and its failures (bad 5xx, hangs).
#
# It FAILS (exit 1) when:
#   - any 5xx other than 503 was answered (h2load's status counts, the adversary's `bad5xx`), or
#     the adversary saw a connection held past its deadline (`hang`: see adversary.py);
#   - the daemon died, or did not exit 0 on the final SIGTERM;
#   - RSS, descriptors or /metrics keep growing. Rule: minute 1 is warm-up (caches and SQLite
#     page caches fill); of the later minutes, split into thirds, the median of the last third
#     must not exceed the median of the second third by more than 20% (RSS), 16 (fds-conn) or
#     20% + 4 KB (/metrics: its series are bounded by routes x statuses x methods, so it only
#     grows when something keyed by client input does, e.g. a label per made-up method). With k =
#     max(1, floor(n/3)) samples per third of the n post-warm-up minutes (a 3-minute run compares
#     minute 2 with minute 3). Medians, not single samples, so one busy minute does not fail it;
#     a leak that keeps going shows in every minute of the last third;
#   - a sync run failed (the parent is ours and healthy; it is checked each minute), or a round's
#     changes were not served within 45 s;
#   - a reload gave the wrong outcome (a valid file rejected, an invalid one applied) or the rules
#     in force were not the expected ones afterwards.
# 503 is load shedding and allowed; h2load requests that failed or errored and the adversary's
# refused/closed connections are counted and shown, not failures (a per-client connection limit
# may refuse the adversary: see the config below).
#
# Environment: SOAK_VERSIONS (20000), SOAK_CONNS (16), SOAK_RPS (60 requests/s per connection),
# SOAK_RELOAD_EVERY (15 s), SOAK_KEEP=1 keeps the temp dir (logs, h2load output).
set -euo pipefail
export LC_ALL=C

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench="soak"
# shellcheck source=scripts/bench/common.sh
source "$repo/scripts/bench/common.sh"

[[ ${1:-} =~ ^[1-9][0-9]*$ ]] || die "usage: scripts/soak.sh MINUTES [MCP_MIRROR_BINARY]"
minutes=$1; shift
versions=${SOAK_VERSIONS:-20000}
conns=${SOAK_CONNS:-16}
rps=${SOAK_RPS:-60}
reload_every=${SOAK_RELOAD_EVERY:-15}
read_timeout=10 idle_timeout=20  # the daemon's http.read_timeout / idle_timeout below, in s

missing=()
command -v h2load >/dev/null 2>&1 || missing+=("h2load (Debian: nghttp2-client)")
command -v curl >/dev/null 2>&1 || missing+=("curl")
command -v node >/dev/null 2>&1 || missing+=("node (Debian: nodejs)")
command -v python3 >/dev/null 2>&1 || missing+=("python3 (Debian: python3)")
((${#missing[@]} == 0)) || die "missing: ${missing[*]}; run scripts/install-deps.sh"
resolve_binary "$@"

# --- temp dir, processes, cleanup ----------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/soak.XXXXXX")
[[ $tmp != *" "* ]] || die "the temp dir path must not contain spaces: $tmp"
declare -A DPID DFD
BG=()  # background loops (load, reloads, adversary)
stop_bg() {
  local p kids
  for p in "${BG[@]}"; do
    kids=$(pgrep -P "$p" || true)
    # shellcheck disable=SC2086  # pids
    kill "$p" $kids 2>/dev/null || true
  done
  for p in "${BG[@]}"; do wait "$p" 2>/dev/null || true; done
  BG=()
}
cleanup() {
  local rc=$?
  stop_bg
  stop_daemon daemon || true
  stop_daemon parent || true
  if [[ ${SOAK_KEEP:-0} == 1 ]]; then say "kept $tmp"; else rm -rf "$tmp"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- data and the parent -------------------------------------------------------------------------
t=$(now)
node "$repo/scripts/bench/gen-data.mjs" "$tmp/gen" "$versions" >/dev/null
n_urls=$(node "$repo/scripts/soak/urls.mjs" "$tmp/gen" "$tmp/paths.txt")
mkdir -p "$tmp/parent" "$tmp/daemon"
"$bin" import --data-dir "$tmp/parent" "$tmp/gen/data.jsonl" >"$tmp/import.log" 2>&1 \
  || { cat "$tmp/import.log" >&2; die "import into the parent failed"; }
rm "$tmp/gen/data.jsonl"
printf 'log_level: warn\nhttp:\n  reader_threads: 2\n  cache_bytes: 0\nupstream:\n  sync: false\n' >"$tmp/parent.yaml"
start_daemon parent "$tmp/parent.yaml" "$tmp/parent" "$tmp/parent.log"
parent_url=$URL

# --- the daemon under test -----------------------------------------------------------------------
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$tmp/admin-token"
chmod 600 "$tmp/admin-token"
token=$(<"$tmp/admin-token")
probe_a=$(sed -n 1p "$tmp/gen/latest-paths.txt")  # hidden by rules A
probe_b=$(sed -n 2p "$tmp/gen/latest-paths.txt")  # hidden by rules B
name_of() { sed 's|^/v0.1/servers/||; s|/versions/latest$||; s|%2F|/|g' <<<"$1"; }
cat >"$tmp/rules-a.yaml" <<EOF
default: include
rules:
  - id: hide-deleted
    match: {status: deleted}
    action: exclude
  - id: hide-probe-a
    match: {name: "$(name_of "$probe_a")"}
    action: exclude
  - id: npm-mirror
    rewrite:
      - {field: registry_base_url, from: "", to: "https://npm.internal.example", registry_type: npm}
  - id: old-com
    match: {namespace: com}
    deprecate: Use the internal catalog
EOF
cat >"$tmp/rules-b.yaml" <<EOF
default: include
rules:
  - id: hide-probe-b
    match: {name: "$(name_of "$probe_b")"}
    action: exclude
  - id: oci-internal
    match: {registry_type: oci}
    rewrite:
      - {field: oci_host, from: docker.io, to: registry.internal.example}
  - id: ai-titles
    match: {namespace: ai}
    set: {title: Curated AI server}
EOF
printf 'default: include\nrules:\n  - id: broken\n    match: {colour: red}\n    action: exclude\n' >"$tmp/rules-bad.yaml"
cp "$tmp/rules-a.yaml" "$tmp/curation.yaml"
cat >"$tmp/daemon.yaml" <<EOF
log_level: info
seed_when_empty: false
admin_token_file: admin-token
curation_file: curation.yaml
http:
  reader_threads: 2
  read_timeout: ${read_timeout}s   # short deadlines, so the adversary's slow and idle
  idle_timeout: ${idle_timeout}s   # connections cycle several times a minute
  # Well above this soak's own peak from 127.0.0.1 (h2load's $conns connections, the
  # adversary's ~100: 80 idle, 16 slowloris, a few more), so that only the adversary could ever
  # be refused, and such refusals are not counted as failures.
  max_connections_per_client: 1024
upstream:
  url: $parent_url
  interval: 1m
  jitter_percent: 0
  requests_per_second: 1000
EOF
start_daemon daemon "$tmp/daemon.yaml" "$tmp/daemon" "$tmp/daemon.log"
url=$URL
pid=${DPID[daemon]}
port=${url##*:}
admin=$url/v0.1/x/io.github.mcp-mirror
# Admin POST ($1: sync) → its status code; a 503 (load shedding) is retried, 10 times at most.
admin_post() {
  local code i
  for ((i = 0; i < 10; i++)); do
    code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 60 -X POST -H "Authorization: Bearer $token" "$admin/$1" || true)
    [[ $code == 503 ]] || break
    sleep 1
  done
  echo "$code"
}
status_json() {  # sync-status, retried while it is not a 200 (e.g. a 503), 10 s at most
  local body i
  for ((i = 0; i < 20; i++)); do
    body=$(curl -sS -f --max-time 10 "$admin/sync-status" 2>/dev/null) && { echo "$body"; return; }
    sleep 0.5
  done
  echo '{}'
}
json_field() { node -e 'const o = JSON.parse(require("fs").readFileSync(0, "utf8")); const v = process.argv[1].split(".").reduce((a, k) => a?.[k], o); console.log(v ?? "")' "$1"; }
deadline=$((SECONDS + 120))
until [[ -n $(status_json | json_field lastSuccess) ]]; do
  ((SECONDS < deadline)) || die "the daemon's first sync from the parent did not succeed in 120 s: $(status_json)"
  kill -0 "$pid" 2>/dev/null || die "the daemon died during its first sync: $(tail -5 "$tmp/daemon.log")"
  sleep 0.5
done
say "setup $(since "$t"): $versions versions, parent $parent_url, daemon $url (pid $pid) synced; $n_urls read paths; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"

# --- background loops ----------------------------------------------------------------------------
load_loop() {  # h2load runs back to back; each finished run is listed in load.done
  set +e  # a failed step is recorded, the loop goes on
  local k=0 flavor hdr
  while :; do
    k=$((k + 1))
    hdr=()
    case $((k % 3)) in
      0) flavor=plain ;;
      1) flavor=gzip; hdr=(-H 'Accept-Encoding: gzip') ;;
      2) flavor=inm
         hdr=(-H "If-None-Match: $(curl -sS -o /dev/null -D - --max-time 5 "$url/v0.1/servers" | tr -d '\r' | awk -F': ' 'tolower($1) == "etag" { print $2 }')") ;;
    esac
    shuf -n 2000 "$tmp/paths.txt" | sed "s|^|$url|" >"$tmp/load/uris"
    timeout 60 h2load --h1 -c "$conns" -t 1 --rps "$rps" -D 5 -i "$tmp/load/uris" "${hdr[@]}" \
      --log-file "$tmp/load/$k.log" >"$tmp/load/$k.out" 2>&1 || echo "$k $?" >>"$tmp/load/exit-codes"
    echo "$k $flavor" >>"$tmp/load/done"
  done
}
reload_loop() {  # one reload every reload_every s; one line per reload in reloads.log
  set +e +o pipefail
  local k=0 in_force=a file how want got code before after deadline hidden visible state
  local -a files=(a b bad a bad b) hows=(sighup endpoint endpoint endpoint sighup sighup)
  reload_counts() {  # → "applied rejected" from /metrics
    curl -sS --max-time 10 "$url/metrics" | awk '
      /^mcp_mirror_curation_reloads_total\{result="applied"\}/ { a = $2 }
      /^mcp_mirror_curation_reloads_total\{result="rejected"\}/ { r = $2 }
      END { print a + 0, r + 0 }'
  }
  # POST .../reload answers 202 with the job's URL (Location: reload/<id>); its status document
  # says how it ended → ok, rejected or error:…
  reload_by_endpoint() {
    local code i loc status
    for ((i = 0; i < 10; i++)); do
      code=$(curl -sS -o /dev/null -D "$tmp/reload.headers" -w '%{http_code}' --max-time 60 -X POST \
        -H "Authorization: Bearer $token" "$admin/reload" || true)
      [[ $code == 503 ]] || break
      sleep 1
    done
    [[ $code == 202 ]] || { echo "error:$code"; return; }
    loc=$(tr -d '\r' <"$tmp/reload.headers" | awk -F': ' 'tolower($1) == "location" { print $2 }')
    for ((i = 0; i < 300; i++)); do
      status=$(curl -sS --max-time 10 -H "Authorization: Bearer $token" "$admin/$loc" | json_field status)
      case $status in
        applied) echo ok; return ;;
        rejected) echo rejected; return ;;
        failed) echo error:failed; return ;;
      esac
      sleep 0.2
    done
    echo error:no-end-in-60s
  }
  while :; do
    sleep "$reload_every"
    file=${files[k % 6]}; how=${hows[k % 6]}; k=$((k + 1))
    cp "$tmp/rules-$file.yaml" "$tmp/curation.new" && mv "$tmp/curation.new" "$tmp/curation.yaml"
    [[ $file == bad ]] && want=rejected || want=ok
    if [[ $how == endpoint ]]; then
      got=$(reload_by_endpoint)
    else
      before=$(reload_counts)
      kill -HUP "$pid"
      deadline=$((SECONDS + 60)); got="error:no-reload-in-60s"
      while ((SECONDS < deadline)); do
        after=$(reload_counts)
        if [[ $after != "$before" ]]; then
          [[ ${after#* } != "${before#* }" ]] && got=rejected || got=ok
          break
        fi
        sleep 0.2
      done
    fi
    [[ $got == ok ]] && in_force=$file
    # the rules in force: their probe is hidden (404), the other one's served (200)
    if [[ $in_force == a ]]; then hidden=$probe_a visible=$probe_b; else hidden=$probe_b visible=$probe_a; fi
    deadline=$((SECONDS + 10)); state=wrong
    while ((SECONDS < deadline)); do
      if [[ $(curl -sS -o /dev/null -w '%{http_code}' --max-time 5 "$url$hidden") == 404 &&
            $(curl -sS -o /dev/null -w '%{http_code}' --max-time 5 "$url$visible") == 200 ]]; then
        state=ok; break
      fi
      sleep 0.2
    done
    echo "$how $file want=$want got=$got rules=$in_force state=$state" >>"$tmp/reloads.log"
  done
}
mkdir -p "$tmp/load"
: >"$tmp/load/done"; : >"$tmp/reloads.log"
load_loop & BG+=($!)
reload_loop & BG+=($!)
python3 "$repo/scripts/soak/adversary.py" 127.0.0.1 "$port" "$((minutes * 60))" "$read_timeout" \
  "$idle_timeout" "$tmp/adversary.json" 2>"$tmp/adversary.err" & BG+=($!)

# --- per-minute measurements ---------------------------------------------------------------------
RSS=() FDS=() FDC=() MET=() FAILS=() MS=() ADV=()
loads_seen=0 reloads_seen=0 prev_runs=0 prev_fail=0
prev_adv='{}'
h2_bad5xx=0 h2_503=0 h2_err=0 syncs_failed=0 reload_problems=0 adv_bad5xx=0 adv_hang=0
sync_round() {  # $1 round: mutate the parent, trigger the daemon, await the changes → "ok SECS" or "fail WHY"
  local exp path want deadline t0=$SECONDS pending missing
  exp=$(node "$repo/scripts/soak/mutate.mjs" "$1" "$tmp/round.jsonl")
  "$bin" import --data-dir "$tmp/parent" "$tmp/round.jsonl" >>"$tmp/rounds.log" 2>&1 \
    || { echo "fail import-into-parent"; return; }
  [[ $(admin_post sync) == 202 ]] || { echo "fail trigger"; return; }
  deadline=$((SECONDS + 45))
  while :; do
    pending=0 missing=""
    while read -r path want; do
      if ! curl -sS --max-time 5 "$url$path" 2>/dev/null | grep -qF -- "$want"; then
        pending=$((pending + 1)); missing="$path (want $want)"
      fi
    done <<<"$exp"
    ((pending == 0)) && { echo "ok $((SECONDS - t0))"; return; }
    ((SECONDS < deadline)) || break
    sleep 0.5
  done
  {
    echo "round $1: not served after 45 s: $missing"
    echo "  daemon: $(curl -sS --max-time 5 "$url${missing%% *}")"
    echo "  parent: $(curl -sS --max-time 5 "$parent_url${missing%% *}")"
  } >>"$tmp/rounds.log"
  echo "fail not-served-in-45s: $pending of $(wc -l <<<"$exp"), e.g. ${missing%% *}"
}
minute_stats() {  # h2load runs finished since the last call → MS: p99 req/s 2xx 3xx 4xx 5xx 503 failed errored timeout
  local new k outs=() logs=() p99 c503
  new=$(tail -n +"$((loads_seen + 1))" "$tmp/load/done" | cut -d' ' -f1)
  if [[ -z $new ]]; then MS=(- 0 0 0 0 0 0 0 0 0); return; fi
  loads_seen=$((loads_seen + $(wc -l <<<"$new")))
  for k in $new; do
    outs+=("$tmp/load/$k.out")
    [[ -f $tmp/load/$k.log ]] && logs+=("$tmp/load/$k.log")
  done
  # --log-file: start time (µs), status, latency (µs) per response
  c503=$(cat "${logs[@]}" /dev/null | awk -F'\t' '$2 == 503' | wc -l)
  p99=$(cat "${logs[@]}" /dev/null | cut -f3 | sort -n \
    | awk '{ v[NR] = $1 } END { i = int(NR * 0.99); if (i < NR * 0.99) i++; if (i < 1) i = 1; printf "%.2f", (NR ? v[i] / 1000 : 0) }')
  read -r -a MS < <(awk -v p99="$p99" -v c503="$c503" '
    /^finished in/ { t = $3; sub(/,$/, "", t); if (t ~ /ms$/) { sub(/ms$/, "", t); t /= 1000 } else sub(/s$/, "", t); secs += t }
    /^requests:/ { done += $6; failed += $10; errored += $12; timeout += $14 }
    /^status codes:/ { c2 += $3; c3 += $5; c4 += $7; c5 += $9 }
    END { printf "%s %.0f %d %d %d %d %d %d %d %d\n", p99, (secs ? done / secs : 0), c2, c3, c4, c5, c503, failed, errored, timeout }' "${outs[@]}")
  for k in $new; do rm -f "$tmp/load/$k.out" "$tmp/load/$k.log"; done
}
adv_delta() {  # the adversary's counters since the last call → ADV: connections refused closed s503 bad5xx hang unexpected client_error
  local cur
  cur=$(cat "$tmp/adversary.json" 2>/dev/null || echo '{}')
  read -r -a ADV < <(python3 -c 'import json, sys
c, p = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(" ".join(str(c.get(k, 0) - p.get(k, 0)) for k in ("connections", "refused", "closed", "s503", "bad5xx", "hang", "unexpected", "client_error")))' "$cur" "$prev_adv")
  prev_adv=$cur
}
fd_sample() {  # → "fds fds-conn": the daemon's descriptors, and those that are not an established TCP connection
  # The fd links first, then the TCP table: a connection opened in between is in neither count;
  # one closed in between counts as not established (noise upwards, hence the median below).
  local links
  # find exits 1 when a descriptor closes while it lists them (the adversary's churn): not an error.
  links=$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 -printf '%l\n' 2>/dev/null || true)
  awk 'NR == FNR { if ($4 == "01") est[$10] = 1; next }
       { n++; if ($0 ~ /^socket:\[[0-9]+\]$/ && (substr($0, 9, length($0) - 9) in est)) e++ }
       END { print n + 0, n - e }' <(cat /proc/net/tcp /proc/net/tcp6 2>/dev/null) <(printf '%s\n' "$links")
}
fd_counts() {  # the median of 5 samples 0.5 s apart: the adversary opens and closes connections in batches
  local i a=() b=() x y
  for ((i = 0; i < 5; i++)); do
    read -r x y < <(fd_sample); a+=("$x"); b+=("$y")
    ((i == 4)) || sleep 0.5
  done
  echo "$(median "${a[@]}") $(median "${b[@]}")"
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

say ""
say "min   RSS MB  fds fds-conn metrics KB  p99 ms  req/s    2xx    3xx   4xx  5xx  503  sync ok/fail  reloads ok/rej  adv conns  adv 5xx/hang  round"
t0=$EPOCHREALTIME
died=""
for ((m = 1; m <= minutes; m++)); do
  round=$(sync_round "$m")
  [[ $round == ok* ]] || FAILS+=("minute $m: sync round: ${round#fail }")
  # until the end of this minute
  sleep "$(awk -v t0="$t0" -v m="$m" -v now="$EPOCHREALTIME" 'BEGIN { s = t0 + 60 * m - now; print (s > 0 ? s : 0) }')"
  if ! kill -0 "$pid" 2>/dev/null; then died="minute $m"; FAILS+=("the daemon died in minute $m"); break; fi
  curl -sS -o /dev/null --max-time 5 "$parent_url/v0.1/ping" || FAILS+=("minute $m: the parent does not answer")
  rss=$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
  read -r fds fdc < <(fd_counts)
  metrics_kb=$(curl -sS --max-time 30 "$url/metrics" | wc -c | awk '{ printf "%.0f", $1 / 1024 }')
  RSS+=("$rss"); FDS+=("$fds"); FDC+=("$fdc"); MET+=("$metrics_kb")
  minute_stats
  read -r p99 rate c2 c3 c4 c5 c503 _ h2errored h2timeout <<<"${MS[*]}"
  h2_err=$((h2_err + h2errored + h2timeout))
  h2_bad5xx=$((h2_bad5xx + c5 - c503)); h2_503=$((h2_503 + c503))
  ((c5 - c503 == 0)) || FAILS+=("minute $m: h2load got $((c5 - c503)) 5xx other than 503")
  st=$(status_json)
  runs=$(json_field runs <<<"$st"); fail=$(json_field failures <<<"$st")
  if [[ -z $runs || -z $fail ]]; then
    FAILS+=("minute $m: no sync-status from the daemon"); runs=$prev_runs fail=$prev_fail
  fi
  ((fail == prev_fail)) || FAILS+=("minute $m: $((fail - prev_fail)) sync run(s) failed: $(json_field lastError <<<"$st")")
  sync_ok=$((runs - prev_runs - (fail - prev_fail))); sync_fail=$((fail - prev_fail))
  syncs_failed=$((syncs_failed + sync_fail)); prev_runs=$runs prev_fail=$fail
  new_reloads=$(tail -n +"$((reloads_seen + 1))" "$tmp/reloads.log")
  reloads_seen=$(wc -l <"$tmp/reloads.log")
  r_ok=$(grep -c 'got=ok' <<<"$new_reloads" || true); r_rej=$(grep -c 'got=rejected' <<<"$new_reloads" || true)
  while read -r line; do
    [[ -z $line ]] && continue
    [[ $line =~ want=([a-z]+)\ got=([a-z:0-9-]+).*state=([a-z]+) && ${BASH_REMATCH[1]} == "${BASH_REMATCH[2]}" && ${BASH_REMATCH[3]} == ok ]] \
      || { FAILS+=("minute $m: reload: $line"); reload_problems=$((reload_problems + 1)); }
  done <<<"$new_reloads"
  adv_delta
  read -r a_conns _ _ a503 abad ahang _ _ <<<"${ADV[*]}"
  adv_bad5xx=$((adv_bad5xx + abad)); adv_hang=$((adv_hang + ahang))
  ((abad == 0)) || FAILS+=("minute $m: the adversary got $abad 5xx other than 503")
  ((ahang == 0)) || FAILS+=("minute $m: $ahang adversary connection(s) held past their deadline")
  printf '%3d %8s %4d %8d %10s %7s %6s %6d %6d %5d %4d %4d %8d/%-4d %9d/%-4d %9d %7d/%-4d  %s\n' \
    "$m" "$rss" "$fds" "$fdc" "$metrics_kb" "$p99" "$rate" "$c2" "$c3" "$c4" "$c5" "$((c503 + a503))" \
    "$sync_ok" "$sync_fail" "$r_ok" "$r_rej" "$a_conns" "$abad" "$ahang" "$round$( ((h2errored + h2timeout == 0)) || echo "; h2load errored $h2errored, timeout $h2timeout")"
done
stop_bg

# --- summary -------------------------------------------------------------------------------------
stop_rc=0
if [[ -z $died ]]; then
  stop_daemon daemon || stop_rc=$?
  ((stop_rc == 0)) || FAILS+=("the daemon exited $stop_rc on SIGTERM")
fi
growth=""
n=$((${#RSS[@]} - 1))  # minutes after the warm-up minute
if ((n >= 2)); then
  k=$((n / 3)); ((k >= 1)) || k=1
  mid_rss=$(median "${RSS[@]:$((1 + n - 2 * k)):$k}"); last_rss=$(median "${RSS[@]:$((1 + n - k)):$k}")
  mid_fd=$(median "${FDC[@]:$((1 + n - 2 * k)):$k}"); last_fd=$(median "${FDC[@]:$((1 + n - k)):$k}")
  mid_met=$(median "${MET[@]:$((1 + n - 2 * k)):$k}"); last_met=$(median "${MET[@]:$((1 + n - k)):$k}")
  growth="RSS median $mid_rss → $last_rss MB, fds-conn median $mid_fd → $last_fd, /metrics $mid_met → $last_met KB (minutes $((2 + n - 2 * k))-$((1 + n - k)) vs $((2 + n - k))-$((1 + n)))"
  awk -v a="$mid_rss" -v b="$last_rss" 'BEGIN { exit !(b > a * 1.2) }' && FAILS+=("RSS keeps growing: $growth")
  awk -v a="$mid_fd" -v b="$last_fd" 'BEGIN { exit !(b > a + 16) }' && FAILS+=("descriptors keep growing: $growth")
  awk -v a="$mid_met" -v b="$last_met" 'BEGIN { exit !(b > a * 1.2 + 4) }' && FAILS+=("the /metrics output keeps growing (unbounded label values?): $growth")
else
  growth="too few minutes after the warm-up for the growth rule (needs MINUTES >= 3)"
fi
say ""
say "summary: $minutes min; daemon $([[ -n $died ]] && echo "DIED ($died)" || echo "alive, exit $stop_rc on SIGTERM")"
say "  growth: $growth"
say "  h2load: 5xx other than 503: $h2_bad5xx, 503: $h2_503, requests errored or timed out: $h2_err; runs that exited non-zero (run exit): $([[ -f $tmp/load/exit-codes ]] && tr '\n' ' ' <"$tmp/load/exit-codes")"
say "  sync runs failed: $syncs_failed; reloads: $(grep -c 'got=ok' "$tmp/reloads.log" || true) ok, $(grep -c 'got=rejected' "$tmp/reloads.log" || true) rejected, $reload_problems wrong"
say "  adversary: $(python3 -c 'import json, sys; c = json.load(open(sys.argv[1])); print(", ".join(f"{k} {v}" for k, v in sorted(c.items()) if k != "examples"))' "$tmp/adversary.json" 2>/dev/null || echo "no counts")"
python3 -c 'import json, sys; [print("    example:", e) for e in json.load(open(sys.argv[1])).get("examples", [])]' "$tmp/adversary.json" 2>/dev/null || true
[[ -s $tmp/adversary.err ]] && say "  adversary stderr: $(tail -3 "$tmp/adversary.err")"
# log lines are `<time> <level> <message>`; the invalid curation file's rejections are expected
say "  daemon log: $(grep -cE '^[^ ]+ (error|critical) ' "$tmp/daemon.log" || true) error lines ($(grep -c 'curation reload rejected' "$tmp/daemon.log" || true) of them the expected rejections), $(grep -cE '^[^ ]+ warn ' "$tmp/daemon.log" || true) warnings; by message:"
grep -E '^[^ ]+ (error|critical|warn) ' "$tmp/daemon.log" | cut -d' ' -f2- | sed -E 's/[0-9]+/N/g; s|/tmp/[^ :]*|<tmp>|g' \
  | sort | uniq -c | sort -rn | head -8 | sed 's/^/    /' || true
if ((${#FAILS[@]})); then
  for f in "${FAILS[@]}"; do say "FAILED: $f"; done
  exit 1
fi
say "PASS"
