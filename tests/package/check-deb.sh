#!/usr/bin/env bash
# The Debian package: builds it as an operator would (`cmake --build BUILD --target package`),
# runs lintian over it (any error fails), checks that it holds every file it should (the
# binary, the unit, the conffiles, the manual page, the README, copyright and changelog), that
# the unit runs the packaged binary, and that the packaged binary accepts the packaged config.
#
#   tests/package/check-deb.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
fail() { echo "check-deb: $*" >&2; exit 1; }
command -v lintian >/dev/null || fail "missing: lintian (scripts/install-deps.sh installs it)"

rm -f "$build"/mcp-mirror_*.deb
cmake --build "$build" --target package >"$build/package.log" 2>&1 || { cat "$build/package.log" >&2; fail "the package build failed"; }
debs=("$build"/mcp-mirror_*_amd64.deb)
[[ -f ${debs[0]} ]] || fail "no mcp-mirror_<version>_amd64.deb in $build"
deb=${debs[0]}
echo "built $(basename "$deb")"

contents=$(dpkg-deb --contents "$deb")
for path in ./usr/bin/mcp-mirror ./lib/systemd/system/mcp-mirror.service ./etc/mcp-mirror/mirror.yaml \
            ./etc/mcp-mirror/curation.yaml ./usr/share/man/man1/mcp-mirror.1.gz \
            ./usr/share/doc/mcp-mirror/README.md ./usr/share/doc/mcp-mirror/copyright \
            ./usr/share/doc/mcp-mirror/changelog.gz; do
  grep -q " $path\$" <<<"$contents" || fail "the package lacks $path"
done
conffiles=$(dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./conffiles)
for f in /etc/mcp-mirror/mirror.yaml /etc/mcp-mirror/curation.yaml; do
  grep -qx "$f" <<<"$conffiles" || fail "$f is not a conffile"
done
dpkg-deb --field "$deb" Depends | grep -q libsqlite3 || fail "Depends does not name libsqlite3 (dpkg-shlibdeps)"

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
dpkg-deb --extract "$deb" "$tmp"
grep -q '^ExecStart=/usr/bin/mcp-mirror serve ' "$tmp/lib/systemd/system/mcp-mirror.service" ||
  fail "the packaged unit does not run /usr/bin/mcp-mirror"
grep -qx 'curation_file: curation.yaml' "$tmp/etc/mcp-mirror/mirror.yaml" || fail "mirror.yaml does not use curation.yaml"
"$tmp/usr/bin/mcp-mirror" check-config --config "$tmp/etc/mcp-mirror/mirror.yaml" >/dev/null ||
  fail "the packaged binary rejects the packaged config"
zcat "$tmp/usr/share/man/man1/mcp-mirror.1.gz" | grep -q '^\.TH MCP-MIRROR 1' || fail "the manual page is not mcp-mirror(1)"

# lintian: errors fail; warnings and infos are printed for the reader.
lintian --fail-on error --no-tag-display-limit "$deb" | tee "$build/lintian.log" || fail "lintian reports errors"
echo "ok: $(grep -c . <<<"$contents") entries, lintian: $(grep -c '^E:' "$build/lintian.log" || true) errors, $(grep -c '^W:' "$build/lintian.log" || true) warnings"
