-- 0003: the change feed (GET /v0.1/x/<namespace>/changes).
-- One row per change applied by store::writer::apply, under the change sequence number that apply
-- assigned to it (mirror_state 'change_seq'), so `seq` is unique and only grows. `kind` is an
-- open set (see store::change_kind): added, changed, status_changed, latest_moved, removed.
-- Rows older than the configured retention are pruned inside apply.
CREATE TABLE changes (
  seq     INTEGER PRIMARY KEY,
  at_us   INTEGER NOT NULL,
  name    TEXT    NOT NULL,
  version TEXT,
  kind    TEXT    NOT NULL
) STRICT;

CREATE INDEX changes_by_time ON changes (at_us);
