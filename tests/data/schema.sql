CREATE TRIGGER served_names_add AFTER INSERT ON served_versions
BEGIN
  INSERT OR IGNORE INTO served_names (name) VALUES (NEW.name);
END;
CREATE TRIGGER served_names_index_add AFTER INSERT ON served_names
BEGIN
  INSERT INTO served_name_ids (name) VALUES (NEW.name);
  INSERT INTO served_names_search (rowid, name) VALUES (last_insert_rowid(), NEW.name);
END;
CREATE TRIGGER served_names_index_remove AFTER DELETE ON served_names
BEGIN
  INSERT INTO served_names_search (served_names_search, rowid, name)
    SELECT 'delete', id, name FROM served_name_ids WHERE name = OLD.name;
  DELETE FROM served_name_ids WHERE name = OLD.name;
END;
CREATE TRIGGER served_names_remove AFTER DELETE ON served_versions
WHEN NOT EXISTS (SELECT 1 FROM served_versions WHERE name = OLD.name)
BEGIN
  DELETE FROM served_names WHERE name = OLD.name;
END;
CREATE TRIGGER server_names_add AFTER INSERT ON server_versions
BEGIN
  INSERT OR IGNORE INTO server_names (name) VALUES (NEW.name);
END;
CREATE TRIGGER server_names_remove AFTER DELETE ON server_versions
WHEN NOT EXISTS (SELECT 1 FROM server_versions WHERE name = OLD.name)
BEGIN
  DELETE FROM server_names WHERE name = OLD.name;
END;
CREATE TABLE catalog_entries (
  id             INTEGER PRIMARY KEY,
  name           TEXT    NOT NULL UNIQUE COLLATE BINARY,
  status         TEXT    NOT NULL CHECK (status IN ('active', 'deprecated', 'deleted')),
  registry_types TEXT    NOT NULL,
  transports     TEXT    NOT NULL,
  shape          TEXT    NOT NULL CHECK (shape IN ('remote', 'package', 'both', 'none'))
) STRICT;
CREATE VIRTUAL TABLE catalog_search USING fts5(
  name, title, description, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE TABLE 'catalog_search_config'(k PRIMARY KEY, v) WITHOUT ROWID;
CREATE TABLE 'catalog_search_content'(id INTEGER PRIMARY KEY, c0, c1, c2);
CREATE TABLE 'catalog_search_data'(id INTEGER PRIMARY KEY, block BLOB);
CREATE TABLE 'catalog_search_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
CREATE TABLE 'catalog_search_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
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
CREATE TABLE served_name_ids (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE BINARY
) STRICT;
CREATE TABLE served_names (
  name TEXT PRIMARY KEY COLLATE BINARY
) STRICT, WITHOUT ROWID;
CREATE VIRTUAL TABLE served_names_search USING fts5(
  name, content = 'served_name_ids', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TABLE 'served_names_search_config'(k PRIMARY KEY, v) WITHOUT ROWID;
CREATE TABLE 'served_names_search_data'(id INTEGER PRIMARY KEY, block BLOB);
CREATE TABLE 'served_names_search_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
CREATE TABLE 'served_names_search_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
CREATE TABLE "served_versions" (
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
  curation           TEXT, relayed_meta TEXT, origin TEXT, shadows TEXT,
  PRIMARY KEY (name, version)
) STRICT;
CREATE TABLE server_names (
  name TEXT PRIMARY KEY COLLATE BINARY
) STRICT, WITHOUT ROWID;
CREATE TABLE "server_versions" (
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
CREATE TABLE view_changes (
  view    TEXT    NOT NULL COLLATE BINARY,
  seq     INTEGER NOT NULL,
  at_us   INTEGER NOT NULL,
  name    TEXT    NOT NULL,
  version TEXT,
  kind    TEXT    NOT NULL,
  PRIMARY KEY (view, seq)
) STRICT, WITHOUT ROWID;
CREATE TABLE view_versions (
  view               TEXT    NOT NULL COLLATE BINARY,
  name               TEXT    NOT NULL COLLATE BINARY,
  version            TEXT    NOT NULL COLLATE BINARY,
  hidden             INTEGER NOT NULL CHECK (hidden IN (0, 1)),
  server_json        TEXT,
  status             TEXT CHECK (status IN ('active', 'deprecated', 'deleted')),
  status_message     TEXT,
  status_changed_at  TEXT,
  status_changed_at_us INTEGER,
  published_at       TEXT,
  published_at_us    INTEGER,
  updated_at         TEXT,
  updated_at_us      INTEGER,
  is_latest          INTEGER CHECK (is_latest IN (0, 1)),
  source             TEXT CHECK (source IN ('upstream', 'import', 'seed', 'local')),
  first_seen_us      INTEGER,
  last_changed_us    INTEGER,
  change_seq         INTEGER,
  relayed_meta       TEXT,
  origin             TEXT,
  curation           TEXT,
  shadows            TEXT,
  PRIMARY KEY (view, name, version),
  CHECK (hidden = 1 OR (status IS NOT NULL AND is_latest IS NOT NULL AND source IS NOT NULL))
) STRICT;
CREATE INDEX changes_by_time ON changes (at_us);
CREATE INDEX served_versions_by_updated ON served_versions (updated_at_us);
CREATE UNIQUE INDEX served_versions_one_latest ON served_versions (name) WHERE is_latest = 1;
CREATE INDEX server_versions_by_updated ON server_versions (updated_at_us);
CREATE UNIQUE INDEX server_versions_one_latest ON server_versions (name, origin) WHERE is_latest = 1;
CREATE INDEX view_changes_by_time ON view_changes (view, at_us);
CREATE INDEX view_versions_shown ON view_versions (view, name, version) WHERE hidden = 0;
