#!/usr/bin/env node
// Generates tests/data/registry-fixture.jsonl: the content the contract tests import into an
// empty data dir before the first `serve` (so the daemon does not seed itself).
//
//   node gen-fixture.mjs           write the file
//   node gen-fixture.mjs --check   exit 1 if the committed file differs from what would be written
//
// Deterministic: a fixed-seed PRNG drives timestamps, nothing reads the clock or the
// environment. Every line is `{"server": {...}, "_meta": {"io.modelcontextprotocol.registry/official": {...}}}`
// with the official block's keys in upstream order (docs/upstream-api.md: Responses).
//
// Content: the 17 server.json shapes of spec/server-json-examples.json (the upstream's
// published example file, unmodified), renamed, each published in 1-3 versions, plus names
// made for the edge cases of the read API:
//   - SemVer ladder 1.0.0, 1.2.0, 2.0.0-rc.1, 2.0.0 (latest), 1.2.4 (late backport), and
//     2.1.0-beta.1. SemVer precedence puts 2.1.0-beta.1 above 2.0.0, so for 2.0.0 to stay
//     latest the beta is a *deleted* version (latest = highest non-deleted);
//   - 1.2.0 / 1.9.0 / 1.10.0: byte order differs from SemVer order;
//   - build metadata 1.0.0+20130313144700 (the version the spec uses as its %2B example);
//   - non-SemVer versions (2021.03.05 has a leading zero, `snapshot`, `1:2.0.0` with a colon,
//     which the list cursor `name:version` must split at the first colon);
//   - deprecated versions with statusMessage (one of them the latest), a deleted version that
//     would otherwise be latest, a name whose every version is deleted (the highest deleted
//     keeps isLatest);
//   - names for ordering and search: a leading digit, a leading upper-case letter, "alpha" in
//     three cases, `_` (LIKE wildcard that must match literally), prefixes of each other with
//     '-', '.', '_' and letters after the common part ("tool" vs "tool-extra": '-' < ':' so
//     ordering by the string "name:version" differs from ordering by (name, version));
//   - a name of 190 bytes, a server without $schema, and a name with 12 versions that spans
//     several list pages.
// `$schema` rotates over the dated schema URLs 2025-07-09 ... 2025-12-11 for older versions;
// the newest version of a name uses 2025-12-11. Every `server` object validates against the
// current server.schema.json (checked below); the daemon-facing tests only apply that schema
// to entries whose $schema is the current URL, because real upstream data with older URLs
// need not satisfy it (see validate-responses.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { pickLatest } from './lib/versions.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(here, '..', 'data', 'registry-fixture.jsonl');
const examples = JSON.parse(fs.readFileSync(path.join(here, 'spec', 'server-json-examples.json'), 'utf8'))
  .map(e => e.example);
const serverSchema = JSON.parse(fs.readFileSync(path.join(here, 'spec', 'server.schema.json'), 'utf8'));

export const SCHEMA_URL = d => `https://static.modelcontextprotocol.io/schemas/${d}/server.schema.json`;
const CURRENT = '2025-12-11';
const OLDER = ['2025-07-09', '2025-09-16', '2025-09-29', '2025-10-11', '2025-10-17'];

// mulberry32: small, fixed-seed, good enough for spreading timestamps.
function prng(seed) {
  return () => {
    seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(20251211);
const randInt = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));

// --- names -------------------------------------------------------------------------------
const SLUGS = ['brave-search', 'everything', 'nuget-args', 'filesystem', 'quay-oci', 'remote-fs',
  'pypi-weather', 'cargo-widget', 'nuget-dnx', 'docker-db', 'hybrid', 'mcpb-editor', 'cli-embedded',
  'no-packages', 'multi-tenant', 'events-sse', 'configurable-local'];
if (SLUGS.length !== examples.length) throw new Error(`expected ${SLUGS.length} example shapes, got ${examples.length}`);

// v: version, s: status (default active), m: statusMessage, schema: force a $schema date
// (null: omit $schema), edited: updatedAt later than publishedAt with status unchanged.
const specs = [];
examples.forEach((ex, i) => {
  const n = i % 3;
  const vs = n === 0 ? [ex.version] : n === 1 ? ['0.0.1', ex.version] : ['0.0.1', '0.0.2', ex.version];
  specs.push({ name: `com.example.fixture/${SLUGS[i]}-${i + 1}`, shape: i, versions: vs.map(v => ({ v })) });
});
let shapeCursor = 0;
const nextShape = () => [0, 3, 4, 6, 7, 9, 12, 13][shapeCursor++ % 8];  // shapes without URL templates
const add = (name, versions, extra = {}) =>
  specs.push({ name, shape: extra.shape ?? nextShape(), description: extra.description, versions });
const vv = (...list) => list.map(v => (typeof v === 'string' ? { v } : v));

add('com.example.fixture/semver-ladder', vv('1.0.0', '1.2.0', '2.0.0-rc.1', '2.0.0', '1.2.4',
  { v: '2.1.0-beta.1', s: 'deleted', m: 'Pulled: the beta corrupted caches' }),
  { description: 'SemVer ladder: 2.0.0 is latest, 1.2.4 is a late backport, 2.1.0-beta.1 is deleted' });
add('com.example.fixture/numeric-order', vv('1.2.0', '1.9.0', '1.10.0'),
  { description: 'Versions whose byte order differs from SemVer order' });
add('com.example.fixture/build-meta', vv('0.9.0', '1.0.0+20130313144700'),
  { description: 'Latest version carries SemVer build metadata' });
add('com.example.fixture/non-semver', vv('2021.03.05', 'nightly-2025-08', 'snapshot'),
  { description: 'Only non-SemVer versions: the last published is latest' });
add('com.example.fixture/colon-version', vv('1:2.0.0', '1.0.0'),
  { description: 'A version containing a colon, which the list cursor must survive' });
add('com.example.fixture/semver-beats-date', vv('1.0.0', '2024.01.05'),
  { description: 'SemVer 1.0.0 stays latest over a later non-SemVer version' });
add('com.example.fixture/deprecated', vv({ v: '1.0.0', s: 'deprecated', m: 'Use 2.0.0 instead' }, '2.0.0'),
  { description: 'An old deprecated version next to an active latest one' });
add('com.example.fixture/deprecated-latest', vv('0.1.0', { v: '0.2.0', s: 'deprecated', m: 'This server is no longer maintained' }),
  { description: 'The latest version is deprecated but still listed' });
add('com.example.fixture/deleted-latest', vv('1.0.0', { v: '1.1.0', s: 'deleted', m: 'Removed: malware report' }),
  { description: 'The highest version is deleted, so 1.0.0 is latest' });
add('com.example.fixture/all-deleted', vv({ v: '0.1.0', s: 'deleted' }, { v: '0.2.0', s: 'deleted', m: 'Taken down' }),
  { description: 'Every version is deleted; 0.2.0 keeps the latest flag' });
add('4u.example/digits-first', vv('1.0.0'), { description: 'A name starting with a digit' });
add('Com.Example.Upper/first', vv('0.1.0', '0.2.0'), { description: 'A name starting with an upper-case letter' });
add('io.github.someone/Alpha-Upper', vv('1.0.0'), { description: 'Search target, mixed case' });
add('io.github.someone/alpha-lower', vv('1.0.0', '1.1.0'), { description: 'Search target, lower case' });
add('io.github.someone/ALPHA_caps', vv('3.0.0'), { description: 'Search target, upper case, underscore' });
add('io.github.someone/alphabet_soup', vv('0.0.3', { v: '0.0.4', edited: true }), { description: 'Search target with underscore' });
add('io.github.someone/under_score', vv('1.0.0'), { description: 'Underscore must match literally' });
add('io.github.someone/underXscore', vv('1.0.0'), { description: 'Would match under_score if _ were a wildcard' });
add('com.example.fixture/tool', vv('1.0.0', '1.1.0'), { description: 'Prefix of other names' });
add('com.example.fixture/tool-extra', vv('1.0.0'), { description: 'Prefix plus dash' });
add('com.example.fixture/tool.v2', vv('2.0.0'), { description: 'Prefix plus dot' });
add('com.example.fixture/tool_x', vv('0.5.0', { v: '0.6.0', edited: true }), { description: 'Prefix plus underscore' });
add('com.example.fixture/toolbox', vv('1.0.0'), { description: 'Prefix plus letters' });
add(`io.github.someone/${'long-name-'.repeat(17)}end`, vv('1.0.0', '1.0.1'), { description: 'A 190-byte name' });
add('io.github.someone/no-schema', vv({ v: '0.0.1-seed', schema: null }), { description: 'A server.json without $schema, like the bundled seed' });
add('io.github.someone/many-versions', vv(...Array.from({ length: 12 }, (_, i) => `0.${i + 1}.0`)),
  { description: 'Twelve versions, spanning several list pages' });

// --- publishing timeline ------------------------------------------------------------------
let clockUs = Date.UTC(2025, 6, 15, 8, 0, 0) * 1000;  // 2025-07-15T08:00:00Z
const tick = (minMin, maxMin) => {
  clockUs += randInt(minMin, maxMin) * 60e6 + randInt(1, 59) * 1e6 + randInt(0, 999999);
  if (clockUs % 10 === 0) clockUs += 1;  // no trailing zero: the text survives a trim-zeros reformat
  return clockUs;
};
const rfc3339 = us => new Date(Math.floor(us / 1000)).toISOString().slice(0, 19) + '.' + String(us % 1e6).padStart(6, '0') + 'Z';

// Interleave publishes across names (round-robin over a fixed-seed shuffled name order), keeping
// each name's versions in the listed order.
const order = specs.map((_, i) => i);
for (let i = order.length - 1; i > 0; i--) { const j = randInt(0, i); [order[i], order[j]] = [order[j], order[i]]; }
const rows = [];  // in publish order
const maxVersions = Math.max(...specs.map(s => s.versions.length));
for (let round = 0; round < maxVersions; round++)
  for (const si of order) {
    const spec = specs[si], ver = spec.versions[round];
    if (ver) rows.push({ spec, ver, round, publishedUs: tick(40, 1500) });
  }

// Status changes and edits happen after all publishes, in row order.
for (const r of rows) {
  r.changedUs = r.publishedUs;
  r.updatedUs = r.publishedUs;
  if (r.ver.s) r.changedUs = r.updatedUs = tick(30, 600);
  else if (r.ver.edited) r.updatedUs = tick(30, 600);
}

// --- server objects -----------------------------------------------------------------------
let olderCounter = 0;
function serverFor(r) {
  const { spec, ver } = r;
  const ex = examples[spec.shape];
  const s = structuredClone(ex);
  s.name = spec.name;
  s.version = ver.v;
  if (spec.description) { s.description = spec.description; delete s.title; }  // the shape's title would mislead
  for (const p of s.packages ?? []) if (p.version === ex.version) p.version = ver.v;
  const isNewest = r.round === spec.versions.length - 1;
  const templated = /"url":"[^"]*\{/.test(JSON.stringify(ex));  // URL templates exist only since 2025-12-11
  let date = CURRENT;
  if (ver.schema !== undefined) date = ver.schema;
  else if (!isNewest && !templated && olderCounter++ % 2 === 0) date = OLDER[olderCounter % OLDER.length];
  if (date === null) delete s.$schema;
  else {
    s.$schema = SCHEMA_URL(date);
    if (date < '2025-10-11') { delete s.title; delete s.icons; }  // fields added in 2025-10-11
  }
  // Key order as upstream emits it: $schema, name, description, title, repository, version, ...
  const keys = ['$schema', 'name', 'description', 'title', 'repository', 'version', 'websiteUrl', 'icons', 'packages', 'remotes', '_meta'];
  const extra = Object.keys(s).filter(k => !keys.includes(k));
  if (extra.length) throw new Error(`${spec.name}: unexpected server keys ${extra}`);
  return Object.fromEntries(keys.filter(k => k in s).map(k => [k, s[k]]));
}

const byName = new Map();
for (const r of rows) {
  if (!byName.has(r.spec.name)) byName.set(r.spec.name, []);
  byName.get(r.spec.name).push(r);
}
for (const list of byName.values()) {
  const latest = pickLatest(list.map(r => ({ version: r.ver.v, publishedAt: rfc3339(r.publishedUs), deleted: r.ver.s === 'deleted' })));
  list.forEach((r, i) => { r.isLatest = i === latest; });
}

const lines = rows.map(r => {
  const official = { status: r.ver.s ?? 'active', statusChangedAt: rfc3339(r.changedUs) };
  if (r.ver.m) official.statusMessage = r.ver.m;
  official.publishedAt = rfc3339(r.publishedUs);
  official.updatedAt = rfc3339(r.updatedUs);
  official.isLatest = r.isLatest;
  return JSON.stringify({ server: serverFor(r), _meta: { 'io.modelcontextprotocol.registry/official': official } });
});
const text = lines.join('\n') + '\n';

// --- self-checks ----------------------------------------------------------------------------
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validServer = ajv.compile(serverSchema);
const seen = new Set();
for (const line of lines) {
  const { server, _meta } = JSON.parse(line);
  const key = `${server.name}\u0000${server.version}`;
  if (seen.has(key)) throw new Error(`duplicate ${server.name} ${server.version}`);
  seen.add(key);
  if (!validServer(server)) throw new Error(`${server.name} ${server.version}: ${ajv.errorsText(validServer.errors)}`);
  if (Buffer.byteLength(server.name) > 200) throw new Error(`name too long: ${server.name}`);
  const o = _meta['io.modelcontextprotocol.registry/official'];
  if (!(o.publishedAt <= o.statusChangedAt && o.statusChangedAt <= o.updatedAt)) throw new Error(`timestamps out of order: ${key}`);
}
for (const [name, list] of byName)
  if (list.filter(r => r.isLatest).length !== 1) throw new Error(`${name}: not exactly one latest`);

if (process.argv.includes('--check')) {
  const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
  if (current !== text) {
    console.error(`${path.relative(process.cwd(), OUT)} is stale: run node tests/contract/gen-fixture.mjs`);
    process.exit(1);
  }
  console.log(`fixture up to date: ${lines.length} versions of ${byName.size} names`);
} else {
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, text);
  console.log(`wrote ${path.relative(process.cwd(), OUT)}: ${lines.length} versions of ${byName.size} names`);
}
