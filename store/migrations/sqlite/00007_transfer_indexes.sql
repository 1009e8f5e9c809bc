-- +goose Up
-- transfers_batch_status (batch_id, status) serves every lookup by batch:
-- the index on batch_id alone only cost every insert and status change of
-- a transfer one more index entry.
DROP INDEX transfers_batch;

-- +goose Down
CREATE INDEX transfers_batch ON transfers (batch_id);
