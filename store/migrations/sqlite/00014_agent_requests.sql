-- +goose Up
-- A user's request to become an agent, decided by a superuser other than
-- the requester. At most one waits per user.
CREATE TABLE agent_requests (
    id         INTEGER PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    status     TEXT NOT NULL,
    decided_by TEXT NOT NULL DEFAULT '',
    reason     TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX agent_requests_one_waiting ON agent_requests (user_id) WHERE status = 'requested';

-- +goose Down
DROP TABLE agent_requests;
