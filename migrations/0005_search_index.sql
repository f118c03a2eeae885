-- 0005: a trigram index of the served names for `search`.
-- `search` is a case-insensitive (ASCII) substring of the name (docs/upstream-api.md: Request
-- handling). 0002 made it a walk over the distinct names in order, testing each with
-- mirror_contains; a rare term tests all of them. SQLite's FTS5 trigram tokenizer indexes every
-- three-character window of each name, so a term of three characters or more finds its
-- candidate names from the index. The index folds case by Unicode rules, a superset of the ASCII
-- folding the upstream applies, so the store still tests every candidate with mirror_contains:
-- the index only narrows, the answer is the same (store::reader::list; a property test compares
-- it with the plain walk). FTS5 needs integer row ids, which served_names (WITHOUT ROWID) has
-- not: served_name_ids gives each served name one, and the triggers keep both in step with it.
CREATE TABLE served_name_ids (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE BINARY
) STRICT;

CREATE VIRTUAL TABLE served_names_search USING fts5(
  name, content = 'served_name_ids', content_rowid = 'id', tokenize = 'trigram'
);

INSERT INTO served_name_ids (name) SELECT name FROM served_names ORDER BY name;
INSERT INTO served_names_search (rowid, name) SELECT id, name FROM served_name_ids;

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
