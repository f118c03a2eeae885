-- 0001: the mirrored server versions and the mirror's own state.
-- Append-only: never edit a released migration; add 0002_*.sql instead.

-- One row per upstream (name, version). `server_json` holds the upstream `server` object's bytes
-- (insignificant whitespace removed, docs/upstream-api.md: Responses); the official `_meta` block
-- is split into columns, timestamps kept both as the upstream's text (served back verbatim) and as
-- microseconds (compared). PRIMARY KEY on a rowid table: the key index stays small and the list
-- query walks it in BINARY (byte) order, the order of the upstream's C-collated Postgres
-- (docs/upstream-api.md: Order and pagination).
CREATE TABLE server_versions (
  name               TEXT    NOT NULL COLLATE BINARY,
  version            TEXT    NOT NULL COLLATE BINARY,
  server_json        TEXT    NOT NULL,
  status             TEXT    NOT NULL CHECK (status IN ('active', 'deprecated', 'deleted')),
  status_message     TEXT,
  status_changed_at  TEXT    NOT NULL,
  status_changed_at_us INTEGER NOT NULL,
  published_at       TEXT    NOT NULL,
  published_at_us    INTEGER NOT NULL,
  updated_at         TEXT    NOT NULL,
  updated_at_us      INTEGER NOT NULL,
  is_latest          INTEGER NOT NULL CHECK (is_latest IN (0, 1)),
  -- local bookkeeping, never served inside the official block
  source             TEXT    NOT NULL CHECK (source IN ('upstream', 'import', 'seed')),
  first_seen_us      INTEGER NOT NULL,
  last_changed_us    INTEGER NOT NULL,
  change_seq         INTEGER NOT NULL,
  PRIMARY KEY (name, version)
) STRICT;

-- Exactly one latest row per name, as upstream enforces with a unique partial index
-- (docs/upstream-api.md: Incremental sync and latest).
-- Also serves `version=latest` listings in (name) order.
CREATE UNIQUE INDEX server_versions_one_latest ON server_versions (name) WHERE is_latest = 1;

-- `updated_since` filters (incremental sync clients, chained mirrors).
CREATE INDEX server_versions_by_updated ON server_versions (updated_at_us);

-- Small key/value state: change sequence, sync watermark, seed marker.
CREATE TABLE mirror_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

INSERT INTO mirror_state (key, value) VALUES ('change_seq', '0');
