-- 0002: the distinct server names, kept by triggers, for `search`.
-- `search` is a substring match on names (docs/upstream-api.md: Request handling), which no B-tree
-- index can answer; scanning the ~25k distinct names instead of the ~100k versions, with a plain
-- byte comparison (mirror_contains, registered by the store) instead of LIKE, keeps an uncached
-- search well under a millisecond at upstream scale.
CREATE TABLE server_names (
  name TEXT PRIMARY KEY COLLATE BINARY
) STRICT, WITHOUT ROWID;

INSERT INTO server_names (name) SELECT DISTINCT name FROM server_versions;

CREATE TRIGGER server_names_add AFTER INSERT ON server_versions
BEGIN
  INSERT OR IGNORE INTO server_names (name) VALUES (NEW.name);
END;

CREATE TRIGGER server_names_remove AFTER DELETE ON server_versions
WHEN NOT EXISTS (SELECT 1 FROM server_versions WHERE name = OLD.name)
BEGIN
  DELETE FROM server_names WHERE name = OLD.name;
END;
