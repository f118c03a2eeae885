#!/usr/bin/env node
// VS Code's own MCP gallery client (npm @codingame/monaco-vscode-mcp-service-override, a build
// of VS Code's workbench sources) driven headless against the daemon: a headless
// harness, with assertions added so that it exits non-zero when anything
// is wrong.
//
//   node vscode-gallery-smoke.mjs BASE_URL [searchText]
//   env GALLERY_VERSION=v0|v0.1  skip the version probe and use that prefix (unset: VS Code
//                                probes GET {base}/v0.1/servers?limit=1, falls back to /v0)
//   env EXPECT_PAGE2=1|0         assert that a second page of 50 exists / does not exist
//
// What VS Code does and the harness checks:
//   - GET {base}/{v}/servers?limit=50&version=latest[&search=...]; every entry must survive
//     VS Code's parsing (non-empty name, description, version; if the FIRST entry fails the
//     whole page is rejected), and carry isLatest=true;
//   - later pages: the cursor is appended *unencoded* and search is dropped. All pages are
//     followed; names must never repeat and must keep increasing bytewise;
//   - GET {base}/{v}/servers/{encodeURIComponent(name)}/versions/latest for the first entry
//     must find the same name and version;
//   - with a search text, every first-page name contains it (case-insensitively);
//   - every HTTP answer VS Code received was 2xx.
import { McpGalleryService } from '@codingame/monaco-vscode-mcp-service-override/vscode/vs/platform/mcp/common/mcpGalleryService';
import { McpGalleryManifestService } from '@codingame/monaco-vscode-mcp-service-override/vscode/vs/platform/mcp/common/mcpGalleryManifestService';
import { VSBuffer, bufferToStream } from '@codingame/monaco-vscode-api/vscode/vs/base/common/buffer';
import { CancellationToken } from '@codingame/monaco-vscode-api/vscode/vs/base/common/cancellation';

const base = process.argv[2], search = process.argv[3], urls = [], failures = [];
let listed = 0;  // list entries the daemon sent (VS Code silently drops unusable ones after the first)
if (!base) { console.error('usage: node vscode-gallery-smoke.mjs BASE_URL [searchText]'); process.exit(2); }
const expectPage2 = process.env.EXPECT_PAGE2;
const fail = msg => { failures.push(msg); console.log(`FAIL ${msg}`); };
const log = { trace() {}, debug() {}, info: console.error, warn: console.error, error: (...a) => { console.error(...a); fail(`VS Code logged an error: ${a.join(' ')}`); } };
const requestService = { async request(o) {
  const r = await fetch(o.url, { method: o.type, headers: o.headers });
  const bytes = new Uint8Array(await r.arrayBuffer()); urls.push(`${r.status} ${o.url}`);
  if (r.status < 200 || r.status > 299) fail(`${r.status} ${o.url}`);
  if (/\/servers\?limit=50&/.test(o.url)) try { listed += JSON.parse(Buffer.from(bytes).toString()).servers.length; } catch {}
  return { res: { statusCode: r.status, headers: Object.fromEntries(r.headers) }, stream: bufferToStream(VSBuffer.wrap(bytes)) };
} };
class UserConfigured extends McpGalleryManifestService {   // = chat.mcp.gallery.serviceUrl set, version probed
  getMcpGalleryManifest() { return this.createMcpGalleryManifest(base, process.env.GALLERY_VERSION); } }
const gallery = new McpGalleryService(requestService, { readFile: async () => { throw new Error('no fs'); } }, log,
                                      new UserConfigured({}, requestService, log));

const seen = new Set();
let previous;
function take(items, page) {
  for (const it of items) {
    if (!it.name || !it.description || !it.version) fail(`page ${page}: entry without name/description/version: ${JSON.stringify(it.name)}`);
    if (it.isLatest !== true) fail(`page ${page}: ${it.name} ${it.version} is not isLatest in a version=latest listing`);
    if (seen.has(it.name)) fail(`page ${page}: ${it.name} listed twice`);
    if (previous !== undefined && Buffer.compare(Buffer.from(previous), Buffer.from(it.name)) >= 0)
      fail(`page ${page}: ${it.name} after ${previous} (not increasing bytewise)`);
    seen.add(it.name); previous = it.name;
  }
}

try {
  const pager = await gallery.query(search ? { text: search } : undefined, CancellationToken.None);
  console.log(`page1: ${pager.firstPage.items.length} items, hasMore=${pager.firstPage.hasMore}`);
  if (!pager.firstPage.items.length) fail('first page is empty');
  take(pager.firstPage.items, 1);
  if (search) for (const it of pager.firstPage.items)
    if (!it.name.toLowerCase().includes(search.toLowerCase())) fail(`page 1: ${it.name} does not contain "${search}"`);
  if (expectPage2 === '1' && !pager.firstPage.hasMore) fail('expected a second page (hasMore=false)');
  if (expectPage2 === '0' && pager.firstPage.hasMore) fail('expected a single page (hasMore=true)');
  let hasMore = pager.firstPage.hasMore, page = 1;
  while (hasMore && page < 100) {
    const p = await pager.getNextPage(CancellationToken.None);
    page++;
    console.log(`page${page}: ${p.items.length} items, hasMore=${p.hasMore}`);
    if (!p.items.length) fail(`page ${page} is empty although the previous page had a nextCursor`);
    take(p.items, page);
    hasMore = p.hasMore;
  }
  if (hasMore) fail('more than 100 pages');
  console.log(`listed: ${seen.size} names on ${page} page(s)` +
    (listed > seen.size ? `; note: VS Code dropped ${listed - seen.size} of ${listed} entries (empty name, description or version)` : ''));

  const first = pager.firstPage.items[0];
  const got = first ? await gallery.getMcpServersFromGallery([{ name: first.name }]) : [];
  console.log(`by name: ${got.length ? got[0].name + ' ' + got[0].version : 'NOT FOUND'}`);
  if (first && !got.length) fail(`by-name lookup of ${first.name} found nothing`);
  if (got.length && (got[0].name !== first.name || got[0].version !== first.version))
    fail(`by-name lookup of ${first.name} gave ${got[0].name} ${got[0].version}, list said ${first.version}`);
} catch (e) {
  fail(`VS Code gallery client threw: ${e?.stack ?? e}`);
}
const prefix = `${base.replace(/\/+$/, '')}/${process.env.GALLERY_VERSION ?? 'v0.1'}/servers`;
if (!urls.some(u => u.includes(`${prefix}?limit=50&version=latest`))) fail(`VS Code never asked ${prefix}?limit=50&version=latest`);
urls.forEach(u => console.log('  ' + u));
console.log(`vscode-gallery-smoke: ${failures.length ? `${failures.length} failure(s)` : 'ok'}`);
process.exit(failures.length ? 1 : 0);
