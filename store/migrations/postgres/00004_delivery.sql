-- +goose Up
-- Outbox delivery: a row that keeps failing is given up (kept, with its
-- error, for an operator) rather than retried forever; progress records the
-- steps of a message already done, so a retry does not repeat them; and
-- discord_messages remembers the message that shows each entity in each
-- channel, so a later notice edits that card instead of posting another.

ALTER TABLE outbox ADD COLUMN given_up_at BIGINT;
ALTER TABLE outbox ADD COLUMN progress TEXT NOT NULL DEFAULT '';

CREATE TABLE discord_messages (
    entity     TEXT NOT NULL,
    entity_id  BIGINT NOT NULL,
    channel_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id, channel_id)
);

-- +goose Down
DROP TABLE discord_messages;
ALTER TABLE outbox DROP COLUMN progress;
ALTER TABLE outbox DROP COLUMN given_up_at;
