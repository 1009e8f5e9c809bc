-- +goose Up
-- Outbox delivery by several workers: subject names what a row is about
-- (a transfer's card, a member's roles), so that rows of one subject are
-- delivered in order and those waiting together in one go; claim is the
-- random token of the claim that holds a row, so that a worker renews only
-- its own leases and learns when it lost one.
ALTER TABLE outbox ADD COLUMN subject TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN claim TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_subject ON outbox (subject, id) WHERE delivered_at IS NULL AND given_up_at IS NULL AND subject <> '';
CREATE INDEX outbox_claim ON outbox (claim) WHERE delivered_at IS NULL AND given_up_at IS NULL AND claim <> '';

-- +goose Down
DROP INDEX outbox_claim;
DROP INDEX outbox_subject;
ALTER TABLE outbox DROP COLUMN claim;
ALTER TABLE outbox DROP COLUMN subject;
