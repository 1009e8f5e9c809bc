-- +goose Up
-- Refunds and reversals of completed transfers: compensating entries,
-- never edits. One above the configured limit waits for a second
-- superuser. charged says who bore a posted one: the transfer's batch
-- (open then) or the house (the batch was closed).
CREATE TABLE refunds (
    id           INTEGER PRIMARY KEY,
    transfer_id  INTEGER NOT NULL REFERENCES transfers (id),
    client_id    TEXT NOT NULL REFERENCES users (id),
    batch_id     INTEGER NOT NULL REFERENCES batches (id),
    kind         TEXT NOT NULL,
    currency     TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    to_balance   INTEGER NOT NULL,
    reason       TEXT NOT NULL,
    status       TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    approved_by  TEXT NOT NULL DEFAULT '',
    charged      TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX refunds_transfer ON refunds (transfer_id);
CREATE INDEX refunds_batch ON refunds (batch_id, charged);
CREATE INDEX refunds_status ON refunds (status, created_at);

-- +goose Down
DROP TABLE refunds;
