-- +goose Up
-- Business flows: referrals, quotes kept whole, agent commissions per
-- transfer, one transfer per quote, the outbox's message references.

ALTER TABLE users ADD COLUMN invite_code TEXT;
CREATE UNIQUE INDEX users_invite_code ON users (invite_code) WHERE invite_code IS NOT NULL;

ALTER TABLE quotes ADD COLUMN agent_id TEXT NOT NULL DEFAULT '';
ALTER TABLE quotes ADD COLUMN agent_share_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE quotes ADD COLUMN user_type TEXT NOT NULL DEFAULT 'client';

ALTER TABLE transfers ADD COLUMN agent_id TEXT NOT NULL DEFAULT '';
ALTER TABLE transfers ADD COLUMN agent_share_minor INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX transfers_quote ON transfers (quote_id);
CREATE INDEX transfers_cashier ON transfers (cashier_id, updated_at);
CREATE INDEX transfers_batch_status ON transfers (batch_id, status);

CREATE INDEX withdrawals_account ON withdrawals (account_id, status);
CREATE INDEX batches_cashier ON batches (cashier_id, opened_at);
CREATE INDEX rules_status ON rules (status, rule_id);

-- +goose Down
DROP INDEX rules_status;
DROP INDEX batches_cashier;
DROP INDEX withdrawals_account;
DROP INDEX transfers_batch_status;
DROP INDEX transfers_cashier;
DROP INDEX transfers_quote;
ALTER TABLE transfers DROP COLUMN agent_share_minor;
ALTER TABLE transfers DROP COLUMN agent_id;
ALTER TABLE quotes DROP COLUMN user_type;
ALTER TABLE quotes DROP COLUMN agent_share_minor;
ALTER TABLE quotes DROP COLUMN agent_id;
DROP INDEX users_invite_code;
ALTER TABLE users DROP COLUMN invite_code;
