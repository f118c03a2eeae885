// The upstream registry's "which version is newer" rule (docs/upstream-api.md: Incremental sync and
// latest) and the isLatest pick. Used by the fixture generator to decide the flags it writes; kept
// tiny and independent of the daemon's C++ implementation on purpose (two implementations, one
// rule).

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

export function isSemver(v) { return SEMVER.test(v); }

function cmpNum(a, b) {           // decimal strings without leading zeros, any length
  return a.length !== b.length ? a.length - b.length : (a < b ? -1 : a > b ? 1 : 0);
}

export function compareSemver(a, b) {
  const x = SEMVER.exec(a), y = SEMVER.exec(b);
  for (let i = 1; i <= 3; i++) { const c = cmpNum(x[i], y[i]); if (c) return Math.sign(c); }
  const pa = x[4], pb = y[4];
  if (pa === undefined || pb === undefined) return pa === pb ? 0 : pa === undefined ? 1 : -1;
  const ia = pa.split('.'), ib = pb.split('.');
  for (let i = 0; i < Math.min(ia.length, ib.length); i++) {
    const na = /^\d+$/.test(ia[i]), nb = /^\d+$/.test(ib[i]);
    let c;
    if (na && nb) c = cmpNum(ia[i], ib[i]);
    else if (na !== nb) c = na ? -1 : 1;            // numeric identifiers rank lower
    else c = ia[i] < ib[i] ? -1 : ia[i] > ib[i] ? 1 : 0;
    if (c) return Math.sign(c);
  }
  return Math.sign(ia.length - ib.length);
}

// <0: a older than b; >0: a newer; 0: neither wins. publishedAt values are RFC 3339 strings
// in the same format (UTC, fixed width), so they compare as strings.
export function compareVersions(a, aPublished, b, bPublished) {
  const sa = isSemver(a), sb = isSemver(b);
  if (sa && sb) return compareSemver(a, b);
  if (sa !== sb) return sa ? 1 : -1;
  return aPublished < bPublished ? -1 : aPublished > bPublished ? 1 : 0;
}

// rows: [{version, publishedAt, deleted}] in publish order → index of the latest one:
// highest non-deleted; if every version is deleted, the highest deleted.
export function pickLatest(rows) {
  const live = rows.map((r, i) => i).filter(i => !rows[i].deleted);
  const pool = live.length ? live : rows.map((r, i) => i);
  let best = pool[0];
  for (const i of pool.slice(1))
    if (compareVersions(rows[i].version, rows[i].publishedAt, rows[best].version, rows[best].publishedAt) >= 0) best = i;
  return best;
}
