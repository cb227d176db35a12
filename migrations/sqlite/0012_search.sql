-- Search outbox: every write to a searchable entity appends a row in the same transaction; each node
-- tails the table by seq and re-reads the entity into its own index (ADR 0011). Purged after a day.
CREATE TABLE search_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('massnahme', 'idee', 'aussage', 'werkstatt', 'leitbild', 'beteiligung')),
    entity_id BIGINT NOT NULL,
    changed_at BIGINT NOT NULL
);
CREATE INDEX search_changes_changed_at ON search_changes (changed_at);
