-- Several sources (config `sources:`): each source's rows are mirrored apart, keyed by the
-- source's name (`origin`), so removing or reordering a source needs no resync. The served view
-- shows, per server name, the rows of the first configured source that has the name.
--
-- server_versions is rebuilt with `origin` in its key (name first: a name's rows of every source
-- are one index range, which the served view's refresh reads). Rows already mirrored came from
-- the one upstream of earlier versions: the source named "upstream" (what `upstream:` is called).
CREATE TABLE server_versions_0008 (
  name               TEXT    NOT NULL COLLATE BINARY,
  origin             TEXT    NOT NULL COLLATE BINARY,
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
  relayed_meta       TEXT,  -- 0007
  PRIMARY KEY (name, origin, version)
) STRICT;

INSERT INTO server_versions_0008
  SELECT name, 'upstream', version, server_json, status, status_message, status_changed_at,
         status_changed_at_us, published_at, published_at_us, updated_at, updated_at_us, is_latest,
         source, first_seen_us, last_changed_us, change_seq, relayed_meta
  FROM server_versions ORDER BY name, version;

-- Dropping the table drops its indexes and triggers and fires no DELETE trigger: server_names
-- keeps the same names.
DROP TABLE server_versions;
ALTER TABLE server_versions_0008 RENAME TO server_versions;

CREATE UNIQUE INDEX server_versions_one_latest ON server_versions (name, origin) WHERE is_latest = 1;
CREATE INDEX server_versions_by_updated ON server_versions (updated_at_us);

CREATE TRIGGER server_names_add AFTER INSERT ON server_versions
BEGIN
  INSERT OR IGNORE INTO server_names (name) VALUES (NEW.name);
END;

CREATE TRIGGER server_names_remove AFTER DELETE ON server_versions
WHEN NOT EXISTS (SELECT 1 FROM server_versions WHERE name = OLD.name)
BEGIN
  DELETE FROM server_names WHERE name = OLD.name;
END;

-- A served row says which source it shows (NULL for local servers) and, as a JSON array of
-- source names, which other sources hold the same name (NULL when none): its provenance in
-- `_meta["<namespace>/mirror"]`. A row whose bytes are shared (server_json NULL, 0006) reads them
-- from its origin's mirrored row.
ALTER TABLE served_versions ADD COLUMN origin TEXT;
ALTER TABLE served_versions ADD COLUMN shadows TEXT;
UPDATE served_versions SET origin = 'upstream' WHERE source <> 'local';
-- A local server's row could share a mirrored row's bytes (0006) when they were equal; it has no
-- source, so it gets its own copy.
UPDATE served_versions
  SET server_json = (SELECT m.server_json FROM server_versions m
                     WHERE m.name = served_versions.name AND m.version = served_versions.version)
  WHERE source = 'local' AND server_json IS NULL;

-- The sync state becomes per source: the keys of the one upstream move under its name.
UPDATE mirror_state SET key = 'source.upstream.' || substr(key, 6) WHERE key LIKE 'sync.%';
