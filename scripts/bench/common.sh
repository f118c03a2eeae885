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
