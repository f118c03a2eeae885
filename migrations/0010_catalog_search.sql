-- Ranked search (GET /v0.1/x/<ns>/search, store/catalog_index.hpp): one document per served
-- name, made from its latest served version. FTS5 indexes the words of the name, title and
-- description (BM25 ranking, prefix queries); catalog_entries holds the facets the search's
-- filters match, each list written between spaces (' npm pypi ') so one instr() finds a value.
-- The writer keeps both in step when a name's served rows change; the rows of an existing
-- database are made by the writer that opens it next ('catalog.rebuild' below).
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

INSERT INTO mirror_state (key, value) VALUES ('catalog.rebuild', '1')
  ON CONFLICT (key) DO UPDATE SET value = excluded.value;
