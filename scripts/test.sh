#!/usr/bin/env bash
# Builds mcp-mirror and runs every test: doctest unit and integration tests (one ctest test per
# test case) and the contract tests (Respect, Ajv, VS Code's gallery client).
# Usage: scripts/test.sh            (from anywhere; builds into build/)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$repo/scripts/install-deps.sh"
cmake -S "$repo" -B "$repo/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$repo/build" -j"$(nproc)"
cd "$repo/build"
ctest --output-on-failure -j"$(nproc)"
