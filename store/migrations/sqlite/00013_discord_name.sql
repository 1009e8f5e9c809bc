-- +goose Up
-- The member's display name on Discord (server nickname, else global name,
-- else user name), kept beside the name typed at registration so the panel
-- names people as the server knows them.
ALTER TABLE users ADD COLUMN discord_name TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN discord_name;
