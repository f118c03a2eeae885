#!/usr/bin/env node
// Summarises h2load runs of one endpoint and server for scripts/bench-serve.sh.
//
//   node h2load-stats.mjs H2LOAD_STDOUT H2LOAD_LOG_FILE [H2LOAD_STDOUT H2LOAD_LOG_FILE ...]
//
// Prints one line: `REQ_S REQ_S_MIN REQ_S_MAX P50_MS P99_MS LOGGED PROBLEMS`, where REQ_S is the
// median of the runs' req/s, P50/P99 are nearest-rank percentiles over the pooled per-request
// latencies of all runs, and PROBLEMS is `ok` or a comma-separated list without spaces
// (failed/errored/timed-out requests, non-2xx statuses, nothing measured). h2load prints only
// mean/sd/max latency, so the percentiles come from --log-file, whose third column is the
// microseconds from request start to end of response.
import fs from 'node:fs';

const args = process.argv.slice(2);
if (!args.length || args.length % 2) {
  console.error('usage: node h2load-stats.mjs OUT LOG [OUT LOG ...]');
  process.exit(2);
}
// H2LOAD_EXPECT=304: the run measures conditional requests, so 304 is the expected status.
const expect304 = process.env.H2LOAD_EXPECT === '304';
const problems = [];
const rates = [];
const lat = [];
for (let i = 0; i < args.length; i += 2) {
  const out = fs.readFileSync(args[i], 'utf8');
  const run = args.length > 2 ? `run ${i / 2 + 1}: ` : '';
  const fin = /finished in [\d.]+\w+, ([\d.]+) req\/s/.exec(out);
  if (fin) rates.push(Number(fin[1]));
  else problems.push(`${run}no "finished in" line`);
  const reqs = /requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(out);
  if (!reqs) problems.push(`${run}no "requests:" line`);
  else {
    const [, , , , succeeded, failed, errored, timeout] = reqs.map(Number);
    if (succeeded === 0) problems.push(`${run}0 succeeded`);
    if (failed) problems.push(`${run}${failed} failed`);
    if (errored) problems.push(`${run}${errored} errored`);
    if (timeout) problems.push(`${run}${timeout} timeout`);
  }
  const codes = /status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/.exec(out);
  if (!codes) problems.push(`${run}no "status codes:" line`);
  else {
    const [, c2, c3, c4, c5] = codes.map(Number);
    if (expect304 ? c2 || c4 || c5 : c3 || c4 || c5)
      problems.push(`${run}unexpected: ${c2} 2xx, ${c3} 3xx, ${c4} 4xx, ${c5} 5xx`);
  }
  let bad = 0, n = 0;
  for (const line of fs.readFileSync(args[i + 1], 'utf8').split('\n')) {
    if (!line) continue;
    const [, status, us] = line.split('\t');
    if (expect304 ? Number(status) !== 304 : !(status >= 200 && status < 300)) bad++;
    lat.push(Number(us));
    n++;
  }
  if (bad) problems.push(`${run}${bad} logged ${expect304 ? 'non-304' : 'non-2xx'}`);
  if (!n) problems.push(`${run}empty log`);
}

const sorted = a => Float64Array.from(a).sort();
const r = sorted(rates);
const median = r.length ? (r.length % 2 ? r[(r.length - 1) / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2) : NaN;
const l = sorted(lat);
const pct = p => (l.length ? l[Math.min(l.length - 1, Math.ceil((p / 100) * l.length) - 1)] / 1000 : NaN);

console.log([median.toFixed(0), (r[0] ?? NaN).toFixed(0), (r[r.length - 1] ?? NaN).toFixed(0),
  pct(50).toFixed(2), pct(99).toFixed(2), l.length,
  problems.length ? problems.join(',').replace(/ /g, '_') : 'ok'].join(' '));
