-- +goose Up
-- A queue card is one Discord message that shows several transfers: each
-- transfer's row in discord_messages names the same message, and the worker
-- finds the transfers a message shows to draw it again.
CREATE INDEX discord_messages_by_message ON discord_messages (channel_id, message_id);

-- +goose Down
DROP INDEX discord_messages_by_message;
