-- +goose Up
-- The panel's login rate limit, shared by every process on the database:
-- one row per client address, holding the instant (microseconds) at which
-- its bucket would be full again had every attempt so far been allowed
-- (the generic cell rate algorithm). A row whose instant has passed is as
-- good as none, and is deleted.
CREATE TABLE login_limits (
    client TEXT PRIMARY KEY,
    full_at BIGINT NOT NULL
);
CREATE INDEX login_limits_full_at ON login_limits (full_at);

-- +goose Down
DROP TABLE login_limits;
