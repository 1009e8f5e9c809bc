-- +goose Up
-- A statement line names the account on the other side of its move (the
-- entry's posting just before a credit, just after a debit): one index
-- seek each. It also serves reading an entry's postings.
CREATE INDEX postings_entry ON postings (entry_id, id);

-- +goose Down
DROP INDEX postings_entry;
