#!/usr/bin/env node
// Walks a running mcp-mirror's read API and checks every body it gets back.
//
//   node validate-responses.mjs BASE_URL [--fixture FILE.jsonl]
//
// Schemas (Ajv, allErrors):
//   - list and versions bodies against components.schemas.ServerList, single versions against
//     components.schemas.ServerResponse of config/openapi.yaml, with the JSON Schema 2020-12
//     dialect the spec declares (`strict: false`: the spec uses `example`);
//   - every `server` object against spec/server.schema.json (draft-07, the upstream's
//     published schema, unmodified) — but only when its `$schema` is that schema's own URL
//     (2025-12-11). Entries published under an older dated schema are stored and served as
//     published (docs/upstream-api.md: server.json shapes over time); they need not satisfy the
// current schema, and
//     upstream warns clients not to reject them (issue #783). They are counted as skipped.
// Invariants:
//   - list pages: count == servers.length; nextCursor present iff the page is full and equal to
//     "name:version" of the page's last row; a walk that appends cursors unencoded (as VS Code
//     does) gives the same rows; the pages
//     of a walk, concatenated, are strictly increasing by (name, version) compared bytewise
//     (Buffer.compare), the upstream's `ORDER BY name, version` in C collation;
//   - version=latest: only isLatest rows, one per name; search: names contain the term,
//     case-insensitively; default filters hide deleted rows, include_deleted=true shows them;
//   - per name: /versions?include_deleted=true has exactly one isLatest row, newest published
//     first, no nextCursor; /versions/latest is that row (404 when it is deleted, unless
//     include_deleted=true); each exact version equals its list entry; deleted versions 404
//     unless include_deleted=true;
//   - /v0 answers equal /v0.1 answers; error answers are problem+json with the upstream's
//     status codes (404, 422, 400).
// With --fixture, every walk is also compared row for row with what the fixture implies,
// and every served version's `server` object and official block must equal the fixture's.
//
// Prints one line per failure ("FAIL <url>: <message>") and a summary; exits 1 on any failure.
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import Ajv2020 from 'ajv/dist/2020.js';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const base = args[0]?.replace(/\/+$/, '');
if (!base || !/^https?:\/\//.test(base)) {
  console.error('usage: node validate-responses.mjs BASE_URL [--fixture FILE.jsonl]');
  process.exit(2);
}
const fixtureFile = args.includes('--fixture') ? args[args.indexOf('--fixture') + 1] : undefined;

const OFFICIAL = 'io.modelcontextprotocol.registry/official';
const CURRENT_SCHEMA_URL = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';

// --- schemas -------------------------------------------------------------------------------
const spec = YAML.parse(fs.readFileSync(path.join(here, '..', '..', 'config', 'openapi.yaml'), 'utf8'));
const ajv2020 = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv2020);
ajv2020.addSchema({ $id: 'spec', components: spec.components });
const validators = {
  ServerList: ajv2020.compile({ $ref: 'spec#/components/schemas/ServerList' }),
  ServerResponse: ajv2020.compile({ $ref: 'spec#/components/schemas/ServerResponse' }),
};
const serverSchema = JSON.parse(fs.readFileSync(path.join(here, 'spec', 'server.schema.json'), 'utf8'));
if (serverSchema.$id !== CURRENT_SCHEMA_URL) throw new Error(`spec/server.schema.json: unexpected $id ${serverSchema.$id}`);
const ajv07 = new Ajv({ allErrors: true, strict: false });
addFormats(ajv07);
const validateServer = ajv07.compile(serverSchema);

// --- bookkeeping -----------------------------------------------------------------------------
const stats = { requests: 0, ServerList: 0, ServerResponse: 0, serverChecked: 0, serverSkipped: 0, problems: 0, checks: 0 };
const failures = [];
function check(ok, url, message) {
  stats.checks++;
  if (!ok) { failures.push(`FAIL ${url}: ${message}`); console.log(failures.at(-1)); }
  return ok;
}
const ajvText = errs => errs.slice(0, 5).map(e => `${e.instancePath || '/'} ${e.message}`).join('; ') + (errs.length > 5 ? ` (+${errs.length - 5} more)` : '');
const bytesCmp = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const rowCmp = (a, b) => bytesCmp(a.server.name, b.server.name) || bytesCmp(a.server.version, b.server.version);
const key = r => `${r.server.name} ${r.server.version}`;
const official = r => r?._meta?.[OFFICIAL];
const enc = encodeURIComponent;
const qs = params => { const s = new URLSearchParams(params).toString(); return s ? `?${s}` : ''; };

async function get(pathAndQuery, prefix = 'v0.1') {
  const url = `${base}/${prefix}${pathAndQuery}`;
  stats.requests++;
  let res, text;
  try {
    res = await fetch(url, { redirect: 'manual' });
    text = await res.text();
  } catch (e) {
    check(false, url, `request failed: ${e.message}`);
    return { url, status: 0, body: undefined };
  }
  let body;
  try { body = JSON.parse(text); } catch { body = undefined; }
  return { url, status: res.status, contentType: res.headers.get('content-type') ?? '', body, text };
}

function validateServerObject(url, where, server) {
  if (server?.$schema !== CURRENT_SCHEMA_URL) { stats.serverSkipped++; return; }
  stats.serverChecked++;
  check(validateServer(server), url, `${where} server.schema.json: ${validateServer.errors && ajvText(validateServer.errors)}`);
}

function checkEntry(url, where, entry) {
  const o = official(entry);
  if (!check(o && typeof o === 'object', url, `${where}: no _meta["${OFFICIAL}"]`)) return;
  for (const k of ['status', 'statusChangedAt', 'publishedAt', 'updatedAt'])
    check(typeof o[k] === 'string' && o[k] !== '', url, `${where}: official.${k} missing or empty`);
  check(typeof o.isLatest === 'boolean', url, `${where}: official.isLatest is not a boolean`);
  for (const k of ['name', 'description', 'version'])
    check(typeof entry.server?.[k] === 'string' && entry.server[k] !== '', url, `${where}: server.${k} missing or empty`);
  validateServerObject(url, where, entry.server);
}

// A 200 JSON body of the given schema; returns the body or undefined.
function expectOk(r, schemaName) {
  if (!check(r.status === 200, r.url, `status ${r.status}, expected 200: ${r.text?.slice(0, 200)}`)) return undefined;
  check(/^application\/json(;|$)/.test(r.contentType), r.url, `content-type "${r.contentType}", expected application/json`);
  if (!check(r.body !== undefined, r.url, 'body is not JSON')) return undefined;
  stats[schemaName]++;
  const v = validators[schemaName];
  check(v(r.body), r.url, `${schemaName}: ${v.errors && ajvText(v.errors)}`);
  if (schemaName === 'ServerList') {
    if (!check(Array.isArray(r.body.servers), r.url, 'servers is not an array')) return undefined;
    check(r.body.metadata?.count === r.body.servers.length, r.url,
      `metadata.count ${r.body.metadata?.count} != servers.length ${r.body.servers.length}`);
    r.body.servers.forEach((e, i) => checkEntry(r.url, `servers[${i}]`, e));
  } else checkEntry(r.url, 'body', r.body);
  return r.body;
}

function expectProblem(r, status, detail) {
  stats.problems++;
  if (!check(r.status === status, r.url, `status ${r.status}, expected ${status}: ${r.text?.slice(0, 200)}`)) return;
  check(r.contentType.startsWith('application/problem+json'), r.url, `content-type "${r.contentType}", expected application/problem+json`);
  if (!check(r.body && typeof r.body === 'object', r.url, 'error body is not a JSON object')) return;
  check(r.body.status === status, r.url, `problem status ${JSON.stringify(r.body.status)}, expected ${status}`);
  check(typeof r.body.title === 'string' && r.body.title !== '', r.url, 'problem title missing');
  if (detail instanceof RegExp) check(detail.test(r.body.detail ?? ''), r.url, `problem detail ${JSON.stringify(r.body.detail)} does not match ${detail}`);
  else if (detail) check(r.body.detail === detail, r.url, `problem detail ${JSON.stringify(r.body.detail)}, expected ${JSON.stringify(detail)}`);
}

// Follows nextCursor from the first page; returns all rows (or undefined when the walk broke).
// raw: append the cursor unencoded, as VS Code's gallery client does
// (vscode-gallery-smoke.mjs): a version's '+' must survive it.
async function walk(params, { expected, label, raw = false } = {}) {
  const limit = params.limit ? Number(params.limit) : 30;
  const rows = [];
  let cursor, pages = 0, firstUrl;
  const maxPages = expected ? Math.ceil(expected.length / limit) + 3 : 2000;
  for (;;) {
    const r = await get(raw && cursor ? `/servers${qs(params)}&cursor=${cursor}` : `/servers${qs(cursor ? { ...params, cursor } : params)}`);
    firstUrl ??= r.url;
    const body = expectOk(r, 'ServerList');
    if (!body) return undefined;
    const n = body.servers.length;
    check(n <= limit, r.url, `${n} servers on a page with limit ${limit}`);
    const next = body.metadata?.nextCursor;
    check((next !== undefined && next !== '') === (n === limit), r.url,
      `nextCursor ${next === undefined ? 'absent' : JSON.stringify(next)} on a page of ${n} with limit ${limit} (present iff the page is full)`);
    if (next !== undefined && n > 0)
      check(next === `${body.servers[n - 1].server.name}:${body.servers[n - 1].server.version}`, r.url,
        `nextCursor ${JSON.stringify(next)} is not "name:version" of the page's last row`);
    for (const e of body.servers) {
      // A row that does not move forward also means the cursor did not: stop this walk.
      if (rows.length && !check(rowCmp(rows.at(-1), e) < 0, r.url,
        `order: "${key(e)}" follows "${key(rows.at(-1))}" (expected strictly increasing (name, version) by bytes)`)) return undefined;
      rows.push(e);
    }
    pages++;
    if (!next) break;
    if (!check(pages < maxPages, r.url, `walk did not end after ${pages} pages`)) return undefined;
    cursor = next;
  }
  if (expected) {
    const got = rows.map(key), want = [...expected].sort(rowCmp).map(key);
    if (!isDeepStrictEqual(got, want)) {
      const missing = want.filter(k => !got.includes(k)), extra = got.filter(k => !want.includes(k));
      check(false, firstUrl, `${label ?? 'walk'}: got ${got.length} rows, expected ${want.length}` +
        (missing.length ? `; missing ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ' …' : ''}` : '') +
        (extra.length ? `; unexpected ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ' …' : ''}` : '') +
        (!missing.length && !extra.length ? '; same rows, different order' : ''));
    } else check(true);
  }
  return rows;
}

// --- fixture expectations --------------------------------------------------------------------
let fixture;
if (fixtureFile) {
  fixture = fs.readFileSync(fixtureFile, 'utf8').split('\n').filter(Boolean).map(l => JSON.parse(l));
}
const isDeleted = r => official(r)?.status === 'deleted';
const want = pred => fixture?.filter(pred);

// --- 1. list walks ---------------------------------------------------------------------------
const all = await walk({ limit: 7, include_deleted: 'true' }, { expected: want(() => true), label: 'include_deleted=true' });
await walk({ limit: 7 }, { expected: want(r => !isDeleted(r)), label: 'default filters' });
await walk({}, { expected: want(r => !isDeleted(r)), label: 'default limit (30)' });
await walk({ limit: 100 }, { expected: want(r => !isDeleted(r)), label: 'limit=100' });
await walk({ limit: 1 }, { expected: want(r => !isDeleted(r)), label: 'limit=1, cursors appended unencoded', raw: true });
const latestRows = await walk({ limit: 7, version: 'latest' },
  { expected: want(r => official(r).isLatest && !isDeleted(r)), label: 'version=latest' });
if (latestRows) {
  const names = latestRows.map(r => r.server.name);
  check(new Set(names).size === names.length, `${base}/v0.1/servers?version=latest`, 'version=latest lists a name twice');
  for (const r of latestRows) check(official(r)?.isLatest === true, `${base}/v0.1/servers?version=latest`, `${key(r)} has isLatest=false`);
}
await walk({ limit: 7, version: 'latest', include_deleted: 'true' },
  { expected: want(r => official(r).isLatest), label: 'version=latest&include_deleted=true' });

const searchTerms = ['alpha', 'ALPHA', '_', 'under_score', 'tool', 'fixture/tool', '.', '-', '%', 'long-name-long', 'no-such-term', 'mcp', '服务器'];
for (const term of searchTerms) {
  const rows = await walk({ limit: 3, search: term }, {
    expected: want(r => !isDeleted(r) && r.server.name.toLowerCase().includes(term.toLowerCase())), label: `search=${term}` });
  for (const r of rows ?? [])
    check(r.server.name.toLowerCase().includes(term.toLowerCase()), `${base}/v0.1/servers?search=${enc(term)}`, `${r.server.name} does not contain "${term}"`);
}
await walk({ limit: 2, search: 'alpha', version: 'latest' },
  { expected: want(r => official(r).isLatest && !isDeleted(r) && r.server.name.toLowerCase().includes('alpha')), label: 'search=alpha&version=latest' });
await walk({ search: '' }, { expected: want(r => !isDeleted(r)), label: 'search= (empty)' });

// Exact version filter and updated_since (strictly after; deleted rows included).
if (fixture) {
  for (const v of ['1.0.0', '1.0.0+20130313144700', '1:2.0.0', '2.1.0-beta.1'])
    await walk({ limit: 7, version: v }, { expected: want(r => !isDeleted(r) && r.server.version === v), label: `version=${v}` });
  const stamps = [...new Set(fixture.map(r => official(r).updatedAt))].sort();
  for (const t of [stamps[Math.floor(stamps.length / 2)], stamps.at(-1), '1990-01-01T00:00:00Z']) {
    const us = s => Date.parse(s.replace(/\.\d+Z$/, 'Z')) * 1000 + Number((/\.(\d+)Z$/.exec(s)?.[1] ?? '').padEnd(6, '0'));
    await walk({ limit: 7, updated_since: t }, { expected: want(r => us(official(r).updatedAt) > us(t)), label: `updated_since=${t}` });
  }
}

// --- 2. per name ---------------------------------------------------------------------------
const byName = new Map();
for (const r of all ?? []) {
  if (!byName.has(r.server.name)) byName.set(r.server.name, []);
  byName.get(r.server.name).push(r);
}
const fixtureByKey = new Map(fixture?.map(r => [key(r), r]));
let versionsChecked = 0;
for (const [name, listed] of byName) {
  const n = enc(name);
  const vr = await get(`/servers/${n}/versions?include_deleted=true`);
  const versions = expectOk(vr, 'ServerList');
  if (versions) {
    check(versions.metadata?.nextCursor === undefined, vr.url, 'versions list has a nextCursor');
    check(versions.servers.every(e => e.server?.name === name), vr.url, 'versions list holds another name');
    check(isDeepStrictEqual(versions.servers.map(key).sort(), listed.map(key).sort()), vr.url,
      `versions [${versions.servers.map(e => e.server.version)}] != listed [${listed.map(e => e.server.version)}]`);
    const latest = versions.servers.filter(e => official(e)?.isLatest === true);
    check(latest.length === 1, vr.url, `${latest.length} versions with isLatest=true (expected exactly 1)`);
    for (let i = 1; i < versions.servers.length; i++)
      check(official(versions.servers[i - 1]).publishedAt >= official(versions.servers[i]).publishedAt, vr.url,
        `not newest published first: ${versions.servers[i - 1].server.version} before ${versions.servers[i].server.version}`);
    const live = versions.servers.filter(e => !isDeleted(e));
    const dr = await get(`/servers/${n}/versions`);
    if (live.length) {
      const def = expectOk(dr, 'ServerList');
      if (def) check(isDeepStrictEqual(def.servers.map(key), live.map(key)), dr.url,
        `default versions [${def.servers.map(e => e.server.version)}] != non-deleted [${live.map(e => e.server.version)}]`);
    } else expectProblem(dr, 404, 'Server not found');

    if (latest.length === 1) {
      const lr = await get(`/servers/${n}/versions/latest`);
      if (isDeleted(latest[0])) expectProblem(lr, 404, 'Server not found');
      else if (expectOk(lr, 'ServerResponse')) check(isDeepStrictEqual(lr.body, latest[0]), lr.url, `differs from the isLatest row (${latest[0].server.version})`);
      const ldr = await get(`/servers/${n}/versions/latest?include_deleted=true`);
      if (expectOk(ldr, 'ServerResponse')) check(isDeepStrictEqual(ldr.body, latest[0]), ldr.url, `differs from the isLatest row (${latest[0].server.version})`);
    }
  }
  for (const entry of listed) {
    const v = enc(entry.server.version);
    const er = await get(`/servers/${n}/versions/${v}`);
    if (isDeleted(entry)) expectProblem(er, 404, 'Server not found');
    else if (expectOk(er, 'ServerResponse')) check(isDeepStrictEqual(er.body, entry), er.url, 'differs from its list entry');
    const edr = await get(`/servers/${n}/versions/${v}?include_deleted=true`);
    if (expectOk(edr, 'ServerResponse')) check(isDeepStrictEqual(edr.body, entry), edr.url, 'differs from its list entry');
    versionsChecked++;
    if (fixture) {
      const f = fixtureByKey.get(key(entry));
      if (check(f, er.url, 'not in the fixture')) {
        check(isDeepStrictEqual(entry.server, f.server), er.url, 'server object differs from the fixture');
        check(isDeepStrictEqual(official(entry), official(f)), er.url,
          `official block differs from the fixture: got ${JSON.stringify(official(entry))}, want ${JSON.stringify(official(f))}`);
      }
    }
  }
}
if (fixture) check(byName.size === new Set(fixture.map(r => r.server.name)).size, `${base}/v0.1/servers?include_deleted=true`,
  `${byName.size} names listed, fixture has ${new Set(fixture.map(r => r.server.name)).size}`);

// --- 3. /v0 answers like /v0.1 --------------------------------------------------------------
const sample = [...byName.keys()].slice(0, 3);
const parity = ['/servers?limit=5', '/servers?version=latest&limit=3&search=a', '/servers/no.such%2Fserver/versions',
  ...sample.flatMap(name => [`/servers/${enc(name)}/versions`, `/servers/${enc(name)}/versions/latest`])];
for (const p of parity) {
  const [a, b] = [await get(p, 'v0.1'), await get(p, 'v0')];
  check(a.status === b.status && isDeepStrictEqual(a.body, b.body), b.url, `differs from /v0.1 (status ${b.status} vs ${a.status})`);
}

// --- 4. errors -------------------------------------------------------------------------------
expectProblem(await get('/servers/com.example.fixture%2Fno-such-server/versions'), 404, 'Server not found');
expectProblem(await get('/servers/com.example.fixture%2Fno-such-server/versions/latest'), 404, 'Server not found');
expectProblem(await get('/servers/com.example.fixture%2Fno-such-server/versions/1.0.0'), 404, 'Server not found');
if (sample[0]) expectProblem(await get(`/servers/${enc(sample[0])}/versions/0.0.0-no-such-version`), 404, 'Server not found');
for (const limit of ['0', '101', '1000', '-1', 'abc', '1.5'])
  expectProblem(await get(`/servers?limit=${limit}`), 422);
expectProblem(await get('/servers?include_deleted=maybe'), 422);
expectProblem(await get('/servers?updated_since=notadate'), 400, /^Invalid updated_since format/);
expectProblem(await get('/servers?updated_since=2025-01-01T00:00:00Z&include_deleted=false'), 400,
  /^Cannot set include_deleted=false when using updated_since/);
expectProblem(await get('/no-such-endpoint'), 404);

// --- summary ---------------------------------------------------------------------------------
console.log(`validate-responses: ${stats.requests} requests; ${stats.ServerList} ServerList + ${stats.ServerResponse} ServerResponse bodies valid-checked; ` +
  `${stats.serverChecked} server objects checked against server.schema.json, ${stats.serverSkipped} skipped (older or no $schema); ` +
  `${byName.size} names, ${versionsChecked} versions; ${stats.problems} error answers; ${stats.checks} checks, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
