# shellcheck shell=bash
# shellcheck disable=SC2154,SC2034  # bench, repo, tmp, DPID, DFD are the sourcing script's; it reads URL
# Shared by scripts/bench-*.sh (sourced, not run): messages, timing, and the binary under test.
# The sourcing script sets `bench` (its name, for messages) and `repo` first.

say() { printf '%s\n' "$*"; }
die() { printf '%s: %s\n' "$bench" "$*" >&2; exit 1; }
now() { printf '%s' "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f s", b - a }'; }

# Sets `bin`: the executable given as $1, or build-release/mcp-mirror built now (CMake, Release;
# the log goes to build-release/$bench-build.log and its tail to stderr on failure).
resolve_binary() {
  if [[ $# -ge 1 ]]; then
    bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
    [[ -x $bin ]] || die "not an executable: $1"
  else
    say "building $repo/build-release/mcp-mirror (Release)..."
    mkdir -p "$repo/build-release"
    local build_log=$repo/build-release/$bench-build.log
    { cmake -S "$repo" -B "$repo/build-release" -DCMAKE_BUILD_TYPE=Release &&
      cmake --build "$repo/build-release" -j"$(nproc)" --target mcp-mirror; } >"$build_log" 2>&1 \
      || { tail -30 "$build_log" >&2; die "build failed (log: $build_log)"; }
    bin=$repo/build-release/mcp-mirror
  fi
  say "daemon: $("$bin" version)"
}

# Starts `bin serve` as daemon $1 with config $2, data dir $3, stderr appended to file $4 and any
# further arguments, listening on 127.0.0.1:0, and waits (`start_timeout` s, default 60) for its
# `ready http://HOST:PORT` line, read through a fifo in the sourcing script's `tmp`; sets
# DPID[$1], DFD[$1] (the fifo's fd, kept open so the daemon never writes to a closed pipe) and
# URL (its base URL).
start_daemon() {
  local fifo=$tmp/ready.$1 line="" fd
  rm -f "$fifo"; mkfifo "$fifo"
  "$bin" serve --config "$2" --data-dir "$3" --listen 127.0.0.1:0 "${@:5}" >"$fifo" 2>>"$4" &
  DPID[$1]=$!
  exec {fd}<"$fifo"
  DFD[$1]=$fd
  if ! read -r -t "${start_timeout:-60}" -u "$fd" line || [[ $line != "ready http://"* ]]; then
    [[ -f $4 ]] && cat "$4" >&2
    die "daemon $1 did not print its ready line (got: '${line}')"
  fi
  URL=${line#ready }
}

# Stops daemon $1 of the sourcing script's DPID (pid) and DFD (its ready-fifo fd) maps: SIGTERM,
# wait, close the fd; returns the daemon's exit status.
stop_daemon() {
  local pid=${DPID[$1]:-} fd=${DFD[$1]:-} rc=0
  [[ -n $pid ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" || rc=$?
  DPID[$1]=""
  if [[ -n $fd ]]; then exec {fd}<&-; fi
  DFD[$1]=""
  return "$rc"
}

# --- CPU time of server processes (/proc) -------------------------------------------------------
clk_tck=$(getconf CLK_TCK)
cpu_ticks() {  # PIDs → their user+system CPU ticks (a process's figure covers all its threads)
  local pid sum=0 stat f
  for pid in "$@"; do
    [[ -r /proc/$pid/stat ]] || die "server process $pid is gone"
    stat=$(<"/proc/$pid/stat")
    stat=${stat##*) }  # fields from 3 (state) on; utime, stime are fields 14, 15
    read -r -a f <<<"$stat"
    sum=$((sum + f[11] + f[12]))
  done
  echo "$sum"
}
cpu_us() { awk -v t="$1" -v n="$2" -v hz="$clk_tck" 'BEGIN { printf "%.0f", (n > 0 ? t / hz * 1e6 / n : 0) }'; }

# --- One measured h2load run ---------------------------------------------------------------------
# run_h2load TAG WHAT EXPECT "PIDS" H2LOAD-ARGS...: $warmup requests per connection first, then
# $duration s measured (h2load --h1 -c $conns -t 1, --log-file), with the CPU ticks of PIDS
# around the measured part. EXPECT=304 makes 304 the expected status. Sets rps p50 p99 n
# problems and ticks; a failure is added to `failures` (named WHAT) with h2load's output.
run_h2load() {
  local tag=$1 what=$2 expect=$3 pids=$4 rc=0 s c0 c1
  shift 4
  timeout 120 h2load --h1 -c "$conns" -t 1 -n $((conns * warmup)) "$@" \
    >"$tmp/warm.$tag.out" 2>&1 || failures+=("$what: warm-up h2load failed")
  # shellcheck disable=SC2086
  c0=$(cpu_ticks $pids)
  timeout $((duration + 30)) h2load --h1 -c "$conns" -t 1 -D "$duration" \
    --log-file "$tmp/h2load.$tag.log" "$@" >"$tmp/h2load.$tag.out" 2>&1 || rc=$?
  # shellcheck disable=SC2086
  c1=$(cpu_ticks $pids)
  [[ -f $tmp/h2load.$tag.log ]] || : >"$tmp/h2load.$tag.log"
  s=$(H2LOAD_EXPECT=$expect node "$repo/scripts/bench/h2load-stats.mjs" "$tmp/h2load.$tag.out" "$tmp/h2load.$tag.log")
  read -r rps _ _ p50 p99 n problems <<<"$s"
  if ((rc != 0)) || [[ $problems != ok ]]; then
    failures+=("$what: h2load exit $rc, $problems")
    sed 's/^/    /' "$tmp/h2load.$tag.out" | tail -20 >&2
  fi
  ticks=$((c1 - c0))
}
