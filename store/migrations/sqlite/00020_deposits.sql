-- +goose Up
-- A user's declared deposit into one of their accounts, confirmed (posted
-- world → user) or rejected by staff other than the depositor.
CREATE TABLE deposits (
    id           INTEGER PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    account_id   INTEGER NOT NULL REFERENCES accounts (id),
    currency     TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    method       TEXT NOT NULL,
    proof_url    TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL,
    decided_by   TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX deposits_status ON deposits (status, created_at);
CREATE INDEX deposits_user ON deposits (user_id, id);

-- A transfer paid from the client's balance in the send currency: its
-- amount is held while it is pending or taken, and posted from the
-- client's account at completion.
ALTER TABLE transfers ADD COLUMN from_balance INTEGER NOT NULL DEFAULT 0;
CREATE INDEX transfers_balance_held ON transfers (client_id, from_currency) WHERE from_balance AND status IN ('pending', 'taken');

-- +goose Down
DROP INDEX transfers_balance_held;
ALTER TABLE transfers DROP COLUMN from_balance;
DROP TABLE deposits;
