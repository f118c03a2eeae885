#!/usr/bin/env bash
# Installs every Debian package mcp-mirror needs to build, test and benchmark.
# Idempotent: packages already present are skipped by apt; safe to run on every CI start.
set -euo pipefail

packages=(
  # build
  cmake g++ make pkg-config git ca-certificates
  libboost1.81-dev libboost-url1.81-dev
  libsqlite3-dev libsimdjson-dev libfmt-dev libyaml-cpp-dev libssl-dev
  libspdlog-dev libcli11-dev zlib1g-dev prometheus-cpp-dev
  # tests
  doctest-dev sqlite3 curl nodejs npm
  clang libclang-rt-14-dev   # sanitizer builds and libFuzzer (scripts/test.sh stages 2-4, scripts/fuzz.sh)
  systemd procps   # tests/systemd/verify.sh: systemd-analyze; /bin/kill (the unit's ExecReload)
  dpkg-dev lintian  # tests/package/check-deb.sh: CPack's DEB (dpkg-shlibdeps), and lintian over it
  # benchmark (scripts/bench-serve.sh) and soak (scripts/soak.sh: python3 for its adversarial clients)
  nghttp2-client nginx-light python3 time   # time: peak RSS in scripts/bench-import.sh
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# nodejs/npm may come from outside Debian on some machines: a working `npm` is enough.
if command -v npm >/dev/null 2>&1; then
  filtered=(); for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if ((${#missing[@]})); then
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
