#!/usr/bin/env bash
# A three-instance chain behind nginx, on loopback: A serves (the bundled seed, or the official
# registry with --online), B replicates A, C replicates B, and nginx balances requests over all
# three on 127.0.0.1:8080. It checks that the three serve byte-identical pages (through nginx and
# each one directly), prints the URLs, and keeps everything running until Ctrl-C (or exits at once
# with --check). Everything lives in a temp dir removed at exit.
#   scripts/chain-demo.sh [--online] [--check] [BINARY]
set -euo pipefail
bench=chain-demo
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/bench/common.sh
source "$repo/scripts/bench/common.sh"
online=0 check=0
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --online) online=1 ;;
    --check) check=1 ;;
    *) die "unknown flag $1" ;;
  esac
  shift
done
resolve_binary "$@"
nginx_bin=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)
[[ -x $nginx_bin ]] || die "nginx is missing (Debian: nginx-light)"
tmp=$(mktemp -d)
chmod 755 "$tmp"
declare -A DPID DFD
cleanup() {
  [[ -s $tmp/nginx/nginx.pid ]] && kill "$(cat "$tmp/nginx/nginx.pid")" 2>/dev/null || true
  for d in c b a; do stop_daemon "$d" || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

token=chain-demo-token-$RANDOM$RANDOM
printf '%s\n' "$token" > "$tmp/token"
# A: the parent. Offline it serves the bundled seed; --online follows the official registry.
cat > "$tmp/a.yaml" <<EOF
admin_token_file: $tmp/token
upstream:
  url: https://registry.modelcontextprotocol.io
  sync: $([[ $online == 1 ]] && echo true || echo false)
EOF
start_daemon a "$tmp/a.yaml" "$tmp/a" "$tmp/a.log"; a_url=$URL
# B follows A, C follows B: replicas copy their parent's served view exactly.
replica_of() {
  cat <<EOF
admin_token_file: $tmp/token
upstream:
  url: $1
  interval: 5m
  requests_per_second: 50
  staleness_limit: 30m
EOF
}
replica_of "$a_url" > "$tmp/b.yaml"; start_daemon b "$tmp/b.yaml" "$tmp/b" "$tmp/b.log"; b_url=$URL
replica_of "$b_url" > "$tmp/c.yaml"; start_daemon c "$tmp/c.yaml" "$tmp/c" "$tmp/c.log"; c_url=$URL

# Each replica's first run starts at once; wait for its first success (sync-status lastSuccess).
synced() { curl -fsS "$1/v0.1/x/io.github.mcp-mirror/sync-status" | grep -q '"lastSuccess":"'; }
for u in "$b_url" "$c_url"; do
  for _ in $(seq 1 600); do synced "$u" && break; read -r -t 0.2 <> <(:) || true; done
  synced "$u" || die "$u never synced (log: $(tail -3 "$tmp"/*.log))"
done
# C may have copied B before B finished: one more run each, in order, makes them exact.
for u in "$b_url" "$c_url"; do
  before=$(curl -fsS "$u/v0.1/x/io.github.mcp-mirror/sync-status" | grep -o '"runs":[0-9]*' | head -1)
  curl -fsS -X POST -H "Authorization: Bearer $token" "$u/v0.1/x/io.github.mcp-mirror/sync" >/dev/null
  for _ in $(seq 1 600); do
    now=$(curl -fsS "$u/v0.1/x/io.github.mcp-mirror/sync-status" | grep -o '"runs":[0-9]*' | head -1)
    [[ $now != "$before" ]] && break
    read -r -t 0.1 <> <(:) || true
  done
done

mkdir -p "$tmp/nginx/logs"
cat > "$tmp/nginx/nginx.conf" <<EOF
worker_processes 1;
pid nginx.pid;
error_log logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path tmp_body; proxy_temp_path tmp_proxy; fastcgi_temp_path tmp_fcgi;
  uwsgi_temp_path tmp_uwsgi; scgi_temp_path tmp_scgi;
  upstream mirrors {
    server ${a_url#http://};
    server ${b_url#http://};
    server ${c_url#http://};
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${NGINX_PORT:-8080};
    location / {
      proxy_pass http://mirrors;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_next_upstream error timeout http_502 http_503;
    }
  }
}
EOF
"$nginx_bin" -p "$tmp/nginx/" -c nginx.conf -e logs/error.log || die "nginx did not start"
lb=http://127.0.0.1:${NGINX_PORT:-8080}

# Every instance serves the same bytes; through nginx, whichever answers.
page() { curl -fsS "$1/v0.1/servers?limit=100&include_deleted=true" | sha256sum | cut -c1-16; }
a_page=$(page "$a_url")
for u in "$b_url" "$c_url" "$lb" "$lb" "$lb"; do
  [[ $(page "$u") == "$a_page" ]] || die "$u serves other bytes than A"
done
say "chain: A $a_url -> B $b_url -> C $c_url, behind nginx at $lb; first page identical everywhere ($a_page)"
say "  curl $lb/v0.1/servers?limit=3"
say "  curl $c_url/v0.1/x/io.github.mcp-mirror/info      # instanceId, ancestry [B, A]"
say "  curl $lb/v0.1/health"
[[ $check == 1 ]] && exit 0
say "Ctrl-C stops everything."
while sleep 3600; do :; done
