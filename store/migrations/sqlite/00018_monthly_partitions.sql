-- +goose Up
-- A posting keeps its entry's time, as on PostgreSQL, where the postings
-- are partitioned by month of that time; one SQL text then writes and
-- reads postings on both databases. SQLite has no partitions: the column
-- only lets a statement's period be read from the postings alone. Post
-- writes it with the entry's time; the default serves only the ALTER.
ALTER TABLE postings ADD COLUMN time INTEGER NOT NULL DEFAULT 0;
UPDATE postings SET time = (SELECT e.time FROM journal_entries e WHERE e.id = postings.entry_id);

-- +goose Down
ALTER TABLE postings DROP COLUMN time;
