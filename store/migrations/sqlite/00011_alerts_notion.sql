-- +goose Up
-- Liquidity and exposure alerts: one row per crossing of a rule's
-- threshold, raised when the periodic check first sees it and cleared when
-- it first sees it gone. The partial unique index allows one active alert
-- per rule and subject, so two checks (two processes, or a restart) that
-- see the same crossing raise it once.
CREATE TABLE alerts (
    id         INTEGER PRIMARY KEY,
    rule       TEXT NOT NULL,
    subject    TEXT NOT NULL,
    batch_id   INTEGER REFERENCES batches (id),
    currency   TEXT NOT NULL DEFAULT '',
    value      INTEGER NOT NULL,
    lim        INTEGER NOT NULL,
    raised_at  INTEGER NOT NULL,
    cleared_at INTEGER
);
CREATE UNIQUE INDEX alerts_active ON alerts (rule, subject) WHERE cleared_at IS NULL;

-- The Notion page that shows each entity, so that a retry or a later
-- change updates the page instead of creating another.
CREATE TABLE notion_pages (
    entity    TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    page_id   TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id)
);

-- +goose Down
DROP TABLE notion_pages;
DROP TABLE alerts;
