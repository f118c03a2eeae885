#!/usr/bin/env python3
"""Regenerates the seed corpora fuzz/corpus/<target>/ from the repo's own test data: the files
under tests/data, tests/contract/spec and config/, and the string literals of the unit tests.
Deterministic (file names are content hashes), small (a few hundred KB in all): the fuzzers grow
their own corpora at run time in a temporary directory, never here. Usage: fuzz/make_corpus.py"""
import gzip
import hashlib
import json
import pathlib
import re
import shutil

repo = pathlib.Path(__file__).resolve().parent.parent
out_root = repo / "fuzz" / "corpus"

# Inputs that trigger known, separately tracked bugs are left out of the seeds (README "Fuzzing
# and sanitizers"): the fuzzers still reach them on their own.
KNOWN_BAD = {
    "curation": [b",", b"&a [*a]"],
    "retry_after": [b"Sun, 06 Nov 9923 08:49:37 GMT"],
}


def literals(path):
    """C++ string literals of a source file, escapes decoded; raw strings as written."""
    text = (repo / path).read_text()
    found = []
    for m in re.finditer(r'R"([^(\s]*)\((.*?)\)\1"|"((?:[^"\\\n]|\\.)*)"', text, re.S):
        if m.group(2) is not None:
            found.append(m.group(2).encode())
        else:
            raw = m.group(3)
            try:
                found.append(raw.encode("latin-1").decode("unicode_escape").encode("latin-1"))
            except (UnicodeDecodeError, UnicodeEncodeError):
                found.append(raw.encode())
    return found


def expected_message(s):
    """An error message a test expects ("5:18 rules[0].action", "mirror.yaml:3:3: ..."), not YAML."""
    return re.match(rb"^(\d+:\d+ |line:column)", s) is not None or b".yaml:" in s


def minify(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def write(target, seeds, limit=None):
    d = out_root / target
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    unique = []
    for s in seeds:
        if s in unique or any(bad in s for bad in KNOWN_BAD.get(target, [])):
            continue
        unique.append(s)
    for s in unique[:limit]:
        (d / hashlib.sha1(s).hexdigest()[:16]).write_bytes(s)


fixture = [json.loads(l) for l in (repo / "tests/data/registry-fixture.jsonl").read_text().splitlines() if l]
examples = json.loads((repo / "tests/data/server-json-examples.json").read_text())
seed = json.loads((repo / "config/seed-2025-09-29.json").read_text())

# --- api: request targets --------------------------------------------------------------------
targets = []
for f in ["tests/unit/api/test_service.cpp", "tests/unit/api/test_list_params.cpp",
          "tests/unit/api/test_cacheable_route.cpp", "tests/integration/test_list_endpoint.cpp",
          "tests/integration/test_version_endpoints.cpp", "tests/integration/test_http_caching.cpp"]:
    targets += [s for s in literals(f) if s.startswith(b"/")]
write("target", targets, 80)

# --- model ----------------------------------------------------------------------------------
write("cursor", [s for s in literals("tests/unit/model/test_cursor.cpp") if len(s) < 60 and b" " not in s[:-1]])
write("timestamp", [s for s in literals("tests/unit/model/test_timestamp.cpp")
                    if re.match(rb"^[-+ 0-9]", s) and len(s) < 40])
versions = [s for s in literals("tests/unit/model/test_version_order.cpp") if len(s) < 40 and b" " not in s.strip()]
write("version_order", versions + [a + b"\0" + b for a, b in zip(versions, versions[1:])] +
      [a + b"\0" + b + b"\0" + c for a, b, c in zip(versions, versions[3:], versions[7:])], 150)

# --- json: upstream pages, imports, the tree ------------------------------------------------
def page(entries, cursor):
    meta = {"count": len(entries)}
    if cursor:
        meta["nextCursor"] = cursor
    return minify({"servers": entries, "metadata": meta})

pages = [page(fixture[i:i + 3], f"{fixture[i + 2]['server']['name']}:{fixture[i + 2]['server']['version']}")
         for i in range(0, 24, 3)]
pages += [page([], None), page(fixture[-2:], None)]
write("server_list", pages)

imports = [minify(seed[:2]), minify(seed[10:12]), minify(examples[:3])]
imports += [b"\n".join(minify(e) for e in fixture[i:i + 3]) + b"\n" for i in (0, 30, 60)]
imports += [minify(e) for e in fixture[::9]]
imports += [json.dumps(fixture[5], indent=2).encode(), pages[0]]
for f in ["tests/unit/json/import_shapes_test.cpp", "tests/unit/json/import_errors_test.cpp",
          "tests/unit/json/import_seed_test.cpp"]:
    imports += [s for s in literals(f) if s[:1] in (b"[", b"{", b"\xef") and len(s) > 2]
write("import", imports, 120)

trees = [minify(e) for e in examples] + [s for s in literals("tests/unit/json/tree_test.cpp")
                                         if s[:1] in (b"[", b"{", b'"', b"1", b"-", b"t", b"n", b" ")]
write("tree", trees, 120)
write("overrides", [minify(e) for e in examples] + [minify(e["server"]) for e in fixture[::6]])

# --- YAML ------------------------------------------------------------------------------------
configs = [(repo / "config/mirror.example.yaml").read_bytes()]
configs += [s for s in literals("tests/unit/config/test_config.cpp")
            if b":" in s and (b"\n" in s or b": " in s) and not expected_message(s)]
write("config", configs, 80)

curations = [(repo / "config/curation.example.yaml").read_bytes()]
for s in literals("tests/unit/curation/test_parse.cpp") + literals("tests/unit/curation/test_actions.cpp"):
    if s.startswith(b"    "):
        s = b"rules:\n  - id: r\n" + s
    if b":" in s and len(s) > 8 and not expected_message(s):
        curations.append(s)
write("curation", curations, 120)

# --- upstream --------------------------------------------------------------------------------
bodies = [pages[0], b"", b"abc", minify(examples[0]), b"q" * 5000]
gz = [gzip.compress(b, mtime=0) for b in bodies]
write("gzip", gz + [gz[2] + gz[2], gz[0][:40], b"abc\0def", minify(examples[1]) + b"\0" + minify(examples[2])])
write("retry_after", [s for s in literals("tests/unit/upstream/test_retry_after.cpp")
                      if len(s) < 40 and not s.startswith(b"upstream")])

# --- snapshot --------------------------------------------------------------------------------
manifest = {"format": "mcp-mirror-snapshot/1", "createdAt": "2025-09-29T12:00:00Z",
            "upstream": "https://registry.example", "watermark": "2025-09-29T11:59:00.123456Z",
            "curated": False, "counts": {"active": 80, "deprecated": 7, "deleted": 5, "total": 92},
            "data": {"file": "servers.jsonl", "bytes": 111973, "sha256": "0" * 64}}
variants = [dict(manifest), dict(manifest, upstream=None, watermark=None, curated=True),
            dict(manifest, counts={"active": 0, "deprecated": 0, "deleted": 0, "total": 0})]
write("manifest", [json.dumps(m).encode() + b"\n" for m in variants] + [minify(manifest)])

# --- replicas (sync/parent_feed): byte 0 even = /info, odd = a feed page (byte 1 since, byte 2 limit)
info = {"version": "0.1.0", "instanceId": "24a1ba0ef75da7ef6d3137f7afd137bd", "namespace": "io.github.mcp-mirror",
        "sources": [{"name": "upstream", "url": "https://registry.example", "parent": None}],
        "changes": {"seq": 716, "prunedThrough": 0}, "ancestry": ["f4ba02eafc58bf7897afd234302c4ab2"]}
feed = {"changes": [{"seq": 5, "time": "2025-09-29T12:00:00Z", "name": "io.github.a/x", "version": "1.0.0",
                     "kind": "added"},
                    {"seq": 7, "time": "2025-09-29T12:00:01Z", "name": "io.github.b/y", "version": None,
                     "kind": "latest_moved"}], "metadata": {"nextCursor": "7", "count": 2}}
write("parent_feed", [b"\0\0\0" + minify(info), b"\0\0\0" + minify(dict(info, ancestry=[])),
                      b"\1\4\2" + minify(feed), b"\1\4\x63" + minify(feed),
                      b"\1\0\0" + minify({"changes": [], "metadata": {"count": 0}})])

total = sum(p.stat().st_size for p in out_root.rglob("*") if p.is_file())
print(f"{sum(1 for p in out_root.rglob('*') if p.is_file())} seeds, {total // 1024} KiB in {out_root}")
