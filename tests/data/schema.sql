CREATE TRIGGER server_names_add AFTER INSERT ON server_versions
BEGIN
  INSERT OR IGNORE INTO server_names (name) VALUES (NEW.name);
END;
CREATE TRIGGER server_names_remove AFTER DELETE ON server_versions
WHEN NOT EXISTS (SELECT 1 FROM server_versions WHERE name = OLD.name)
BEGIN
  DELETE FROM server_names WHERE name = OLD.name;
END;
CREATE TABLE changes (
  seq     INTEGER PRIMARY KEY,
  at_us   INTEGER NOT NULL,
  name    TEXT    NOT NULL,
  version TEXT,
  kind    TEXT    NOT NULL
) STRICT;
CREATE TABLE mirror_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
CREATE TABLE server_names (
  name TEXT PRIMARY KEY COLLATE BINARY
) STRICT, WITHOUT ROWID;
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
CREATE INDEX changes_by_time ON changes (at_us);
CREATE INDEX server_versions_by_updated ON server_versions (updated_at_us);
CREATE UNIQUE INDEX server_versions_one_latest ON server_versions (name) WHERE is_latest = 1;
