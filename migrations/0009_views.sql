-- Views (config `views:`): one catalog per audience from the one mirrored copy of the data.
--
-- A view is stored as its difference from the root's served view (served_versions), so it costs
-- what its rules change, not a copy of every version: a row here either hides a root row
-- (`hidden` = 1, the data columns NULL) or is the view's own row of a version (a rule changed it,
-- its isLatest differs, the root does not serve it, or its own change time differs). Every
-- other root row is the view's as it is. Readers overlay the two (store/reader_views.cpp); the
-- writer keeps them in step in the transaction that changes the root (store/view_refresh.cpp).
-- A row's NULL bytes are its origin's mirrored bytes, as in served_versions (0006).
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

-- The rows a view shows on its own, in key order: what a list page merges with the root's rows,
-- without stepping over the (often many more) hidden markers.
CREATE INDEX view_versions_shown ON view_versions (view, name, version) WHERE hidden = 0;

-- Each view's change feed, with its own sequence (mirror_state 'view.<name>.seq'), so a commit
-- that changes nothing a view shows moves neither its feed nor its ETags.
CREATE TABLE view_changes (
  view    TEXT    NOT NULL COLLATE BINARY,
  seq     INTEGER NOT NULL,
  at_us   INTEGER NOT NULL,
  name    TEXT    NOT NULL,
  version TEXT,
  kind    TEXT    NOT NULL,
  PRIMARY KEY (view, seq)
) STRICT, WITHOUT ROWID;

CREATE INDEX view_changes_by_time ON view_changes (view, at_us);
