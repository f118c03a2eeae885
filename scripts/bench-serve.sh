#!/usr/bin/env bash
# Serve benchmark: mcp-mirror against nginx serving the identical bytes from files.
#
#   scripts/bench-serve.sh [MCP_MIRROR_BINARY]
#
# Without an argument it builds build-release/mcp-mirror (CMake, Release). A measurement, not a
# test: it exits 0 when a target is missed, non-zero only when something failed to run (a tool
# is missing, the daemon did not start, a response was not 2xx, nginx's bytes differ...).
#
# What it does, all on 127.0.0.1, in a temp dir removed on exit:
#   1. scripts/bench/gen-data.mjs writes 100k synthetic versions of ~25k names (fixed seed) built
#      from the 17 shapes of tests/data/server-json-examples.json, 4000 random names for
#      versions/latest and 200 search terms (common, medium, rare and unmatched name substrings);
#   2. `mcp-mirror import` loads them; two daemons start, each on its own copy of the database:
#      the default config (response cache on, 32 MB) and `cache_bytes: 0` (what SQLite alone does);
#   3. curl fetches every benchmarked URL from the cache-on daemon into an nginx root (this also
#      fills its cache: cache-on numbers are the warm steady state), and the same URLs fetched
#      back from nginx must be byte-identical;
#   4. h2load --h1 -c32 -t1 runs each endpoint against nginx, the cache-on and the cache-off
#      daemon, back to back: $BENCH_WARMUP warm-up requests per connection, then $BENCH_DURATION s
#      measured; p50/p99 come from h2load's --log-file (scripts/bench/h2load-stats.mjs), the
#      server's CPU time per request from /proc/PID/stat (less sensitive to other load on the
#      machine than req/s). versions/latest cycles through 4000 names and search through 200
#      terms with `h2load -i` (every connection walks the list in the same order);
#   5. HTTP caching on the list page, cache-on daemon, BENCH_ROUNDS rounds back to back: the plain
#      200, the 304 answer to `If-None-Match: <its ETag>`, and `Accept-Encoding: gzip` (the gzip
#      body is cached next to the identity one); `curl --compressed` must decode the same bytes;
#   6. prints the tables, the daemon's VmRSS/VmHWM/RssAnon/RssFile after the runs, and PASS/MISS
#      per target.
#
# Endpoints: the list page, a follower's walk (every limit=100 page with its cursor, ~1000 URLs),
# versions/latest, search over all 200 terms, and the rare terms alone (fewer than 30 matches).
# Targets: daemon/nginx req/s >= 0.9 for list and detail, search p99 <= 5 ms,
# RssAnon <= 100 MB (the mapped database is RssFile); judged on the default config (cache on),
# cache-off values shown alongside;
# list page 304 req/s >= 2x its 200 req/s. The long tail (cache off): list and follower pages
# >= 0.8x nginx, rare-term search p99 <= 5 ms.
# The three servers of an endpoint run back to back, and the whole sequence BENCH_ROUNDS times:
# on a shared 2-core machine one 5 s run can be off by 2x, so req/s is the median of the rounds
# (the table shows the range) and p50/p99 pool every request of the rounds. About 7 min in all.
# Environment: BENCH_ROUNDS (3), BENCH_DURATION (5 s), BENCH_WARMUP (10 requests per connection),
# BENCH_CONNECTIONS (32),
# BENCH_VERSIONS (100000), BENCH_KEEP=1 keeps the temp dir.
set -euo pipefail
export LC_ALL=C

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
duration=${BENCH_DURATION:-5}
warmup=${BENCH_WARMUP:-10}  # warm-up requests per connection before each measured run
conns=${BENCH_CONNECTIONS:-32}
rounds=${BENCH_ROUNDS:-3}
versions=${BENCH_VERSIONS:-100000}

bench="bench-serve"
# shellcheck source=scripts/bench/common.sh
source "$repo/scripts/bench/common.sh"

# --- 1. tools ------------------------------------------------------------------------------------
missing=()
command -v h2load >/dev/null 2>&1 || missing+=("h2load (Debian: nghttp2-client)")
nginx_bin=$(command -v nginx 2>/dev/null || true)
[[ -z $nginx_bin && -x /usr/sbin/nginx ]] && nginx_bin=/usr/sbin/nginx
[[ -n $nginx_bin ]] || missing+=("nginx (Debian: nginx-light)")
command -v curl >/dev/null 2>&1 || missing+=("curl")
command -v node >/dev/null 2>&1 || missing+=("node (Debian: nodejs; the generator and the stats are Node scripts)")
((${#missing[@]} == 0)) || die "missing: ${missing[*]}; run scripts/install-deps.sh"
say "tools: $(h2load --version | head -1), $("$nginx_bin" -v 2>&1 | sed 's/^nginx version: //'), node $(node --version) (generator and stats; python3 is not used)"

# --- binary --------------------------------------------------------------------------------------
resolve_binary "$@"

# --- temp dir, cleanup ---------------------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-serve.XXXXXX")
[[ $tmp != *" "* ]] || die "the temp dir path must not contain spaces: $tmp"
chmod 755 "$tmp"  # nginx workers may run as another user (master started as root)
declare -A DPID DURL DFD  # per daemon config (cache-on, cache-off): pid, base URL, ready fifo fd
nginx_started=""
stop_nginx() {
  [[ -n $nginx_started && -s $tmp/nginx/nginx.pid ]] || return 0
  local pid; pid=$(cat "$tmp/nginx/nginx.pid")
  kill -QUIT "$pid" 2>/dev/null || true
  # the master is not our child (nginx daemonizes): wait for its exit, bounded
  timeout 10 tail --pid="$pid" -f /dev/null || true
  nginx_started=""
}
cleanup() {
  local rc=$? c
  for c in "${!DPID[@]}"; do stop_daemon "$c" || true; done
  stop_nginx || true
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then say "kept $tmp"; else rm -rf "$tmp"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 2. data -------------------------------------------------------------------------------------
t=$(now)
gen=$(node "$repo/scripts/bench/gen-data.mjs" "$tmp/gen" "$versions")
gen_time=$(since "$t")
read -r n_versions n_names n_bytes avg_line min_line max_line < <(node -e '
  const g = JSON.parse(process.argv[1]);
  console.log(g.versions, g.names, g.bytes, g.avgLineBytes, g.minLineBytes, g.maxLineBytes);' "$gen")
say "generated $n_versions versions of $n_names names in $gen_time: $(awk -v b="$n_bytes" 'BEGIN{printf "%.1f MB", b/1e6}') JSON lines (entry $min_line..$max_line B, mean $avg_line B)"
# shellcheck disable=SC2016  # a JavaScript template literal
say "  search terms by matching versions: $(node -e 'const m = JSON.parse(process.argv[1]).searchMatches; console.log(`${m.atLeast30} fill a page (>=30), ${m.under30} match 1-29, ${m.none} match none`)' "$gen")"

mkdir -p "$tmp/data/cache-on"
t=$(now)
"$bin" import --data-dir "$tmp/data/cache-on" "$tmp/gen/data.jsonl" >"$tmp/import.log" 2>&1 \
  || { cat "$tmp/import.log" >&2; die "import failed"; }
say "imported in $(since "$t"): $(sed 's/^imported [^:]*: //' "$tmp/import.log" | head -1); database $(du -m "$tmp/data/cache-on/mirror.db" | cut -f1) MB"
rm "$tmp/gen/data.jsonl"
# The cache-off daemon runs at the same time on its own copy, so that the three servers of an
# endpoint are measured back to back (the machine's background load drifts).
cp -r "$tmp/data/cache-on" "$tmp/data/cache-off"

# --- daemons -------------------------------------------------------------------------------------
# A daemon that syncs would reach the internet and change the data (and so its cache) mid-run:
# turn `upstream.sync` off when this binary knows the key (config errors exit 2, before `import`
# even tries to read its file; an older binary without sync rejects the unknown key).
printf 'upstream:\n  sync: false\n' >"$tmp/probe.yaml"
rc=0
"$bin" import --config "$tmp/probe.yaml" --data-dir "$tmp/probe" "$tmp/no-such-file" >/dev/null 2>&1 || rc=$?
if ((rc == 2)); then sync_off=""; say "upstream sync: not in this binary"
else sync_off=$'upstream:\n  sync: false\n'; say "upstream sync: off (upstream.sync: false)"; fi
for c in on off; do
  printf 'log_level: warn\nhttp:\n  reader_threads: 2\n  cache_bytes: %s\n%s' \
    "$([[ $c == on ]] && echo 33554432 || echo 0)" "$sync_off" >"$tmp/cache-$c.yaml"
done
# VmRSS counts the database pages the readers map (http.reader_mmap_bytes) as RssFile: those are
# the kernel's page cache, which pread would fill as much. RssAnon is the daemon's own memory
# (heap, response cache, stacks): the RSS target is judged on it.
rss() {  # $1 config name → "VmRSS VmHWM RssAnon RssFile" in MB
  awk '/^VmRSS:/ { r = $2 } /^VmHWM:/ { h = $2 } /^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 }
       END { printf "%.1f %.1f %.1f %.1f", r / 1024, h / 1024, a / 1024, f / 1024 }' "/proc/${DPID[$1]}/status"
}
for c in cache-on cache-off; do
  t=$(now)
  start_daemon "$c" "$tmp/$c.yaml" "$tmp/data/$c" "$tmp/daemon.$c.log"
  DURL[$c]=$URL
  say "daemon ($c) ready at ${DURL[$c]} after $(since "$t"); VmRSS at ready $(rss "$c" | cut -d' ' -f1) MB"
done

# --- 3. the URLs and nginx's copy of their bytes -------------------------------------------------
# URL paths (one per line) per endpoint; nginx file for a path: query-string URLs →
# www/q/<raw query> (nginx: try_files /q/$args), others → www/<decoded path> (nginx decodes %2F).
printf '%s\n' '/v0.1/servers?limit=30' >"$tmp/paths.list"
cp "$tmp/gen/latest-paths.txt" "$tmp/paths.latest"
sed 's|^|/v0.1/servers?search=|; s|$|\&limit=30|' "$tmp/gen/search-terms.txt" >"$tmp/paths.search"
sed 's|^|/v0.1/servers?search=|; s|$|\&limit=30|' "$tmp/gen/search-rare-terms.txt" >"$tmp/paths.rare"
# What a follower mirror fetches: every limit=100 page of a full walk, cursors included.
t=$(now)
node -e '
  const [base, out] = process.argv.slice(1);
  (async () => {
    const paths = [];
    let cursor = null;
    do {
      const p = "/v0.1/servers?limit=100" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "");
      const r = await fetch(base + p);
      if (!r.ok) throw new Error(`${p}: ${r.status}`);
      paths.push(p);
      cursor = (await r.json()).metadata.nextCursor;
    } while (cursor);
    require("fs").writeFileSync(out, paths.join("\n") + "\n");
  })().catch(e => { console.error(e.message); process.exit(1); });' "${DURL[cache-off]}" "$tmp/paths.follow" \
  || die "walking the limit=100 pages failed"
say "follower walk: $(wc -l <"$tmp/paths.follow") limit=100 pages in $(since "$t"); rare search terms: $(wc -l <"$tmp/paths.rare")"
file_of() {  # stdin: paths → stdout: files under www
  sed -e '/?/{s|^[^?]*?|q/|;b' -e '}' -e 's|%2F|/|g; s|^/||'
}
fetch_all() {  # $1 base URL, $2 output root: every benchmarked URL, one curl, one connection
  cat "$tmp"/paths.{list,follow,latest,search,rare} | sort -u >"$tmp/paths.all"
  file_of <"$tmp/paths.all" >"$tmp/files.all"
  paste "$tmp/paths.all" "$tmp/files.all" | awk -F'\t' -v base="$1" -v root="$2" \
    '{ printf "url = \"%s%s\"\noutput = \"%s/%s\"\n", base, $1, root, $2 }' >"$tmp/curl.cfg"
  curl -q -sS -g --fail --fail-early --create-dirs --max-time 60 -K "$tmp/curl.cfg" \
    || die "fetching the benchmarked URLs from $1 failed"
  local want got
  want=$(wc -l <"$tmp/paths.all")
  got=$(find "$2" -type f | wc -l)
  ((want == got)) || die "fetched $got files of $want URLs from $1"
}
t=$(now)
fetch_all "${DURL[cache-on]}" "$tmp/nginx/www"
say "fetched $(find "$tmp/nginx/www" -type f | wc -l) responses from the daemon (cache on: this also fills its cache) in $(since "$t") ($(du -sm "$tmp/nginx/www" | cut -f1) MB; list page $(wc -c <"$tmp/nginx/www/q/limit=30") B)"

nginx_port=$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')
mkdir -p "$tmp/nginx/logs"
chmod -R a+rX "$tmp/nginx"  # curl --create-dirs makes 0750 dirs; workers may run as nobody
cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes 1;
pid nginx.pid;
error_log logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path tmp_body; proxy_temp_path tmp_proxy; fastcgi_temp_path tmp_fcgi;
  uwsgi_temp_path tmp_uwsgi; scgi_temp_path tmp_scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    root www;
    default_type application/json;
    location = /v0.1/servers { try_files /q/\$args =404; }
    location /v0.1/servers/ { }
  }
}
EOF
# Daemonized (the default): the command returns once the socket listens.
"$nginx_bin" -p "$tmp/nginx/" -c nginx.conf -e logs/error.log \
  || { cat "$tmp/nginx/logs/error.log" >&2 || true; die "nginx did not start"; }
nginx_started=1
nginx_url=http://127.0.0.1:$nginx_port
t=$(now)
fetch_all "$nginx_url" "$tmp/check"
diff -rq "$tmp/nginx/www" "$tmp/check" >/dev/null || die "nginx does not serve the daemon's bytes"
say "nginx at $nginx_url serves the identical bytes for all URLs (checked in $(since "$t"))"

# --- 4. load -------------------------------------------------------------------------------------
failures=()
declare -A RUNS  # RUNS[endpoint,server] = "out log out log ..." of its rounds
declare -A CPU NREQ  # CPU[endpoint,server] ticks and NREQ[...] requests of the measured runs
run() {  # $1 endpoint (list|follow|latest|search|rare), $2 server label, $3 base URL, $4 round
  local ep=$1 who=$2 base=$3 tag="$1.${2// /-}.$4" target=() pids
  if [[ $ep == list ]]; then
    target=("$base$(cat "$tmp/paths.list")")
  else
    sed "s|^|$base|" "$tmp/paths.$ep" >"$tmp/uris.$tag"
    target=(-i "$tmp/uris.$tag")
  fi
  case $who in
    nginx) pids="$nginx_pids" ;;
    *on) pids=${DPID[cache-on]} ;;
    *) pids=${DPID[cache-off]} ;;
  esac
  run_h2load "$tag" "$ep/$who round $4" "" "$pids" "${target[@]}"
  RUNS[$ep,$who]+=" $tmp/h2load.$tag.out $tmp/h2load.$tag.log"
  CPU[$ep,$who]=$((${CPU[$ep,$who]:-0} + ticks))
  NREQ[$ep,$who]=$((${NREQ[$ep,$who]:-0} + n))
  printf '  %s %-7s %-17s %7s req/s  p50 %6s ms  p99 %6s ms  %5s us CPU/req  (%s requests)\n' \
    "$4" "$ep" "$who" "$rps" "$p50" "$p99" "$(cpu_us "$ticks" "$n")" "$n"
}
endpoints=(list follow latest search rare)
servers=(nginx "daemon cache on" "daemon cache off")
declare -A base=([nginx]=$nginx_url ["daemon cache on"]=${DURL[cache-on]} ["daemon cache off"]=${DURL[cache-off]})
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
nginx_master=$(cat "$tmp/nginx/nginx.pid")
if [[ -r /proc/$nginx_master/task/$nginx_master/children ]]; then
  nginx_pids="$nginx_master $(cat "/proc/$nginx_master/task/$nginx_master/children")"
else
  nginx_pids="$nginx_master $(ps -o pid= --ppid "$nginx_master" | tr '\n' ' ')"
fi
say "load: $rounds rounds of h2load --h1 -c $conns -t 1, -D ${duration} s after $warmup warm-up requests per connection;" \
  "$(nproc) CPUs, load average before: $load_before"
if awk -v l="${load_before%% *}" 'BEGIN { exit !(l > 0.5) }'; then
  say "  WARNING: the machine is busy (1-min load average ${load_before%% *}): expect noisy numbers"
fi
for ((round = 1; round <= rounds; round++)); do
  for ep in "${endpoints[@]}"; do
    for who in "${servers[@]}"; do run "$ep" "$who" "${base[$who]}" "$round"; done
  done
done
# HTTP caching on the list page (cache-on daemon): 200, 304 (If-None-Match), gzip.
list_url="${DURL[cache-on]}$(cat "$tmp/paths.list")"
list_etag=$(curl -sS -D - -o /dev/null "$list_url" | tr -d '\r' | awk 'tolower($1) == "etag:" { print $2 }')
[[ $list_etag == '"g'*'"' ]] || die "the list page has no strong ETag (got '$list_etag')"
nm_code=$(curl -sS -o /dev/null -w '%{http_code}' -H "If-None-Match: $list_etag" "$list_url")
[[ $nm_code == 304 ]] || die "If-None-Match: $list_etag answered $nm_code, not 304"
curl -sS --compressed -D "$tmp/gz.headers" -o "$tmp/list.decoded" "$list_url"
grep -qi '^content-encoding: gzip' "$tmp/gz.headers" || die "curl --compressed got no gzip list page"
cmp -s "$tmp/list.decoded" "$tmp/nginx/www/q/limit=30" || die "curl --compressed decodes other bytes than the identity body"
gz_bytes=$(curl -sS -H 'Accept-Encoding: gzip' "$list_url" | wc -c)
say "list page: ETag $list_etag, 304 on If-None-Match, gzip $gz_bytes B of $(wc -c <"$tmp/list.decoded") B (curl --compressed decodes the same bytes)"
# The cache-off daemon holds a copy of the same database: same change sequence, same ETag; its
# 304 is answered before the handler (no cache entry needed), its 200 runs the SQLite query.
declare -A VARIANT_ARGS=([200]="" [304]="If-None-Match: $list_etag" [gzip]="Accept-Encoding: gzip"
                         [200-off]="" [304-off]="If-None-Match: $list_etag")
variants=(200 304 gzip 200-off 304-off)
run_variant() {  # $1 variant, $2 round
  local v=$1 tag="cache.$1.$2" hdr=() expect="" d=cache-on url
  [[ -n ${VARIANT_ARGS[$v]} ]] && hdr=(-H "${VARIANT_ARGS[$v]}")
  [[ $v == 304* ]] && expect=304
  [[ $v == *-off ]] && d=cache-off
  url="${DURL[$d]}$(cat "$tmp/paths.list")"
  run_h2load "$tag" "list $v round $2" "$expect" "${DPID[$d]}" "${hdr[@]}" "$url"
  RUNS[cache,$v]+=" $tmp/h2load.$tag.out $tmp/h2load.$tag.log"
  CPU[cache,$v]=$((${CPU[cache,$v]:-0} + ticks))
  NREQ[cache,$v]=$((${NREQ[cache,$v]:-0} + n))
  printf '  %s list    %-17s %7s req/s  p50 %6s ms  p99 %6s ms  %5s us CPU/req  (%s requests)\n' \
    "$2" "$v" "$rps" "$p50" "$p99" "$(cpu_us "$ticks" "$n")" "$n"
}
for ((round = 1; round <= rounds; round++)); do
  for v in "${variants[@]}"; do run_variant "$v" "$round"; done
done
read -r rss_on hwm_on anon_on file_on <<<"$(rss cache-on)"
read -r rss_off hwm_off anon_off file_off <<<"$(rss cache-off)"
for c in cache-on cache-off; do
  rc=0; stop_daemon "$c" || rc=$?
  ((rc == 0)) || failures+=("daemon ($c) exited $rc on SIGTERM")
done
stop_nginx
say "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- 5. report -----------------------------------------------------------------------------------
declare -A label=([list]="list limit=30" [follow]="follower limit=100 pages" [latest]="versions/latest"
                  [search]="search limit=30" [rare]="search, rare terms")
declare -A R  # R[endpoint,server] = "req/s min max p50 p99 n" over all rounds
for ep in "${endpoints[@]}"; do
  for who in "${servers[@]}"; do
    # shellcheck disable=SC2086  # RUNS holds space-free temp paths
    R[$ep,$who]=$(node "$repo/scripts/bench/h2load-stats.mjs" ${RUNS[$ep,$who]} | cut -d' ' -f1-6)
  done
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
say ""
say "$n_versions versions of $n_names names; req/s: median of $rounds runs (range); p50/p99: all requests of the $rounds runs;"
say "CPU/req: the server's user+system CPU time over the measured runs / their requests (all its threads; nginx: master + worker)"
say ""
say "| endpoint | server | req/s | req/s range | p50 ms | p99 ms | CPU us/req | ratio to nginx |"
say "|---|---|---:|---:|---:|---:|---:|---:|"
for ep in "${endpoints[@]}"; do
  read -r nrps _ <<<"${R[$ep,nginx]}"
  for who in "${servers[@]}"; do
    read -r rps lo hi p50 p99 _ <<<"${R[$ep,$who]}"
    if [[ $who == nginx ]]; then r=1.00; else r=$(ratio "$rps" "$nrps"); fi
    say "| ${label[$ep]} | $who | $rps | $lo-$hi | $p50 | $p99 | $(cpu_us "${CPU[$ep,$who]}" "${NREQ[$ep,$who]}") | $r |"
  done
done
say ""
say "daemon RSS after the runs: cache on VmRSS $rss_on MB (RssAnon $anon_on, RssFile $file_on), VmHWM $hwm_on MB;" \
  "cache off VmRSS $rss_off MB (RssAnon $anon_off, RssFile $file_off), VmHWM $hwm_off MB"
say ""
verdict() { awk -v v="$1" -v op="$2" -v lim="$3" 'BEGIN { ok = (op == ">=") ? v >= lim : v <= lim; print ok ? "PASS" : "MISS" }'; }
target_line() {  # $1 text, $2 op, $3 limit, $4 value cache on, $5 value cache off, $6 unit
  printf '%s %-30s default (cache on): %s%s   [cache off: %s %s%s]\n' "$(verdict "$4" "$2" "$3")" "$1" \
    "$4" "$6" "$(verdict "$5" "$2" "$3")" "$5" "$6"
}
for ep in list latest; do
  read -r nrps _ <<<"${R[$ep,nginx]}"
  read -r on _ <<<"${R[$ep,daemon cache on]}"
  read -r off _ <<<"${R[$ep,daemon cache off]}"
  target_line "${label[$ep]}: ratio >= 0.9" ">=" 0.9 "$(ratio "$on" "$nrps")" "$(ratio "$off" "$nrps")" ""
done
read -r _ _ _ _ p99_on _ <<<"${R[search,daemon cache on]}"
read -r _ _ _ _ p99_off _ <<<"${R[search,daemon cache off]}"
target_line "search: p99 <= 5 ms" "<=" 5 "$p99_on" "$p99_off" " ms"
read -r _ _ _ _ p99_on _ <<<"${R[rare,daemon cache on]}"
read -r _ _ _ _ p99_off _ <<<"${R[rare,daemon cache off]}"
target_line "rare search: p99 <= 5 ms" "<=" 5 "$p99_on" "$p99_off" " ms"
# The long tail (issue: uncached reads): the cache-off daemon against nginx.
for ep in list follow; do
  read -r nrps _ <<<"${R[$ep,nginx]}"
  read -r on _ <<<"${R[$ep,daemon cache on]}"
  read -r off _ <<<"${R[$ep,daemon cache off]}"
  target_line "${label[$ep]}, uncached: ratio >= 0.8" ">=" 0.8 "$(ratio "$on" "$nrps")" "$(ratio "$off" "$nrps")" ""
done
target_line "RSS: RssAnon <= 100 MB" "<=" 100 "$anon_on" "$anon_off" " MB"

say ""
say "HTTP caching, list limit=30 (req/s: median of $rounds runs; -off: the cache-off daemon):"
say ""
say "| request | req/s | req/s range | p50 ms | p99 ms | CPU us/req |"
say "|---|---:|---:|---:|---:|---:|"
declare -A C
for v in "${variants[@]}"; do
  # shellcheck disable=SC2086
  C[$v]=$(H2LOAD_EXPECT=$([[ $v == 304* ]] && echo 304) node "$repo/scripts/bench/h2load-stats.mjs" ${RUNS[cache,$v]} | cut -d' ' -f1-6)
  read -r rps lo hi p50 p99 _ <<<"${C[$v]}"
  declare -A vlabel=([200]="200 (identity)" [304]="304 (If-None-Match)" [gzip]="200 gzip"
                     [200-off]="200, cache off" [304-off]="304, cache off")
  say "| ${vlabel[$v]} | $rps | $lo-$hi | $p50 | $p99 | $(cpu_us "${CPU[cache,$v]}" "${NREQ[cache,$v]}") |"
done
read -r r200 _ <<<"${C[200]}"
read -r r304 _ <<<"${C[304]}"
read -r r200off _ <<<"${C[200-off]}"
read -r r304off _ <<<"${C[304-off]}"
target_line "list: 304/200 req/s >= 2" ">=" 2 "$(ratio "$r304" "$r200")" "$(ratio "$r304off" "$r200off")" "x"

if ((${#failures[@]})); then
  say ""
  for f in "${failures[@]}"; do say "FAILED: $f"; done
  exit 1
fi
