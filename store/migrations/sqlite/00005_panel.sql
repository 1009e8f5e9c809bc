-- +goose Up
-- The admin panel's logins. A session is known only by the SHA-256 of its
-- ID (the browser's cookie holds the ID itself), so a copy of the database
-- lets nobody in; the same goes for the one-time bootstrap links' tokens.
-- A session ends at expires_at (its absolute lifetime), when it has been
-- idle too long (last_seen_at, checked by the panel), or when revoked.

CREATE TABLE panel_sessions (
    id_hash      TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    lang         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    revoked_at   INTEGER
);
CREATE INDEX panel_sessions_user ON panel_sessions (user_id, expires_at);

CREATE TABLE panel_bootstrap_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);

-- The panel's reads: the audit log filtered by action, newest first, and
-- the journal entries of a period (the dashboard's daily volume).
CREATE INDEX audit_events_action ON audit_events (action, seq);
CREATE INDEX journal_entries_time ON journal_entries (time);

-- +goose Down
DROP INDEX journal_entries_time;
DROP INDEX audit_events_action;
DROP TABLE panel_bootstrap_tokens;
DROP TABLE panel_sessions;
