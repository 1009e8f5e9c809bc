-- +goose Up
-- Audit events are written unsealed, in the business transaction, to
-- audit_pending: one INSERT and no lock shared with other transactions.
-- The sealer moves committed rows into audit_events in batches, in the
-- order of id, chaining each (seq, prev_hash, hash) under the audit_head
-- row lock, and deletes them here in the same transaction, so each event
-- is sealed exactly once. audit_events keeps only sealed events.

CREATE TABLE audit_pending (
    id              INTEGER PRIMARY KEY,
    time            INTEGER NOT NULL,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL,
    entity_type     TEXT NOT NULL,
    entity_id       TEXT NOT NULL,
    before          TEXT NOT NULL,
    after           TEXT NOT NULL,
    idempotency_key TEXT NOT NULL
);

-- +goose Down
DROP TABLE audit_pending;
