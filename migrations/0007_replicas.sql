-- Exact replicas (a source that is another mcp-mirror) and the instance's identity.
--
-- relayed_meta: for rows copied from a parent mcp-mirror's served view, the members of its
-- response `_meta` other than the official block (its own "<namespace>/mirror" and
-- "<namespace>/curation" objects), as minified JSON members text. Served back verbatim in their
-- place, so a replica's pages are byte-identical to its parent's. NULL for every other row.
ALTER TABLE server_versions ADD COLUMN relayed_meta TEXT;
ALTER TABLE served_versions ADD COLUMN relayed_meta TEXT;

-- A stable id made at first start and kept: /info reports it, and followers list it in their
-- ancestry, which is how a loop of mirrors is found. A copied database keeps the id of its
-- original; give a copy a new one by deleting this row (the next start makes one:
-- store::writer::instance_id).
INSERT INTO mirror_state (key, value) VALUES ('instance.id', lower(hex(randomblob(16))));

-- The highest change sequence pruned from the feed so far: a `since` below it cannot be
-- answered completely (410 Gone), however many rows are left.
INSERT INTO mirror_state (key, value)
  VALUES ('changes.pruned_through',
          (SELECT coalesce(min(seq) - 1, (SELECT CAST(value AS INTEGER) FROM mirror_state
                                          WHERE key = 'change_seq'))
           FROM changes));
