-- 0006: a served row shares its bytes with the mirrored row when no rule changed them.
-- 0004 stored every served version's server.json again beside the mirrored one, so the database
-- held two copies of nearly every document (2.5× the JSON it mirrors). Now `server_json` of a
-- served row is NULL when its bytes are the mirrored row's of the same (name, version); it
-- holds bytes only where a rule rewrote them, and for local servers (no mirrored row). Readers
-- select COALESCE(served bytes, mirrored bytes) (store/row_columns.cpp); the writer detaches a
-- shared row (copies the old bytes in) before it changes a mirrored row's bytes, so the refresh
-- that follows in the same transaction still sees what was served and records the change.
-- SQLite cannot relax NOT NULL in place: the table is rebuilt, its indexes and triggers with it.
CREATE TABLE served_versions_0006 (
  name               TEXT    NOT NULL COLLATE BINARY,
  version            TEXT    NOT NULL COLLATE BINARY,
  server_json        TEXT,  -- NULL: the bytes of server_versions (name, version)
  status             TEXT    NOT NULL CHECK (status IN ('active', 'deprecated', 'deleted')),
  status_message     TEXT,
  status_changed_at  TEXT    NOT NULL,
  status_changed_at_us INTEGER NOT NULL,
  published_at       TEXT    NOT NULL,
  published_at_us    INTEGER NOT NULL,
  updated_at         TEXT    NOT NULL,
  updated_at_us      INTEGER NOT NULL,
  is_latest          INTEGER NOT NULL CHECK (is_latest IN (0, 1)),
  source             TEXT    NOT NULL CHECK (source IN ('upstream', 'import', 'seed', 'local')),
  first_seen_us      INTEGER NOT NULL,
  last_changed_us    INTEGER NOT NULL,
  change_seq         INTEGER NOT NULL,
  -- The `_meta["<namespace>/curation"]` object of this version (0004); NULL when no rule
  -- changed it.
  curation           TEXT,
  PRIMARY KEY (name, version)
) STRICT;

INSERT INTO served_versions_0006
  SELECT s.name, s.version,
         CASE WHEN s.server_json = m.server_json THEN NULL ELSE s.server_json END,
         s.status, s.status_message, s.status_changed_at, s.status_changed_at_us, s.published_at,
         s.published_at_us, s.updated_at, s.updated_at_us, s.is_latest, s.source, s.first_seen_us,
         s.last_changed_us, s.change_seq, s.curation
  FROM served_versions s LEFT JOIN server_versions m ON m.name = s.name AND m.version = s.version
  ORDER BY s.name, s.version;

-- Dropping a table drops its indexes and triggers and fires no DELETE trigger: served_names
-- (and 0005's index of it) stay as they are, they list the same names.
DROP TABLE served_versions;
ALTER TABLE served_versions_0006 RENAME TO served_versions;

CREATE UNIQUE INDEX served_versions_one_latest ON served_versions (name) WHERE is_latest = 1;
CREATE INDEX served_versions_by_updated ON served_versions (updated_at_us);

CREATE TRIGGER served_names_add AFTER INSERT ON served_versions
BEGIN
  INSERT OR IGNORE INTO served_names (name) VALUES (NEW.name);
END;

CREATE TRIGGER served_names_remove AFTER DELETE ON served_versions
WHEN NOT EXISTS (SELECT 1 FROM served_versions WHERE name = OLD.name)
BEGIN
  DELETE FROM served_names WHERE name = OLD.name;
END;
