#!/usr/bin/env node
// One round of upstream changes for scripts/soak.sh, as a file for `mcp-mirror import`.
//
//   node mutate.mjs ROUND OUT_FILE
//
// Round k (k >= 1) publishes 20 new names io.github.soak-r<k>/server-<i> and version 1.<k>.0 of
// io.github.soak/rolling (its new latest); from round 2 on it also edits round k-1's server-1
// (description "... edited in round <k>"), deprecates its server-2 and deletes its server-3.
// Every entry carries an official block with updatedAt = now, so a follower's incremental sync
// (updated_since) sees it. Prints what a follower must serve afterwards, as
// `<path> <substring of the body>` lines, for the soak's convergence check.
import fs from 'node:fs';

const round = Number(process.argv[2]);
const outFile = process.argv[3];
if (!Number.isInteger(round) || round < 1 || !outFile) {
  console.error('usage: node mutate.mjs ROUND OUT_FILE');
  process.exit(2);
}
const now = new Date().toISOString();
const server = (name, version, description) => ({
  $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
  name, description, version,
  repository: { url: `https://github.com/${name.split('/')[0].replace('io.github.', '')}/${name.split('/')[1]}`, source: 'github' },
  packages: [{ registryType: 'npm', identifier: `@soak/${name.split('/')[1]}`, version, transport: { type: 'stdio' } }],
});
const entry = (s, status = 'active', isLatest = true) => JSON.stringify({
  server: s,
  _meta: { 'io.modelcontextprotocol.registry/official': {
    status, statusChangedAt: now, publishedAt: now, updatedAt: now, isLatest } },
});
const lines = [];
for (let i = 1; i <= 20; i++)
  lines.push(entry(server(`io.github.soak-r${round}/server-${i}`, '1.0.0', `Soak server ${i} of round ${round}`)));
lines.push(entry(server('io.github.soak/rolling', `1.${round}.0`, `Rolling soak server, round ${round}`)));
const expect = [
  `/v0.1/servers/io.github.soak%2Frolling/versions/latest "version":"1.${round}.0"`,
  `/v0.1/servers/io.github.soak-r${round}%2Fserver-20/versions/1.0.0 "Soak server 20 of round ${round}"`,
];
if (round > 1) {
  const p = round - 1;
  lines.push(entry(server(`io.github.soak-r${p}/server-1`, '1.0.0', `Soak server 1 of round ${p}, edited in round ${round}`)));
  lines.push(entry(server(`io.github.soak-r${p}/server-2`, '1.0.0', `Soak server 2 of round ${p}`), 'deprecated'));
  lines.push(entry(server(`io.github.soak-r${p}/server-3`, '1.0.0', `Soak server 3 of round ${p}`), 'deleted'));
  expect.push(`/v0.1/servers/io.github.soak-r${p}%2Fserver-1/versions/1.0.0 edited in round ${round}"`);
  expect.push(`/v0.1/servers/io.github.soak-r${p}%2Fserver-2/versions/1.0.0 "status":"deprecated"`);
}
fs.writeFileSync(outFile, lines.join('\n') + '\n');
console.log(expect.join('\n'));
