#!/usr/bin/env bash
# `mcp-mirror check-config` on the real binary: the shipped examples pass (as the systemd unit's
# ExecStartPre runs it), and broken files fail with exit code 2 and file:line:column: key.
#   tests/cli/check_config.sh BINARY
set -euo pipefail
bin=$1
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { printf 'check_config: %s\n' "$*" >&2; exit 1; }

# 1. The examples, the curation file referenced from the config as an operator would.
sed "s|^curation_file: \"\"|curation_file: $repo/config/curation.example.yaml|" \
  "$repo/config/mirror.example.yaml" > "$tmp/mirror.yaml"
grep -q "^curation_file: $repo" "$tmp/mirror.yaml" || fail "could not point the example at the curation example"
out=$("$bin" check-config --config "$tmp/mirror.yaml") || fail "the examples were rejected: $out"
[[ $out == *"curation OK: $repo/config/curation.example.yaml"* ]] || fail "unexpected output: $out"
[[ $out == *'1. upstream https://registry.modelcontextprotocol.io (sync on'* ]] || fail "no sources line: $out"
# The `sources:` form of the example's comment block, uncommented: accepted, listed in order.
sed -n '/^# sources:/,/^#     interval: 1h/p' "$repo/config/mirror.example.yaml" | sed 's/^# \{0,1\}//' > "$tmp/sources.yaml"
out=$("$bin" check-config --config "$tmp/sources.yaml") || fail "the sources: form was rejected: $out"
[[ $out == *"sources (2, first wins"*"1. internal http://registry.internal:8080"*"2. official "* ]] ||
  fail "sources: form: unexpected output: $out"
# --upstream is a shorthand for the one-source form only: with a sources: list it is refused.
rc=0; err=$(timeout 10 "$bin" sync --once --config "$tmp/sources.yaml" --data-dir "$tmp/data0" --upstream http://127.0.0.1:9 2>&1) || rc=$?
[[ $rc -eq 2 && $err == *"--upstream: the config has a sources: list"* ]] || fail "--upstream with sources: exit $rc, '$err'"

# 2. Each broken file: exit 2 and the exact location.
expect_error() {  # NAME YAML EXPECTED-SUBSTRING [config|curation]
  local name=$1 yaml=$2 want=$3 kind=${4:-curation}
  if [[ $kind == curation ]]; then
    printf '%s' "$yaml" > "$tmp/$name.yaml"
    printf 'curation_file: %s.yaml\n' "$name" > "$tmp/$name-mirror.yaml"
  else
    printf '%s' "$yaml" > "$tmp/$name-mirror.yaml"
  fi
  local rc=0 err
  err=$(timeout 10 "$bin" check-config --config "$tmp/$name-mirror.yaml" 2>&1 >/dev/null) || rc=$?
  [[ $rc -eq 2 ]] || fail "$name: exit code $rc, want 2 ($err)"
  [[ $err == *"$want"* ]] || fail "$name: got '$err', want '$want'"
}
expect_error unknown-key $'rules:\n  - id: a\n    match: {nmae: x}\n    action: exclude\n' \
  "$tmp/unknown-key.yaml:3:13: rules[0].match.nmae: unknown key"
expect_error bad-action $'rules:\n  - id: a\n    action: hide\n' "$tmp/bad-action.yaml:3:13: rules[0].action:"
expect_error bad-duration $'rules:\n  - id: a\n    match: {published_older_than: 3 weeks}\n    action: exclude\n' \
  "$tmp/bad-duration.yaml:3:35: rules[0].match.published_older_than:"
expect_error syntax $'rules: [\n' "$tmp/syntax.yaml:"
expect_error config-key $'htp:\n  reader_threads: 2\n' "$tmp/config-key-mirror.yaml:1:1: htp: unknown key" config
expect_error missing-file $'curation_file: nowhere.yaml\n' "nowhere.yaml" config
printf 'short\n' > "$tmp/short-token"
expect_error short-token $'admin_token_file: short-token\n' "short-token: token shorter than 16 characters" config
# Hostile values (hardening issue §4): overflowing durations and integers that wrapped into range,
# an alias bomb, a stray comma and a self-referencing anchor. Each within a 10 s bound: before,
# the bomb used 1.1 GB and the comma never returned.
expect_error long-timeout $'http:\n  read_timeout: 200000d\n' "http.read_timeout: \"200000d\" is longer than the maximum of 3650d" config
expect_error wrapped-timeout $'http:\n  idle_timeout: 18446744073709551s\n' ":2:17: http.idle_timeout:" config
expect_error wrapped-threads $'http:\n  reader_threads: 4294967297\n' "http.reader_threads: must be between 1 and 64" config
expect_error both-forms $'upstream:\n  url: http://a\nsources:\n  - {name: b, url: http://b}\n' \
  "both-forms-mirror.yaml:4:3: sources: use either upstream: (one source) or sources:, not both" config
expect_error wrapped-jitter $'upstream:\n  jitter_percent: 4294967296\n' "upstream.jitter_percent: must be between 0 and 50" config
bomb=$'local_servers:\n  inline:\n    - name: com.example/bomb\n      version: "1.0"\n      a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n'
for i in 1 2 3 4 5 6 7; do bomb+="      a$i: &a$i [$(printf '*a%d, ' $(yes $((i - 1)) | head -10) | sed 's/, $//')]"$'\n'; done
expect_error alias-bomb "$bomb" "once aliases are expanded"
expect_error host-name $'listen: localhost:8080\n' "listen: expected ADDRESS:PORT" config
expect_error comma ',' "$tmp/comma.yaml:1:1: (top level): more than one YAML document"
expect_error anchor-loop $'local_servers:\n  inline:\n    - &a\n      name: com.example/loop\n      loop: *a\n' \
  "$tmp/anchor-loop.yaml:5:13: local_servers.inline[0].loop: a YAML alias refers to a node that contains it"

# Views: a broken view file or token file is an error naming the view; serve refuses it too.
printf 'rules:\n  - id: a\n    match: {nmae: x}\n    action: exclude\n' >"$tmp/view-bad.yaml"
expect_error view-file $'views:\n  - name: product\n    curation_file: view-bad.yaml\n' \
  "$tmp/view-bad.yaml:3:13: rules[0].match.nmae: unknown key" config
printf 'short\n' >"$tmp/view.tokens"
expect_error view-tokens $'views:\n  - name: contractors\n    token_file: view.tokens\n' \
  "view contractors: token_file $tmp/view.tokens:1: token shorter than 16 characters" config
rc=0; err=$(timeout 10 "$bin" serve --config "$tmp/view-tokens-mirror.yaml" --data-dir "$tmp/data" --no-sync 2>&1) || rc=$?
[[ $rc -eq 2 && $err == *"view contractors: token_file"* ]] || fail "serve with a bad view token file: exit $rc, '$err'"
printf '0123456789abcdef0123\n' >"$tmp/good.tokens"
printf 'views:\n  - name: platform\n  - name: contractors\n    token_file: good.tokens\n' >"$tmp/views-mirror.yaml"
out=$("$bin" check-config --config "$tmp/views-mirror.yaml") || fail "views: check-config exit $?"
[[ $out == *"/views/contractors/: no rules (0 rules), 1 bearer tokens"* ]] || fail "views: check-config printed '$out'"

# explain and curate --dry-run under a view read that view's file; an unknown view is exit 2.
"$bin" import --data-dir "$tmp/view-data" "$repo/tests/data/registry-fixture.jsonl" >/dev/null || fail "views: import"
printf 'default: exclude\nrules: []\n' >"$tmp/hide-all.yaml"
printf 'views:\n  - name: none\n    curation_file: hide-all.yaml\n' >"$tmp/view-cli-mirror.yaml"
out=$("$bin" explain --config "$tmp/view-cli-mirror.yaml" --data-dir "$tmp/view-data" --view none 4u.example/digits-first)
[[ $out == *'"served":false'* && $out == *'hide-all.yaml'* ]] || fail "explain --view: '$out'"
out=$("$bin" explain --config "$tmp/view-cli-mirror.yaml" --data-dir "$tmp/view-data" 4u.example/digits-first)
[[ $out == *'"served":true'* ]] || fail "explain without --view: '$out'"
printf 'rules: []\n' >"$tmp/all.yaml"
out=$("$bin" curate --dry-run --config "$tmp/view-cli-mirror.yaml" --data-dir "$tmp/view-data" --view none "$tmp/all.yaml")
[[ $out == *"against $tmp/hide-all.yaml"* && $out == *"shown 92 | hidden 0"* ]] || fail "curate --dry-run --view: '$out'"
rc=0; err=$("$bin" explain --config "$tmp/view-cli-mirror.yaml" --data-dir "$tmp/view-data" --view nope x 2>&1) || rc=$?
[[ $rc -eq 2 && $err == *"no view named 'nope'"* ]] || fail "explain --view nope: exit $rc, '$err'"

# `serve` exits 2 (a configuration error) for an unusable admin token file, before binding.
rc=0; err=$(timeout 10 "$bin" serve --config "$tmp/short-token-mirror.yaml" --data-dir "$tmp/data" --no-sync 2>&1) || rc=$?
[[ $rc -eq 2 ]] || fail "serve with a short admin token: exit code $rc, want 2 ($err)"
[[ $err == *"token shorter than 16 characters"* ]] || fail "serve with a short admin token: got '$err'"
# --listen with a host name: exit 2 before anything is opened (the server binds addresses only).
rc=0; err=$(timeout 10 "$bin" serve --listen localhost:8080 --data-dir "$tmp/data" --no-sync 2>&1) || rc=$?
[[ $rc -eq 2 && $err == *"--listen: expected ADDRESS:PORT"* ]] || fail "serve --listen localhost:8080: exit $rc, '$err'"
# `serve` on an address in use: exit 1 and one line naming the address, no library source location.
coproc holder { python3 -c 'import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print(s.getsockname()[1], flush=True); sys.stdin.read()'; }  # holds the port until its stdin closes
read -r -t 10 -u "${holder[0]}" port || fail "no port from the holder"
rc=0; err=$(timeout 10 "$bin" serve --listen "127.0.0.1:$port" --data-dir "$tmp/data2" --no-sync 2>&1) || rc=$?
[[ $rc -eq 1 ]] || fail "serve on a port in use: exit code $rc, want 1 ($err)"
[[ $err == *"cannot listen on 127.0.0.1:$port: bind failed: Address already in use"* ]] || fail "serve on a port in use: got '$err'"
[[ $err != *"/usr/include"* && $err != *".hpp"* ]] || fail "serve on a port in use: a library source location in '$err'"
exec {holder[1]}>&-
wait "$holder_PID" || true

echo "check_config: examples (both forms) and views accepted, 18 broken files rejected with their locations; serve exits 2 on a bad token or a host name to listen on and names a busy address"
