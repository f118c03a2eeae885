#!/usr/bin/env bash
# Checks systemd/mcp-mirror.service offline: `systemd-analyze verify` must accept it without a
# word, and the directives the README promises must be present.
# Usage: tests/systemd/verify.sh BINARY   (absolute path of a built mcp-mirror; verify requires
# that every Exec* command exists, so the unit's /usr/local/bin/mcp-mirror is rewritten to it).
# Needs no running systemd (works in a container, as root or not).
set -euo pipefail

if (($# != 1)) || [[ $1 != /* ]] || [[ ! -x $1 ]]; then
  echo "usage: $0 ABSOLUTE_PATH_TO_MCP_MIRROR" >&2
  exit 2
fi
binary=$1
unit_src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/systemd/mcp-mirror.service"
command -v systemd-analyze >/dev/null || { echo "systemd-analyze not found (Debian package systemd)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unit="$tmp/mcp-mirror.service"   # verify wants the unit's real name
esc=$(printf '%s' "$binary" | sed 's/[\\&#]/\\&/g')   # literal in sed's replacement
sed "s#/usr/local/bin/mcp-mirror#${esc}#g" "$unit_src" > "$unit"

status=0
# SYSTEMD_LOG_LEVEL=notice: warnings and errors are printed; any output fails the test.
out=$(SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no "$unit" 2>&1) || status=$?
if ((status != 0)) || [[ -n $out ]]; then
  echo "FAIL: systemd-analyze verify (exit $status):" >&2
  printf '%s\n' "$out" >&2
  exit 1
fi

required=(
  'DynamicUser=yes'
  'StateDirectory=mcp-mirror'
  'ConfigurationDirectory=mcp-mirror'
  'ExecStartPre=/usr/local/bin/mcp-mirror check-config --config /etc/mcp-mirror/mirror.yaml'
  'ExecStart=/usr/local/bin/mcp-mirror serve --config /etc/mcp-mirror/mirror.yaml --data-dir /var/lib/mcp-mirror'
  'ExecReload=/bin/kill -HUP $MAINPID'
  'Restart=on-failure'
  'TimeoutStopSec=20s'
  'ProtectSystem=strict'
  'ProtectHome=yes'
  'PrivateTmp=yes'
  'NoNewPrivileges=yes'
  'UMask=0077'
  'CapabilityBoundingSet='
  'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX'
  'ProtectKernelTunables=yes'
  'ProtectControlGroups=yes'
  'LockPersonality=yes'
  'RestrictRealtime=yes'
  'SystemCallArchitectures=native'
)
missing=0
for line in "${required[@]}"; do
  grep -qxF -- "$line" "$unit_src" || { echo "FAIL: missing line in systemd/mcp-mirror.service: $line" >&2; missing=1; }
done
((missing == 0)) || exit 1
echo "ok: systemd/mcp-mirror.service verified (${#required[@]} required directives present)"
