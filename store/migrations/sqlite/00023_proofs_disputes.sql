-- +goose Up
-- The file a cashier attached when completing a transfer, as downloaded
-- from Discord, with the SHA-256 of its bytes. At most one per transfer,
-- written in the completion's transaction.
CREATE TABLE transfer_proofs (
    transfer_id  INTEGER PRIMARY KEY REFERENCES transfers (id),
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    size         INTEGER NOT NULL,
    data         BLOB NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);

-- A client's dispute of a completed transfer: at most one per transfer.
-- refund_id is the refund a superuser made in resolving it, 0 if none.
CREATE TABLE disputes (
    id          INTEGER PRIMARY KEY,
    transfer_id INTEGER NOT NULL UNIQUE REFERENCES transfers (id),
    client_id   TEXT NOT NULL REFERENCES users (id),
    cashier_id  TEXT NOT NULL,
    reason      TEXT NOT NULL,
    status      TEXT NOT NULL,
    resolution  TEXT NOT NULL DEFAULT '',
    resolved_by TEXT NOT NULL DEFAULT '',
    refund_id   INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX disputes_status ON disputes (status, created_at);

-- +goose Down
DROP TABLE disputes;
DROP TABLE transfer_proofs;
