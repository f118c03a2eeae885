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
  err=$("$bin" check-config --config "$tmp/$name-mirror.yaml" 2>&1 >/dev/null) || rc=$?
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
echo "check_config: examples accepted, 7 broken files rejected with their locations"
