-- 0004: the served view. `server_versions` stays the mirrored data exactly as the upstream (or
-- an import) gave it; `served_versions` is what the API serves: the same rows after the
-- curation rules (lib/curation) — excluded versions absent, overrides applied, isLatest
-- resolved among the visible versions — plus local servers. It is materialised by the writer
-- in the same transaction as every change to its inputs (store::writer::apply,
-- store::writer::recurate), so serving costs the same with 0 or 500 rules and pagination over
-- exclusions stays exact. Removing a rule recomputes rows from the untouched upstream bytes.
CREATE TABLE served_versions (
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
  source             TEXT    NOT NULL CHECK (source IN ('upstream', 'import', 'seed', 'local')),
  first_seen_us      INTEGER NOT NULL,
  last_changed_us    INTEGER NOT NULL,
  change_seq         INTEGER NOT NULL,
  -- The `_meta["<namespace>/curation"]` object of this version (which rules changed what, and
  -- the upstream values of what they replaced in the official block); NULL when no rule did.
  curation           TEXT,
  PRIMARY KEY (name, version)
) STRICT;

CREATE UNIQUE INDEX served_versions_one_latest ON served_versions (name) WHERE is_latest = 1;
CREATE INDEX served_versions_by_updated ON served_versions (updated_at_us);

CREATE TABLE served_names (
  name TEXT PRIMARY KEY COLLATE BINARY
) STRICT, WITHOUT ROWID;

CREATE TRIGGER served_names_add AFTER INSERT ON served_versions
BEGIN
  INSERT OR IGNORE INTO served_names (name) VALUES (NEW.name);
END;

CREATE TRIGGER served_names_remove AFTER DELETE ON served_versions
WHEN NOT EXISTS (SELECT 1 FROM served_versions WHERE name = OLD.name)
BEGIN
  DELETE FROM served_names WHERE name = OLD.name;
END;

-- With no rules the view is the mirrored data itself; the daemon re-curates at start when its
-- rules' hash differs from mirror_state 'curation.hash'.
INSERT INTO served_versions
  SELECT name, version, server_json, status, status_message, status_changed_at,
         status_changed_at_us, published_at, published_at_us, updated_at, updated_at_us,
         is_latest, source, first_seen_us, last_changed_us, change_seq, NULL
  FROM server_versions;
INSERT INTO mirror_state (key, value) VALUES ('curation.hash', '');
