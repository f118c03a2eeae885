#!/usr/bin/env bash
# Builds mcp-mirror and starts it with the embedded default config: 127.0.0.1:8080, data in
# ./data. On first start it seeds itself from the bundled data (358 servers), no network needed.
# Extra arguments go to `mcp-mirror serve` (e.g. --listen 0.0.0.0:8080 --config my.yaml).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$repo/scripts/install-deps.sh"
cmake -S "$repo" -B "$repo/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$repo/build" -j"$(nproc)" --target mcp-mirror
exec "$repo/build/mcp-mirror" serve "$@"
