#!/usr/bin/env node
// A 50-rule curation file for the synthetic data of gen-data.mjs, for scripts/bench-curation.sh.
//
//   node gen-rules.mjs DATA_JSONL > curation.yaml
//
// Prints the YAML (config/curation.example.yaml documents the format) on stdout: a realistic mix
// of what an operator writes, sized so that every version meets several rules:
//   12 visibility rules: 10 exclusions (namespaces, name globs, a version glob, a shape and
//      status deleted) hiding ~17% of the versions, and 2 include exceptions (default: include)
//   14 rewrites: OCI hosts (docker.io, ghcr.io, quay.io) to internal registries, every npm and
//      pypi registryBaseUrl (`from: ""`), nuget/cargo base URLs, mcpb and npm-scope identifier
//      prefixes, remote URL prefixes through an internal gateway
//    9 set rules: title, description, websiteUrl, icons for exact names and name globs
//    5 env_defaults, 5 deprecate, 5 pin_latest (real names, an older visible release)
// Only *.example hosts appear in what the rules write.
//
// Names, owners and versions that single rules target are picked from DATA_JSONL with a fixed
// rule (sorted order, fixed strides), so the same data gives the same file. The header comment
// states how many versions the visibility rules hide, by the same matching rules as
// lib/curation/decide.cpp (globs with `*` and `?`, namespaces on label boundaries, last
// matching include/exclude wins).
import fs from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node gen-rules.mjs DATA_JSONL > curation.yaml');
  process.exit(2);
}

// --- the data --------------------------------------------------------------------------------
const entries = [];  // { name, version, status, shape, types: Set, npmScopes: [...], remotes: [...] }
for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
  if (!line) continue;
  const doc = JSON.parse(line);
  const s = doc.server;
  const pk = s.packages ?? [], rm = s.remotes ?? [];
  entries.push({
    name: s.name, version: s.version,
    status: doc._meta?.['io.modelcontextprotocol.registry/official']?.status ?? 'active',
    shape: pk.length && rm.length ? 'both' : pk.length ? 'package-only' : rm.length ? 'remote-only' : 'neither',
    types: new Set(pk.map(p => p.registryType)),
    npmScopes: pk.filter(p => p.registryType === 'npm' && p.identifier.startsWith('@'))
      .map(p => p.identifier.slice(0, p.identifier.indexOf('/') + 1)),
    remotes: rm.map(r => r.url),
  });
}
const byName = new Map();
for (const e of entries) {
  if (!byName.has(e.name)) byName.set(e.name, []);
  byName.get(e.name).push(e);
}
const names = [...byName.keys()].sort();

// --- matching, as lib/curation/decide.cpp ----------------------------------------------------
const globRe = g => new RegExp('^' + g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 's');
const list = v => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
function matcher(m = {}) {
  const names = list(m.name).map(globRe), versions = list(m.version).map(globRe);
  const nss = list(m.namespace), shapes = list(m.shape), statuses = list(m.status), types = list(m.registry_type);
  return e => {
    const ns = e.name.slice(0, e.name.indexOf('/'));
    return (!names.length || names.some(r => r.test(e.name))) &&
      (!nss.length || nss.some(p => ns === p || ns.startsWith(p + '.'))) &&
      (!versions.length || versions.some(r => r.test(e.version))) &&
      (!shapes.length || shapes.includes(e.shape)) &&
      (!statuses.length || statuses.includes(e.status)) &&
      (!types.length || types.some(t => e.types.has(t)));
  };
}

// --- visibility: 10 exclusions, 2 include exceptions ------------------------------------------
// Namespaces, then the exceptions' targets, picked from the data.
const nsOf = n => n.slice(0, n.indexOf('/'));
const inNs = (n, p) => nsOf(n) === p || nsOf(n).startsWith(p + '.');
const coNames = names.filter(n => inNs(n, 'co'));
const coPartner = nsOf(coNames[Math.floor(coNames.length / 3)] ?? 'co.partner/x');
const visibility = [
  { id: 'hide-deleted', comment: 'Versions the upstream deleted (none in this data; kept as every operator has it).',
    match: { status: 'deleted' }, action: 'exclude' },
  { id: 'hide-net-tld', comment: 'Whole namespaces the organisation does not allow.',
    match: { namespace: 'net' }, action: 'exclude' },
  { id: 'hide-co-tld', match: { namespace: 'co' }, action: 'exclude' },
  { id: 'hide-crypto', comment: 'Topics under review: name globs.',
    match: { name: ['*/*crypto*', '*/*bitcoin*', '*/*ethereum*', '*/*solana*'] }, action: 'exclude' },
  { id: 'hide-social', match: { name: ['*/*twitter*', '*/*reddit*'] }, action: 'exclude' },
  { id: 'hide-crawlers', match: { name: '*/*crawler*' }, action: 'exclude' },
  { id: 'hide-unofficial', match: { name: ['*unofficial*', '*/*-community-mcp'] }, action: 'exclude' },
  { id: 'hide-labs-units', match: { name: 'com.*.labs/*' }, action: 'exclude' },
  { id: 'hide-alpha-builds', comment: 'Alpha pre-releases (betas and release candidates stay).',
    match: { version: '*-alpha.*' }, action: 'exclude' },
  { id: 'hide-unrunnable', comment: 'Neither a package nor a remote: nothing a client could run.',
    match: { shape: 'neither', namespace: 'io.github' }, action: 'exclude' },
  { id: 'allow-co-partner', comment: 'Exceptions below the exclusions: the last matching include/exclude wins.',
    match: { namespace: coPartner }, action: 'include' },
  { id: 'allow-crypto-vendors', match: { name: 'ai.*/*crypto*' }, action: 'include' },
];
const visMatchers = visibility.map(r => [matcher(r.match), r.action]);
const visible = e => {
  let v = true;
  for (const [m, a] of visMatchers) if (m(e)) v = a === 'include';
  return v;
};
const hidden = entries.filter(e => !visible(e)).length;
const visibleNames = names.filter(n => byName.get(n).some(visible));

// Deterministic picks among visible names: every k-th of the sorted list matching `pred`.
function pickNames(count, pred, offset = 0) {
  const pool = visibleNames.filter(pred);
  if (pool.length < count) throw new Error(`only ${pool.length} names for a pick of ${count}`);
  const stride = Math.floor(pool.length / count);
  return Array.from({ length: count }, (_, i) => pool[offset % stride + i * stride]);
}

// --- rewrites --------------------------------------------------------------------------------
const scopes = [...new Set(visibleNames.flatMap(n => byName.get(n).flatMap(e => e.npmScopes)))].sort();
const scopePicks = [scopes[Math.floor(scopes.length / 4)], scopes[Math.floor(scopes.length / 2)]];
const remoteCompanies = pickNames(3, n => inNs(n, 'com') && byName.get(n).some(e => e.remotes.length && visible(e)), 7);
const gatewayRule = (n, i) => {
  const url = byName.get(n).find(e => e.remotes.length).remotes[0];
  const origin = /^https:\/\/[^/]+\//.exec(url)[0];
  const owner = nsOf(n).split('.')[1];
  return { id: `gateway-${owner}`, match: { namespace: nsOf(n) },
    rewrite: [{ field: 'remote_url', from: origin, to: `https://mcp-gateway.internal.example/${owner}/` }],
    ...(i === 0 ? { comment: "Vendors' hosted endpoints through the internal gateway (prefix of remotes[].url)." } : {}) };
};
const rewrites = [
  { id: 'oci-docker-hub', comment: 'Container images through internal registries (docker.io also covers host-less names).',
    match: { registry_type: 'oci' }, rewrite: [{ field: 'oci_host', from: 'docker.io', to: 'registry.internal.example' }] },
  { id: 'oci-ghcr', match: { registry_type: 'oci' },
    rewrite: [{ field: 'oci_host', from: 'ghcr.io', to: 'ghcr-mirror.internal.example' }] },
  { id: 'oci-quay', match: { registry_type: 'oci' },
    rewrite: [{ field: 'oci_host', from: 'quay.io', to: 'quay-mirror.internal.example' }] },
  { id: 'npm-internal-registry', comment: 'Package registries: from "" sets registryBaseUrl on every package of the type.',
    rewrite: [{ field: 'registry_base_url', from: '', to: 'https://npm.internal.example', registry_type: 'npm' }] },
  { id: 'pypi-internal-registry',
    rewrite: [{ field: 'registry_base_url', from: '', to: 'https://pypi.internal.example', registry_type: 'pypi' }] },
  { id: 'nuget-internal-feed', match: { registry_type: 'nuget' },
    rewrite: [{ field: 'registry_base_url', from: 'https://api.nuget.org/', to: 'https://nuget.internal.example/', registry_type: 'nuget' }] },
  { id: 'cargo-internal-registry', match: { registry_type: 'cargo' },
    rewrite: [{ field: 'registry_base_url', from: 'https://crates.io', to: 'https://crates.internal.example', registry_type: 'cargo' }] },
  { id: 'mcpb-artifact-proxy', comment: 'Bundles downloaded through an artifact proxy (identifier prefix).',
    match: { registry_type: 'mcpb' },
    rewrite: [{ field: 'package_identifier', from: 'https://github.com/', to: 'https://artifacts.internal.example/github/', registry_type: 'mcpb' }] },
  ...scopePicks.map((s, i) => ({
    id: `npm-scope-${s.slice(1, -1).toLowerCase().replace(/[^a-z0-9._-]/g, '-')}`,
    ...(i === 0 ? { comment: 'Vetted forks of two npm scopes (identifier prefix).' } : {}),
    match: { registry_type: 'npm' },
    rewrite: [{ field: 'package_identifier', from: s, to: `@internal-${s.slice(1)}`, registry_type: 'npm' }] })),
  { id: 'github-pages-remotes', comment: 'Remotes of io.github servers through the egress proxy.',
    match: { namespace: 'io.github', transport: ['streamable-http', 'sse'] },
    rewrite: [{ field: 'remote_url', from: 'https://mcp.', to: 'https://egress.internal.example/mcp.' }] },
  ...remoteCompanies.map(gatewayRule),
];

// --- set -------------------------------------------------------------------------------------
const featured = pickNames(4, n => inNs(n, 'io.github') || inNs(n, 'com'), 3);
const icon = (slug, extra = {}) => ({ src: `https://assets.internal.example/icons/${slug}.png`, mimeType: 'image/png', sizes: ['48x48', '96x96'], ...extra });
const tidy = s => s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
const sets = [
  ...featured.map((n, i) => ({
    id: `present-${tidy(n.slice(n.indexOf('/') + 1))}-${i + 1}`,
    ...(i === 0 ? { comment: 'Featured servers, presented the way users know them.' } : {}),
    match: { name: n },
    set: { title: `Featured: ${n.slice(n.indexOf('/') + 1)}`.slice(0, 100),
      description: `Vetted by the platform team (${nsOf(n)})`.slice(0, 100),
      website_url: `https://catalog.internal.example/servers/${tidy(n)}`,
      icons: [icon(tidy(n)), { src: `https://assets.internal.example/icons/${tidy(n)}-dark.svg`, mimeType: 'image/svg+xml', sizes: ['any'], theme: 'dark' }] } })),
  { id: 'icons-github-topic', comment: 'Icons and docs by topic (name globs).',
    match: { name: '*/*github*' }, set: { icons: [icon('github')] } },
  { id: 'icons-slack-topic', match: { name: ['*/*slack*', '*/*discord*'] }, set: { icons: [icon('chat')] } },
  { id: 'icons-database-topic', match: { name: ['*/*postgres*', '*/*mysql*', '*/*sqlite*', '*/*duckdb*'] },
    set: { icons: [icon('database'), icon('database-dark', { theme: 'dark' })] } },
  { id: 'docs-kubernetes', match: { name: ['*/*kubernetes*', '*/*docker*'] },
    set: { website_url: 'https://docs.internal.example/platform/containers', description: 'Container tooling; read the platform guide before use' } },
  { id: 'docs-payments', match: { name: ['*/*stripe*', '*/*payments*', '*/*invoice*'] },
    set: { website_url: 'https://docs.internal.example/finance/mcp', title: 'Payments (finance approved)' } },
];

// --- env_defaults, deprecate, pin_latest -----------------------------------------------------
const envs = [
  { id: 'env-log-level', comment: 'Defaults for packages\' environment variables (added where missing).',
    match: { shape: ['package-only', 'both'] }, env_defaults: { LOG_LEVEL: 'warn' } },
  { id: 'env-proxy', match: { namespace: 'com', shape: ['package-only', 'both'] },
    env_defaults: { HTTPS_PROXY: 'http://proxy.internal.example:3128', NO_PROXY: '.internal.example' } },
  { id: 'env-weather-units', match: { name: '*/*weather*' }, env_defaults: { WEATHER_UNITS: 'metric' } },
  { id: 'env-db-ssl', match: { registry_type: 'oci', name: ['*/*postgres*', '*/*mysql*', '*/*sql*'] },
    env_defaults: { SSL_MODE: 'require' } },
  { id: 'env-region', match: { namespace: ['ai', 'io.github'], registry_type: ['npm', 'pypi'] },
    env_defaults: { CLOUD_REGION: 'eu-west-1' } },
];
const deprecations = [
  { id: 'deprecate-zero-zero', comment: 'Deprecations: the message is served in the official block.',
    match: { version: '0.0.*' }, deprecate: 'Pre-1.0 builds are unsupported here; upgrade to a 0.1+ release' },
  { id: 'deprecate-betas', match: { version: ['*-beta.*', '*-rc.*'] }, deprecate: 'Pre-release; use the matching release' },
  { id: 'deprecate-old-schema-github', match: { namespace: 'io.github', schema_before: '2025-10-01' },
    deprecate: 'Published with a schema older than 2025-10; republish' },
  { id: 'deprecate-legacy-sse', match: { transport: 'sse', version: ['0.*', '1.*'] },
    deprecate: 'SSE transport is being retired; use streamable-http' },
  { id: 'deprecate-v2-forks', match: { name: '*/*-v2-mcp', version: '0.*' }, deprecate: 'Superseded by the 1.x line' },
];
// pin_latest: names with >= 3 visible releases, pinned to their second-newest visible release.
const releases = n => byName.get(n).filter(e => visible(e) && !e.version.includes('-')).map(e => e.version);
const pinnable = n => releases(n).length >= 3;
const pins = pickNames(5, pinnable, 11).map((n, i) => {
  const vs = releases(n);  // publish order = SemVer order
  return { id: `pin-${tidy(n.slice(n.indexOf('/') + 1))}-${i + 1}`,
    ...(i === 0 ? { comment: 'Known-good versions served as latest.' } : {}),
    match: { name: n }, pin_latest: vs[vs.length - 2] };
});

// --- print -----------------------------------------------------------------------------------
const rules = [...visibility, ...rewrites, ...sets, ...envs, ...deprecations, ...pins];
const ids = new Set(rules.map(r => r.id));
if (ids.size !== rules.length) throw new Error('duplicate rule ids');
for (const r of rules) if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(r.id)) throw new Error(`bad id ${r.id}`);

// Plain where YAML reads the word as the same string, else double-quoted (YAML accepts JSON strings).
const q = s => (/^[A-Za-z][A-Za-z0-9._-]*$/.test(s) && !/^(true|false|yes|no|on|off|null|y|n)$/i.test(s) ? s : JSON.stringify(String(s)));
const val = v => (Array.isArray(v) ? `[${v.map(q).join(', ')}]` : q(v));
const out = [];
out.push('# Generated by scripts/bench/gen-rules.mjs for the synthetic data of scripts/bench/gen-data.mjs.',
  `# ${rules.length} rules: ${visibility.length} visibility, ${rewrites.length} rewrite, ${sets.length} set, ` +
  `${envs.length} env_defaults, ${deprecations.length} deprecate, ${pins.length} pin_latest.`,
  `# expected: ${hidden} of ${entries.length} versions hidden (${(100 * hidden / entries.length).toFixed(1)}%), ` +
  `${names.length - visibleNames.length} of ${names.length} names entirely`,
  'default: include', '', 'rules:');
for (const r of rules) {
  if (r.comment) out.push(`  # ${r.comment}`);
  out.push(`  - id: ${r.id}`);
  if (r.match) {
    out.push('    match:');
    for (const [k, v] of Object.entries(r.match)) out.push(`      ${k}: ${val(v)}`);
  }
  if (r.action) out.push(`    action: ${r.action}`);
  if (r.rewrite) {
    out.push('    rewrite:');
    for (const w of r.rewrite) {
      const [first, ...rest] = Object.entries(w);
      out.push(`      - ${first[0]}: ${q(first[1])}`);
      for (const [k, v] of rest) out.push(`        ${k}: ${q(v)}`);
    }
  }
  if (r.set) {
    out.push('    set:');
    for (const [k, v] of Object.entries(r.set)) {
      if (k !== 'icons') { out.push(`      ${k}: ${q(v)}`); continue; }
      out.push('      icons:');
      for (const i of v) {
        const [first, ...rest] = Object.entries(i);
        out.push(`        - ${first[0]}: ${q(first[1])}`);
        for (const [ik, iv] of rest) out.push(`          ${ik}: ${val(iv)}`);
      }
    }
  }
  if (r.env_defaults) {
    out.push('    env_defaults:');
    for (const [k, v] of Object.entries(r.env_defaults)) out.push(`      ${k}: ${q(v)}`);
  }
  if (r.deprecate) out.push(`    deprecate: ${q(r.deprecate)}`);
  if (r.pin_latest) out.push(`    pin_latest: ${q(r.pin_latest)}`);
}
process.stdout.write(out.join('\n') + '\n');
