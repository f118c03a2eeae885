#!/usr/bin/env node
// Synthetic registry content for scripts/bench-serve.sh.
//
//   node gen-data.mjs OUT_DIR [VERSIONS]        (VERSIONS default 100000)
//
// Writes into OUT_DIR:
//   data.jsonl        one line per version: {"server": {...}, "_meta": {"io.modelcontextprotocol.registry/official": {...}}}
//   latest-paths.txt  4000 distinct random names as /v0.1/servers/<name, / as %2F>/versions/latest
//   search-terms.txt  200 distinct search terms (substrings of names: common, medium, rare, none)
//   search-rare-terms.txt  those of them that match fewer than 30 versions (less than a page)
// and prints one summary line of JSON on stdout.
//
// Deterministic: a fixed-seed PRNG drives everything; nothing reads the clock or the environment
// (the same VERSIONS gives byte-identical files on every machine with Node >= 18).
//
// Content: ~25k reverse-DNS names (io.github.<user>/<repo>, com.<company>[.<unit>]/<repo>,
// ai./io./dev./org./app.<company>/<repo>), 1-10 versions each (mean 4, skewed towards few),
// SemVer versions increasing in publish order with occasional pre-releases; exactly one
// isLatest per name, on the highest SemVer version. Each `server` is one of the 17 shapes of
// tests/data/server-json-examples.json (the upstream's published example file, unmodified) with
// name, version, title, description, repository, websiteUrl, package identifiers/versions and
// remote hosts rewritten for the name, so entries keep the shapes' realistic sizes.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const EXAMPLES = path.join(here, '..', '..', 'tests', 'data', 'server-json-examples.json');

const outDir = process.argv[2];
const TOTAL = Number(process.argv[3] ?? 100000);
if (!outDir || !Number.isInteger(TOTAL) || TOTAL < 100) {
  console.error('usage: node gen-data.mjs OUT_DIR [VERSIONS>=100]');
  process.exit(2);
}
const LATEST_PATHS = 4000;
const SEARCH_TERMS = 200;

// --- PRNG (mulberry32, fixed seed) -----------------------------------------------------------
let seed = 0x5eed2025;
function rand() {
  seed = (seed + 0x6D2B79F5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const randInt = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = a => a[Math.floor(rand() * a.length)];
const chance = p => rand() < p;
function weighted(weights) {  // index into weights
  let total = 0;
  for (const w of weights) total += w;
  let r = rand() * total;
  for (let i = 0; i < weights.length; i++) if ((r -= weights[i]) < 0) return i;
  return weights.length - 1;
}

// --- words -----------------------------------------------------------------------------------
const TOPICS = ['github', 'gitlab', 'slack', 'notion', 'jira', 'linear', 'postgres', 'mysql', 'sqlite',
  'redis', 'mongo', 'weather', 'search', 'browser', 'playwright', 'puppeteer', 'filesystem', 'files',
  'memory', 'docs', 'calendar', 'email', 'gmail', 'drive', 'sheets', 'figma', 'stripe', 'shopify',
  'aws', 'azure', 'gcp', 'kubernetes', 'docker', 'terraform', 'sentry', 'datadog', 'grafana',
  'prometheus', 'elastic', 'kafka', 'spotify', 'youtube', 'twitter', 'reddit', 'discord', 'telegram',
  'whatsapp', 'zoom', 'teams', 'confluence', 'obsidian', 'todoist', 'trello', 'asana', 'hubspot',
  'salesforce', 'zendesk', 'airtable', 'supabase', 'firebase', 'vercel', 'netlify', 'cloudflare',
  'openai', 'anthropic', 'gemini', 'ollama', 'huggingface', 'arxiv', 'pubmed', 'wikipedia', 'maps',
  'geocoding', 'finance', 'stocks', 'crypto', 'bitcoin', 'ethereum', 'solana', 'news', 'rss', 'pdf',
  'excel', 'markdown', 'html', 'scraper', 'crawler', 'fetch', 'http', 'graphql', 'openapi', 'sql',
  'vector', 'qdrant', 'pinecone', 'chroma', 'neo4j', 'duckdb', 'bigquery', 'snowflake', 'jupyter',
  'python', 'node', 'rust', 'shell', 'terminal', 'ssh', 'git', 'code', 'lint', 'test', 'ci', 'deploy',
  'monitor', 'logs', 'metrics', 'alerts', 'tickets', 'crm', 'invoice', 'payments', 'translate',
  'speech', 'image', 'video', 'audio', 'ocr', 'time', 'timezone', 'calculator', 'random', 'uuid',
  'sequential-thinking', 'context', 'knowledge', 'rag', 'embeddings', 'agent', 'workflow', 'automation'];
const SUFFIXES = ['mcp', 'mcp-server', 'server', 'tools', 'bridge', 'connector', 'api', 'client', 'kit'];
const QUALIFIERS = ['lite', 'pro', 'plus', 'cloud', 'local', 'remote', 'unofficial', 'community', 'v2',
  'next', 'fast', 'simple', 'secure', 'enterprise', 'ai', 'smart', 'open'];
const SYL = ['ka', 'lo', 'mi', 'ren', 'tor', 'vi', 'san', 'dra', 'el', 'fin', 'gar', 'hal', 'jo', 'ki',
  'lum', 'mar', 'nor', 'ol', 'pex', 'qu', 'ra', 'sol', 'tan', 'ul', 'vel', 'wen', 'xa', 'yor', 'zed',
  'bri', 'cor', 'dex', 'ex', 'fa', 'gi', 'ho', 'is', 'jan', 'ko', 'lex'];
const pseudo = (lo, hi) => { let s = ''; for (let i = randInt(lo, hi); i > 0; i--) s += pick(SYL); return s; };
const cap = s => s[0].toUpperCase() + s.slice(1);
const title = slug => slug.split(/[-_.]/).filter(Boolean).map(cap).join(' ');

function githubUser() {
  const base = pseudo(2, 4);
  const r = rand();
  if (r < 0.15) return cap(base) + (chance(0.5) ? cap(pseudo(1, 2)) : '');  // mixed case, as on GitHub
  if (r < 0.35) return base + randInt(1, 999);
  if (r < 0.45) return base + '-' + pseudo(1, 2);
  return base;
}
function repoSlug() {
  const t = pick(TOPICS);
  const r = rand();
  if (r < 0.30) return `${t}-${pick(SUFFIXES)}`;
  if (r < 0.45) return `mcp-${t}`;
  if (r < 0.60) return `${t}-${pick(TOPICS)}-${pick(SUFFIXES)}`;
  if (r < 0.70) return `${t}-${pick(QUALIFIERS)}-mcp`;
  if (r < 0.78) return `${pseudo(1, 3)}-mcp`;
  if (r < 0.84) return `${t}_${pick(SUFFIXES).replace(/-/g, '_')}`;
  if (r < 0.90) return cap(t) + cap(pick(SUFFIXES).replace(/-.*/, '')) + (chance(0.5) ? 'MCP' : '');
  return t;
}

// --- names -----------------------------------------------------------------------------------
const users = Array.from({ length: 12000 }, githubUser);
const companies = Array.from({ length: 2500 }, () => pseudo(2, 3) + (chance(0.1) ? '-' + pick(['labs', 'ai', 'io', 'hq', 'tech']) : ''));
const units = ['mcp', 'dev', 'cloud', 'platform', 'data', 'ai', 'api', 'labs'];

function makeName() {
  const r = rand();
  if (r < 0.60) {
    const u = pick(users);
    return { ns: `io.github.${u}`, repo: repoSlug(), owner: u, kind: 'github' };
  }
  const c = pick(companies);
  if (r < 0.72) return { ns: `com.${c}`, repo: repoSlug(), owner: c, kind: 'company' };
  if (r < 0.80) return { ns: `com.${c}.${pick(units)}`, repo: repoSlug(), owner: c, kind: 'company' };
  const tld = pick(['ai', 'io', 'dev', 'org', 'app', 'net', 'co']);
  return { ns: `${tld}.${c}`, repo: repoSlug(), owner: c, kind: 'company', tld };
}

// Version counts 1..10, mean 4.0 (24% single-version names, 4% with ten).
const COUNT_WEIGHTS = [24, 16, 12, 10, 9, 8, 6, 6, 5, 4];

// --- versions --------------------------------------------------------------------------------
function semverParse(v) {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/.exec(v);
  if (!m) throw new Error(`not semver: ${v}`);
  return { n: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ? m[4].split('.') : [] };
}
function semverCompare(a, b) {
  const x = semverParse(a), y = semverParse(b);
  for (let i = 0; i < 3; i++) if (x.n[i] !== y.n[i]) return x.n[i] - y.n[i];
  if (!x.pre.length || !y.pre.length) return y.pre.length - x.pre.length;  // release > pre-release
  for (let i = 0; i < Math.min(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i], q = y.pre[i];
    const pn = /^\d+$/.test(p), qn = /^\d+$/.test(q);
    if (pn && qn) { if (Number(p) !== Number(q)) return Number(p) - Number(q); continue; }
    if (pn !== qn) return pn ? -1 : 1;
    if (p !== q) return p < q ? -1 : 1;
  }
  return x.pre.length - y.pre.length;
}
function versionLadder(count) {
  let [maj, min, pat] = pick([[0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 2, 3], [1, 4, 0], [2, 0, 0]]);
  const out = [];
  let pendingPre = null;
  while (out.length < count) {
    if (pendingPre) { out.push(pendingPre.release); pendingPre = null; continue; }
    if (out.length) {
      const r = rand();
      if (r < 0.6) pat++;
      else if (r < 0.9) { min++; pat = 0; }
      else { maj++; min = 0; pat = 0; }
    }
    const v = `${maj}.${min}.${pat}`;
    if (out.length && chance(0.08)) {  // a pre-release, usually followed by its release
      out.push(`${v}-${pick(['beta', 'rc', 'alpha'])}.${randInt(1, 3)}`);
      pendingPre = { release: v };
    } else out.push(v);
  }
  return out;
}

// --- timestamps ------------------------------------------------------------------------------
const T0 = Date.UTC(2025, 6, 1), T1 = Date.UTC(2025, 11, 1);
function stamp(ms) {
  return new Date(ms).toISOString().replace('Z', String(randInt(0, 999)).padStart(3, '0') + 'Z');
}

// --- servers ---------------------------------------------------------------------------------
const examples = JSON.parse(fs.readFileSync(EXAMPLES, 'utf8')).map(e => e.example);
const DESCRIPTIONS = [
  t => `MCP server for ${t}`,
  t => `Model Context Protocol server that connects AI assistants to ${t}`,
  t => `Query, search and manage ${t} from any MCP client`,
  t => `${t} integration for LLM agents: read, write and automate`,
  t => `Unofficial ${t} tools exposed over the Model Context Protocol`,
  t => `Access ${t} data with natural language through MCP tools and resources`,
];
const uuid = () => 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, c =>
  ((c === 'x' ? randInt(0, 15) : randInt(8, 11))).toString(16));

function makeServer(shape, n, version, isNewest) {
  const s = structuredClone(examples[shape]);
  const name = `${n.ns}/${n.repo}`;
  const owner = n.owner.toLowerCase();
  const repoLc = n.repo.toLowerCase();
  const gh = n.kind === 'github' ? `https://github.com/${n.owner}/${n.repo}` : `https://github.com/${owner}/${repoLc}`;
  const host = n.kind === 'github' ? `${owner}.github.io` : `${owner}.${n.tld ?? 'com'}`;
  const out = {};
  for (const [k, v] of Object.entries(s)) {  // keep the shape's key order
    switch (k) {
      case 'name': out.name = name; break;
      case 'version': out.version = version; break;
      case 'title': out.title = title(n.repo).slice(0, 100); break;
      case 'description': out.description = n.description; break;
      case 'websiteUrl': out.websiteUrl = `https://${host}/docs/${repoLc}`; break;
      case 'repository': {
        const r = { ...v, url: gh };
        if (r.id) r.id = n.repoId;
        if (r.subfolder) r.subfolder = `src/${repoLc}`;
        out.repository = r;
        break;
      }
      case 'packages': out.packages = v.map(p => rewritePackage(p, n, version, owner, repoLc, gh)); break;
      case 'remotes':
        out.remotes = v.map(r => ({ ...r, url: r.url.replace(/^https:\/\/[^/]+/, `https://mcp.${host}`) }));
        break;
      default: out[k] = v;
    }
  }
  if (!isNewest) out.$schema = out.$schema?.replace('2025-12-11', '2025-10-17');
  return out;
}
function rewritePackage(p, n, version, owner, repoLc, gh) {
  const q = { ...p };
  switch (p.registryType) {
    case 'npm': q.identifier = chance(0.5) ? `@${owner}/${repoLc}` : repoLc; break;
    case 'pypi': q.identifier = repoLc.replace(/_/g, '-'); break;
    case 'cargo': q.identifier = repoLc.replace(/\./g, '-'); break;
    case 'nuget': q.identifier = `${cap(owner)}.${title(n.repo).replace(/ /g, '')}`; break;
    case 'oci': q.identifier = `${pick(['docker.io', 'ghcr.io', 'quay.io'])}/${owner}/${repoLc}:${version}`; break;
    case 'mcpb': q.identifier = `${gh}/releases/download/v${version}/${repoLc}.mcpb`; break;
    default: break;
  }
  if ('version' in q) q.version = version;
  if (q.fileSha256) q.fileSha256 = Array.from({ length: 64 }, () => randInt(0, 15).toString(16)).join('');
  return q;
}

// --- generate --------------------------------------------------------------------------------
const t0 = process.hrtime.bigint();
fs.mkdirSync(outDir, { recursive: true });
const seen = new Set();
const names = [];
const lines = [];
let bytes = 0, minLen = Infinity, maxLen = 0;
while (lines.length < TOTAL) {
  const n = makeName();
  const name = `${n.ns}/${n.repo}`;
  if (seen.has(name) || name.length > 200) continue;
  seen.add(name);
  names.push(name);
  n.description = pick(DESCRIPTIONS)(title(n.repo)).slice(0, 100);
  n.repoId = uuid();
  const shape = randInt(0, examples.length - 1);
  const count = Math.min(weighted(COUNT_WEIGHTS) + 1, TOTAL - lines.length);
  const versions = versionLadder(count);
  const latest = versions.reduce((a, b) => (semverCompare(a, b) >= 0 ? a : b));
  let t = T0 + rand() * (T1 - T0);
  versions.forEach((v, i) => {
    const ts = stamp(t);
    const line = JSON.stringify({
      server: makeServer(shape, n, v, i === versions.length - 1),
      _meta: { 'io.modelcontextprotocol.registry/official': {
        status: 'active', statusChangedAt: ts, publishedAt: ts, updatedAt: ts, isLatest: v === latest } },
    });
    lines.push(line);
    bytes += line.length + 1;
    minLen = Math.min(minLen, line.length);
    maxLen = Math.max(maxLen, line.length);
    t += randInt(3600, 20 * 86400) * 1000 + randInt(0, 999);
  });
}
fs.writeFileSync(path.join(outDir, 'data.jsonl'), lines.join('\n') + '\n');

// versions/latest of LATEST_PATHS distinct random names
const pool = names.slice();
for (let i = 0; i < LATEST_PATHS && i < pool.length; i++) {
  const j = i + Math.floor(rand() * (pool.length - i));
  [pool[i], pool[j]] = [pool[j], pool[i]];
}
const latestPaths = pool.slice(0, LATEST_PATHS).map(nm => `/v0.1/servers/${encodeURIComponent(nm)}/versions/latest`);
fs.writeFileSync(path.join(outDir, 'latest-paths.txt'), latestPaths.join('\n') + '\n');

// Search terms: substrings of names (no '/', so no escaping in the URL or the nginx file name).
// The daemon's search is a case-insensitive substring of the name over all versions, ordered by
// (name, version) with LIMIT 30: a common term fills the page early, a rare one scans the index.
const lcNames = names.map(s => s.toLowerCase());
const versionsOf = new Map();
for (const l of lines) { const m = /"name":"([^"]+)"/.exec(l); versionsOf.set(m[1], (versionsOf.get(m[1]) ?? 0) + 1); }
const matches = term => {
  const t = term.toLowerCase(); let v = 0;
  for (let i = 0; i < names.length; i++) if (lcNames[i].includes(t)) v += versionsOf.get(names[i]);
  return v;
};
const terms = new Set();
const add = t => { if (t && !t.includes('/') && !t.includes('..') && !terms.has(t)) { terms.add(t); return true; } return false; };
const common = ['mcp', 'server', 'github', 'io.github', 'com.', 'tools', 'api', 'ai', 'data', 'cloud'];
for (const c of common) add(c);
const mixCase = t => (chance(0.25) ? cap(t) : chance(0.1) ? t.toUpperCase() : t);
while (terms.size < 40) add(mixCase(pick(TOPICS)));                           // common: a topic word
while (terms.size < 110) add(mixCase(`${pick(TOPICS)}-${pick(SUFFIXES)}`));    // medium
while (terms.size < 190) {                                                     // rare: a slice of one name
  const nm = pick(names); const repo = nm.slice(nm.indexOf('/') + 1);
  const from = randInt(0, Math.max(0, repo.length - 6));
  add(mixCase(repo.slice(from, from + randInt(6, 12))));
}
while (terms.size < SEARCH_TERMS) add(pseudo(3, 4) + '-' + pick(TOPICS));      // likely no match
const termList = [...terms];
const buckets = { none: 0, under30: 0, atLeast30: 0 };
for (const t of termList) { const m = matches(t); buckets[m === 0 ? 'none' : m < 30 ? 'under30' : 'atLeast30']++; }
fs.writeFileSync(path.join(outDir, 'search-terms.txt'), termList.join('\n') + '\n');
// The long tail on its own: terms that do not fill a page (a walk of the names tests them all).
const rareList = termList.filter(t => matches(t) < 30);
fs.writeFileSync(path.join(outDir, 'search-rare-terms.txt'), rareList.join('\n') + '\n');

const ms = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(JSON.stringify({
  versions: lines.length, names: names.length, bytes, avgLineBytes: Math.round(bytes / lines.length),
  minLineBytes: minLen, maxLineBytes: maxLen, latestPaths: latestPaths.length,
  searchTerms: termList.length, searchMatches: buckets, ms: Math.round(ms),
}));
