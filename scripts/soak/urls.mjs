#!/usr/bin/env node
// Read URLs for scripts/soak.sh: a weighted pool of request paths over the generated data.
//
//   node urls.mjs GEN_DIR OUT_FILE
//
// GEN_DIR is the output of scripts/bench/gen-data.mjs (data.jsonl, latest-paths.txt,
// search-terms.txt). OUT_FILE gets one path per line; the soak draws a random sample of it for
// each h2load run, so the repeated lines (home page, common searches) are mostly cache hits and
// the many distinct ones (cursors, details, rare search terms) mostly misses, as on a real
// mirror. Deterministic (fixed-seed PRNG), like the generator.
import fs from 'node:fs';
import path from 'node:path';

const [genDir, outFile] = process.argv.slice(2);
if (!genDir || !outFile) {
  console.error('usage: node urls.mjs GEN_DIR OUT_FILE');
  process.exit(2);
}
let seed = 0x50a4;
const rand = () => {  // mulberry32
  seed = (seed + 0x6D2B79F5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = a => a[Math.floor(rand() * a.length)];
const enc = encodeURIComponent;

const versions = [];  // [name, version]
for (const line of fs.readFileSync(path.join(genDir, 'data.jsonl'), 'utf8').split('\n')) {
  if (!line) continue;
  const s = JSON.parse(line).server;
  versions.push([s.name, s.version]);
}
const names = [...new Set(versions.map(v => v[0]))];
const latest = fs.readFileSync(path.join(genDir, 'latest-paths.txt'), 'utf8').split('\n').filter(Boolean);
const terms = fs.readFileSync(path.join(genDir, 'search-terms.txt'), 'utf8').split('\n').filter(Boolean);
const common = terms.slice(0, 10);

const out = [];
const add = (n, f) => { for (let i = 0; i < n; i++) out.push(f(i)); };
const cursor = () => { const [n, v] = pick(versions); return enc(`${n}:${v}`); };
// list pages: the home page (hot), limits, cursors, the /v0 alias
add(300, () => pick(['/v0.1/servers', '/v0.1/servers?limit=30', '/v0/servers']));
add(200, () => `/v0.1/servers?limit=${1 + Math.floor(rand() * 100)}`);
add(2000, () => `/v0.1/servers?limit=30&cursor=${cursor()}`);
// follower pages: what a chained mirror's sync asks
add(1000, () => `/v0.1/servers?limit=100&include_deleted=true&cursor=${cursor()}`);
add(100, () => `/v0.1/servers?limit=100&updated_since=2025-${String(7 + Math.floor(rand() * 5)).padStart(2, '0')}-01T00:00:00Z`);
// details, versions, latest (latest-paths.txt: 4000 distinct names)
add(1500, () => { const [n, v] = pick(versions); return `/v0.1/servers/${enc(n)}/versions/${enc(v)}`; });
add(500, () => `/v0.1/servers/${enc(pick(names))}/versions`);
add(2500, () => pick(latest));
// search: common terms (hot), the generator's 200 terms, distinct rare slices of names (misses)
add(500, () => `/v0.1/servers?search=${enc(pick(common))}`);
add(400, () => `/v0.1/servers?search=${enc(pick(terms))}&limit=30`);
add(800, () => {
  const repo = pick(names).split('/')[1];
  const from = Math.floor(rand() * Math.max(1, repo.length - 4));
  return `/v0.1/servers?search=${enc(repo.slice(from, from + 4 + Math.floor(rand() * 5)))}`;
});
add(300, () => `/v0.1/servers?search=${enc(pick(common))}&cursor=${cursor()}`);
// the names the soak's sync rounds publish and change, and absent names (404)
add(100, () => pick(['/v0.1/servers/io.github.soak%2Frolling/versions/latest', '/v0.1/servers/io.github.soak%2Frolling/versions']));
add(100, i => `/v0.1/servers/io.github.nobody%2Fmissing-${i}/versions/latest`);

for (let i = out.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [out[i], out[j]] = [out[j], out[i]];
}
fs.writeFileSync(outFile, out.join('\n') + '\n');
console.log(out.length);
