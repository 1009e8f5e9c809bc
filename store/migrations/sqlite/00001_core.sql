-- +goose Up
-- Times are integer microseconds since the Unix epoch (UTC); rates are
-- decimal text; amounts are integer minor units beside their currency code.

CREATE TABLE currencies (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    exponent   INTEGER NOT NULL CHECK (exponent BETWEEN 0 AND 8),
    rounding   TEXT NOT NULL DEFAULT 'half_even',
    enabled    INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
);

CREATE TABLE countries (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    currency   TEXT NOT NULL DEFAULT '',
    enabled    INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
);

CREATE TABLE users (
    id           TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    phone        TEXT NOT NULL DEFAULT '',
    country      TEXT NOT NULL DEFAULT '',
    type         TEXT NOT NULL DEFAULT 'client',
    status       TEXT NOT NULL DEFAULT 'active',
    locale       TEXT NOT NULL DEFAULT 'es',
    referrer_id  TEXT NOT NULL DEFAULT '',
    roles        TEXT NOT NULL DEFAULT 'client',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

CREATE TABLE rates (
    id         INTEGER PRIMARY KEY,
    base       TEXT NOT NULL REFERENCES currencies (code),
    quote      TEXT NOT NULL REFERENCES currencies (code),
    value      TEXT NOT NULL,
    set_by     TEXT NOT NULL,
    valid_from INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX rates_pair ON rates (base, quote, valid_from DESC, id DESC);

CREATE TABLE accounts (
    id           INTEGER PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    currency     TEXT NOT NULL REFERENCES currencies (code),
    status       TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    decided_by   TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX accounts_one_live ON accounts (user_id, currency) WHERE status <> 'rejected';

CREATE TABLE rules (
    id           INTEGER PRIMARY KEY,
    rule_id      INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    status       TEXT NOT NULL,
    name         TEXT NOT NULL,
    priority     INTEGER NOT NULL,
    definition   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    published_at INTEGER,
    UNIQUE (rule_id, version)
);

CREATE TABLE quotes (
    id               INTEGER PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES users (id),
    from_currency    TEXT NOT NULL,
    to_currency      TEXT NOT NULL,
    from_country     TEXT NOT NULL,
    to_country       TEXT NOT NULL,
    send_minor       INTEGER NOT NULL,
    commission_minor INTEGER NOT NULL,
    receive_minor    INTEGER NOT NULL,
    rate_id          INTEGER NOT NULL REFERENCES rates (id),
    rate             TEXT NOT NULL,
    detail           TEXT NOT NULL,
    expires_at       INTEGER NOT NULL,
    created_at       INTEGER NOT NULL
);

CREATE TABLE batches (
    id             INTEGER PRIMARY KEY,
    cashier_id     TEXT NOT NULL REFERENCES users (id),
    base           TEXT NOT NULL REFERENCES currencies (code),
    quote          TEXT NOT NULL REFERENCES currencies (code),
    capital_minor  INTEGER NOT NULL,
    cost_rate      TEXT NOT NULL,
    status         TEXT NOT NULL,
    summary        TEXT,
    opened_at      INTEGER NOT NULL,
    closed_at      INTEGER
);
CREATE UNIQUE INDEX batches_one_open ON batches (cashier_id, base, quote) WHERE status = 'open';

CREATE TABLE transfers (
    id                 INTEGER PRIMARY KEY,
    client_id          TEXT NOT NULL REFERENCES users (id),
    quote_id           INTEGER NOT NULL REFERENCES quotes (id),
    status             TEXT NOT NULL,
    from_currency      TEXT NOT NULL,
    to_currency        TEXT NOT NULL,
    from_country       TEXT NOT NULL,
    to_country         TEXT NOT NULL,
    send_minor         INTEGER NOT NULL,
    commission_minor   INTEGER NOT NULL,
    receive_minor      INTEGER NOT NULL,
    beneficiary_name   TEXT NOT NULL,
    beneficiary_bank   TEXT NOT NULL,
    beneficiary_number TEXT NOT NULL,
    beneficiary_doc    TEXT NOT NULL,
    cashier_id         TEXT NOT NULL DEFAULT '',
    batch_id           INTEGER REFERENCES batches (id),
    reference          TEXT NOT NULL DEFAULT '',
    proof_url          TEXT NOT NULL DEFAULT '',
    reason             TEXT NOT NULL DEFAULT '',
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX transfers_status ON transfers (status, created_at);
CREATE INDEX transfers_client ON transfers (client_id, created_at);
CREATE INDEX transfers_batch ON transfers (batch_id);

CREATE TABLE withdrawals (
    id           INTEGER PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    account_id   INTEGER NOT NULL REFERENCES accounts (id),
    currency     TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    status       TEXT NOT NULL,
    decided_by   TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX withdrawals_status ON withdrawals (status, created_at);

CREATE TABLE journal_entries (
    id          INTEGER PRIMARY KEY,
    time        INTEGER NOT NULL,
    description TEXT NOT NULL,
    ref_type    TEXT NOT NULL DEFAULT '',
    ref_id      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX journal_entries_ref ON journal_entries (ref_type, ref_id);

CREATE TABLE postings (
    id       INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES journal_entries (id),
    account  TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount   INTEGER NOT NULL CHECK (amount <> 0)
);
CREATE INDEX postings_account ON postings (account, entry_id);

-- Cached balances of the accounts that may never go negative (user:*,
-- batch:*), updated in the transaction that posts to them.
CREATE TABLE balances (
    account  TEXT PRIMARY KEY,
    currency TEXT NOT NULL,
    balance  INTEGER NOT NULL CHECK (balance >= 0)
);

CREATE TABLE audit_events (
    seq             INTEGER PRIMARY KEY,
    time            INTEGER NOT NULL,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL,
    entity_type     TEXT NOT NULL,
    entity_id       TEXT NOT NULL,
    before          TEXT NOT NULL,
    after           TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL
);
CREATE INDEX audit_events_entity ON audit_events (entity_type, entity_id);
CREATE INDEX audit_events_actor ON audit_events (actor, time);

-- The chain's head: the one row every appender locks, as late as possible.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE TABLE idempotency (
    key          TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    result       TEXT,
    created_at   INTEGER NOT NULL
);

CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    run_at       INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    delivered_at INTEGER,
    created_at   INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox (run_at) WHERE delivered_at IS NULL;

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- +goose Down
DROP TABLE settings;
DROP TABLE outbox;
DROP TABLE idempotency;
DROP TABLE audit_head;
DROP TABLE audit_events;
DROP TABLE balances;
DROP TABLE postings;
DROP TABLE journal_entries;
DROP TABLE withdrawals;
DROP TABLE transfers;
DROP TABLE batches;
DROP TABLE quotes;
DROP TABLE rules;
DROP TABLE accounts;
DROP TABLE rates;
DROP TABLE users;
DROP TABLE countries;
DROP TABLE currencies;
