-- +goose Up
-- The playground's stand-in for Discord (cambista serve without a Discord
-- token): its guild, members and messages, as JSON values by key. Nothing
-- of the business is kept here.
CREATE TABLE playground_items (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE playground_items;
