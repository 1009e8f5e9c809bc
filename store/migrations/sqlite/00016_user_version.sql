-- +goose Up
-- A user row's version counts its changes, so that a use case that read the
-- user, then asked Discord, can tell whether anything changed meanwhile.
ALTER TABLE users ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE users DROP COLUMN version;
