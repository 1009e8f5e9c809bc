package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/money"
)

// where builds a WHERE clause from optional conditions, numbering the
// placeholders after those already in args.
type where struct {
	conds []string
	args  []any
}

// add appends a condition whose "?" is the next placeholder, unless skip.
func (w *where) add(skip bool, cond string, arg any) {
	if skip {
		return
	}
	w.args = append(w.args, arg)
	w.conds = append(w.conds, strings.Replace(cond, "?", fmt.Sprintf("$%d", len(w.args)), 1))
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// limit appends a LIMIT placeholder with a sane default.
func (w *where) limit(n int) string {
	if n <= 0 || n > 10000 {
		n = 100
	}
	w.args = append(w.args, n)
	return fmt.Sprintf(" LIMIT $%d", len(w.args))
}

func currency(code string, exp int, rounding string) (money.Currency, error) {
	r, err := money.ParseRoundingMode(rounding)
	return money.Currency{Code: code, Exponent: exp, Rounding: r}, err
}

func micros(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return cambista.Micros(t)
}

func fromNull(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return cambista.FromMicros(v.Int64)
}

// Settings and invite codes.

func (t *tx) Setting(ctx context.Context, key string) (string, error) {
	return read[string](ctx, t, app.SettingRead(key))
}

func (t *tx) SetSetting(ctx context.Context, key, value string, by cambista.UserID) error {
	_, err := t.exec(ctx, `INSERT INTO settings (key, value, updated_by, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		key, value, by, cambista.Micros(t.now))
	return err
}

func (t *tx) UserByInviteCode(ctx context.Context, code string) (*cambista.User, error) {
	u, err := scanUser(t.row(ctx, `SELECT `+userColumns+` FROM users WHERE invite_code = $1`, code))
	return u, one(err, "invite code", code)
}

// Accounts.

const accountColumns = `id, user_id, currency, status, requested_by, decided_by, reason, created_at, updated_at`

func scanAccount(sc scanner) (*cambista.Account, error) {
	var a cambista.Account
	var created, updated int64
	if err := sc.Scan(&a.ID, &a.UserID, &a.Currency, &a.Status, &a.RequestedBy, &a.DecidedBy, &a.Reason, &created, &updated); err != nil {
		return nil, err
	}
	a.CreatedAt, a.UpdatedAt = cambista.FromMicros(created), cambista.FromMicros(updated)
	return &a, nil
}

func (t *tx) CreateAccount(ctx context.Context, a *cambista.Account) error {
	a.CreatedAt, a.UpdatedAt = t.now, t.now
	err := t.writeRow(ctx, `INSERT INTO accounts (user_id, currency, status, requested_by, decided_by, reason, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
		a.UserID, a.Currency, a.Status, a.RequestedBy, a.DecidedBy, a.Reason, cambista.Micros(t.now)).Scan(&a.ID)
	if uniqueViolation(err) {
		return exists("account", a.UserID+" "+cambista.UserID(a.Currency))
	}
	return err
}

func (t *tx) Account(ctx context.Context, id cambista.ID) (*cambista.Account, error) {
	a, err := scanAccount(t.row(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = $1`+t.forUpdate(), id))
	return a, one(err, "account", id)
}

func (t *tx) AccountOf(ctx context.Context, user cambista.UserID, cur string) (*cambista.Account, error) {
	a, err := scanAccount(t.row(ctx, `SELECT `+accountColumns+` FROM accounts
		WHERE user_id = $1 AND currency = $2 AND status <> 'rejected'`+t.forUpdate(), user, cur))
	return a, one(err, "account", string(user)+" "+cur)
}

func (t *tx) UpdateAccount(ctx context.Context, a *cambista.Account) error {
	a.UpdatedAt = t.now
	res, err := t.exec(ctx, `UPDATE accounts SET status = $2, decided_by = $3, reason = $4, updated_at = $5 WHERE id = $1`,
		a.ID, a.Status, a.DecidedBy, a.Reason, cambista.Micros(t.now))
	return affected(res, err, "account", a.ID)
}

func (t *tx) Accounts(ctx context.Context, f cambista.AccountFilter) ([]*cambista.Account, error) {
	var w where
	w.add(f.UserID == "", "user_id = ?", f.UserID)
	w.add(f.Status == "", "status = ?", f.Status)
	q := `SELECT ` + accountColumns + ` FROM accounts` + w.String() + ` ORDER BY id DESC` + w.limit(f.Limit)
	return queryAll(ctx, t, scanAccount, q, w.args...)
}

// Rules.

const ruleColumns = `id, rule_id, version, status, name, priority, definition, created_by, created_at, published_at`

func scanRule(sc scanner) (*cambista.RuleVersion, error) {
	var r cambista.RuleVersion
	var def string
	var created int64
	var published sql.NullInt64
	if err := sc.Scan(&r.ID, &r.RuleID, &r.Version, &r.Status, &r.Name, &r.Priority, &def, &r.CreatedBy, &created, &published); err != nil {
		return nil, err
	}
	r.Definition, r.CreatedAt, r.PublishedAt = []byte(def), cambista.FromMicros(created), fromNull(published)
	return &r, nil
}

func (t *tx) CreateRule(ctx context.Context, r *cambista.RuleVersion) error {
	r.CreatedAt = t.now
	if r.RuleID == 0 {
		// A new rule: its first version's row ID becomes the rule's ID.
		err := t.writeRow(ctx, `INSERT INTO rules (rule_id, version, status, name, priority, definition, created_by, created_at)
			VALUES (0, 1, $1, $2, $3, $4, $5, $6) RETURNING id`,
			r.Status, r.Name, r.Priority, string(r.Definition), r.CreatedBy, cambista.Micros(t.now)).Scan(&r.ID)
		if err != nil {
			return err
		}
		r.RuleID, r.Version = r.ID, 1
		_, err = t.exec(ctx, `UPDATE rules SET rule_id = id WHERE id = $1`, r.ID)
		return err
	}
	err := t.writeRow(ctx, `INSERT INTO rules (rule_id, version, status, name, priority, definition, created_by, created_at)
		SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5, $6, $7 FROM rules WHERE rule_id = $1
		RETURNING id, version`,
		r.RuleID, r.Status, r.Name, r.Priority, string(r.Definition), r.CreatedBy, cambista.Micros(t.now)).Scan(&r.ID, &r.Version)
	if uniqueViolation(err) {
		return exists("rule version", r.RuleID)
	}
	return err
}

func (t *tx) RuleVersions(ctx context.Context, status cambista.RuleStatus) ([]*cambista.RuleVersion, error) {
	return queryAll(ctx, t, scanRule, `SELECT `+ruleColumns+` FROM rules WHERE status = $1 ORDER BY rule_id, version`, status)
}

func (t *tx) RuleVersion(ctx context.Context, id cambista.ID) (*cambista.RuleVersion, error) {
	r, err := scanRule(t.row(ctx, `SELECT `+ruleColumns+` FROM rules WHERE id = $1`+t.forUpdate(), id))
	return r, one(err, "rule", id)
}

func (t *tx) UpdateRuleStatus(ctx context.Context, id cambista.ID, status cambista.RuleStatus) error {
	var published any
	if status == cambista.RulePublished {
		published = cambista.Micros(t.now)
	}
	res, err := t.exec(ctx, `UPDATE rules SET status = $2, published_at = COALESCE($3, published_at) WHERE id = $1`, id, status, published)
	return affected(res, err, "rule", id)
}

// Quotes.

const quoteColumns = `q.id, q.user_id, q.user_type, q.agent_id, q.from_country, q.to_country,
	q.from_currency, fc.exponent, fc.rounding, q.to_currency, tc.exponent, tc.rounding,
	q.send_minor, q.commission_minor, q.agent_share_minor, q.receive_minor, q.rate, q.rate_id, q.detail, q.expires_at, q.created_at`

func scanQuote(sc scanner) (*cambista.Quote, error) {
	var q cambista.Quote
	var fromCode, fromRound, toCode, toRound, rate, detail string
	var fromExp, toExp int
	var send, commission, share, receive, expires, created int64
	if err := sc.Scan(&q.ID, &q.UserID, &q.UserType, &q.AgentID, &q.FromCountry, &q.ToCountry,
		&fromCode, &fromExp, &fromRound, &toCode, &toExp, &toRound,
		&send, &commission, &share, &receive, &rate, &q.RateID, &detail, &expires, &created); err != nil {
		return nil, err
	}
	from, err := currency(fromCode, fromExp, fromRound)
	if err != nil {
		return nil, err
	}
	to, err := currency(toCode, toExp, toRound)
	if err != nil {
		return nil, err
	}
	if q.Rate, err = money.ParseRate(rate); err != nil {
		return nil, err
	}
	q.Send, q.Commission, q.AgentShare = money.New(send, from), money.New(commission, from), money.New(share, from)
	q.Receive = money.New(receive, to)
	q.Detail, q.ExpiresAt, q.CreatedAt = []byte(detail), cambista.FromMicros(expires), cambista.FromMicros(created)
	return &q, nil
}

func (t *tx) CreateQuote(ctx context.Context, q *cambista.Quote) error {
	q.CreatedAt = t.now
	return t.insert(ctx, "quote", &q.ID, nil, `user_id, user_type, agent_id, from_country, to_country, from_currency, to_currency,
		send_minor, commission_minor, agent_share_minor, receive_minor, rate, rate_id, detail, expires_at, created_at`,
		q.UserID, q.UserType, q.AgentID, q.FromCountry, q.ToCountry, q.Send.Currency.Code, q.Receive.Currency.Code,
		q.Send.Minor, q.Commission.Minor, q.AgentShare.Minor, q.Receive.Minor, q.Rate.String(), q.RateID,
		string(q.Detail), cambista.Micros(q.ExpiresAt), cambista.Micros(t.now))
}

func (t *tx) Quote(ctx context.Context, id cambista.ID) (*cambista.Quote, error) {
	return read[*cambista.Quote](ctx, t, app.QuoteRead(id))
}

// Transfers.

const transferColumns = `t.id, t.client_id, t.quote_id, t.status, t.from_country, t.to_country,
	t.from_currency, fc.exponent, fc.rounding, t.to_currency, tc.exponent, tc.rounding,
	t.send_minor, t.commission_minor, t.agent_id, t.agent_share_minor, t.receive_minor,
	t.beneficiary_name, t.beneficiary_bank, t.beneficiary_number, t.beneficiary_doc,
	t.cashier_id, COALESCE(t.batch_id, 0), t.reference, t.proof_url, t.reason, t.created_at, t.updated_at`

const transferFrom = ` FROM transfers t JOIN currencies fc ON fc.code = t.from_currency JOIN currencies tc ON tc.code = t.to_currency`

func scanTransfer(sc scanner) (*cambista.Transfer, error) {
	var x cambista.Transfer
	var fromCode, fromRound, toCode, toRound string
	var fromExp, toExp int
	var send, commission, share, receive, created, updated int64
	b := &x.Beneficiary
	if err := sc.Scan(&x.ID, &x.ClientID, &x.QuoteID, &x.Status, &x.FromCountry, &x.ToCountry,
		&fromCode, &fromExp, &fromRound, &toCode, &toExp, &toRound,
		&send, &commission, &x.AgentID, &share, &receive,
		&b.Name, &b.Bank, &b.AccountNumber, &b.DocumentID,
		&x.CashierID, &x.BatchID, &x.Reference, &x.ProofURL, &x.Reason, &created, &updated); err != nil {
		return nil, err
	}
	from, err := currency(fromCode, fromExp, fromRound)
	if err != nil {
		return nil, err
	}
	to, err := currency(toCode, toExp, toRound)
	if err != nil {
		return nil, err
	}
	x.Send, x.Commission, x.AgentShare = money.New(send, from), money.New(commission, from), money.New(share, from)
	x.Receive = money.New(receive, to)
	x.CreatedAt, x.UpdatedAt = cambista.FromMicros(created), cambista.FromMicros(updated)
	return &x, nil
}

func nullID(id cambista.ID) any {
	if id == 0 {
		return nil
	}
	return id
}

func (t *tx) CreateTransfer(ctx context.Context, x *cambista.Transfer) error {
	x.CreatedAt, x.UpdatedAt = t.now, t.now
	b := x.Beneficiary
	return t.insert(ctx, "transfer", &x.ID, func(err error) error {
		if uniqueViolation(err) {
			return exists("transfer for quote", x.QuoteID)
		}
		return err
	}, `client_id, quote_id, status, from_currency, to_currency, from_country, to_country,
		send_minor, commission_minor, agent_id, agent_share_minor, receive_minor,
		beneficiary_name, beneficiary_bank, beneficiary_number, beneficiary_doc, created_at, updated_at`,
		x.ClientID, x.QuoteID, x.Status, x.Send.Currency.Code, x.Receive.Currency.Code, x.FromCountry, x.ToCountry,
		x.Send.Minor, x.Commission.Minor, x.AgentID, x.AgentShare.Minor, x.Receive.Minor,
		b.Name, b.Bank, b.AccountNumber, b.DocumentID, cambista.Micros(t.now), cambista.Micros(t.now))
}

func (t *tx) Transfer(ctx context.Context, id cambista.ID) (*cambista.Transfer, error) {
	x, err := read[*cambista.Transfer](ctx, t, app.TransferRead(id))
	if err == nil && !t.readOnly {
		t.lockTransfer(id)
	}
	return x, err
}

func (t *tx) UpdateTransfer(ctx context.Context, x *cambista.Transfer) error {
	x.UpdatedAt = t.now
	args := []any{x.ID, x.Status, x.CashierID, nullID(x.BatchID), x.Reference, x.ProofURL, x.Reason, cambista.Micros(t.now)}
	if t.lockedTransfers[x.ID] {
		return t.hold(ctx, heldTransferUpdate, nil, args...)
	}
	res, err := t.exec(ctx, heldTransferUpdate.sql, args...)
	return affected(res, err, "transfer", x.ID)
}

// heldTransferUpdate is held when the transaction has read the transfer,
// and so locked it: the row is there until the commit, and only a database
// error can fail the update. Otherwise it must find its row, and runs at
// once.
var heldTransferUpdate = held{op: "UpdateTransfer", sql: `UPDATE transfers SET status = $2, cashier_id = $3, batch_id = $4,
	reference = $5, proof_url = $6, reason = $7, updated_at = $8 WHERE id = $1`}

func (t *tx) Transfers(ctx context.Context, f cambista.TransferFilter) ([]*cambista.Transfer, error) {
	var w where
	w.add(f.Status == "", "t.status = ?", f.Status)
	w.add(f.ClientID == "", "t.client_id = ?", f.ClientID)
	w.add(f.CashierID == "", "t.cashier_id = ?", f.CashierID)
	w.add(f.BatchID == 0, "t.batch_id = ?", f.BatchID)
	w.add(f.From.IsZero(), "t.created_at >= ?", micros(f.From))
	w.add(f.To.IsZero(), "t.created_at < ?", micros(f.To))
	w.add(f.Before == 0, "t.id < ?", f.Before)
	q := `SELECT ` + transferColumns + transferFrom + w.String() + ` ORDER BY t.id DESC` + w.limit(f.Limit)
	return queryAll(ctx, t, scanTransfer, q, w.args...)
}

func (t *tx) SentSince(ctx context.Context, user cambista.UserID, cur string, since time.Time) (int64, error) {
	var n int64
	err := t.row(ctx, `SELECT CAST(COALESCE(SUM(send_minor), 0) AS BIGINT) FROM transfers
		WHERE client_id = $1 AND from_currency = $2 AND created_at >= $3 AND status IN ('pending', 'taken', 'completed')`,
		user, cur, cambista.Micros(since)).Scan(&n)
	return n, err
}

func (t *tx) BatchFunds(ctx context.Context, batch cambista.ID) (balance, reserved int64, err error) {
	f, err := read[funds](ctx, t, app.BatchFundsRead(batch))
	return f.balance, f.reserved, err
}

func (t *tx) BatchTotals(ctx context.Context, batch cambista.ID) (map[cambista.TransferStatus]cambista.TransferTotals, error) {
	rows, err := t.query(ctx, `SELECT status, COUNT(*), CAST(SUM(send_minor) AS BIGINT), CAST(SUM(commission_minor) AS BIGINT),
		CAST(SUM(agent_share_minor) AS BIGINT), CAST(SUM(receive_minor) AS BIGINT) FROM transfers WHERE batch_id = $1 GROUP BY status`, batch)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[cambista.TransferStatus]cambista.TransferTotals{}
	for rows.Next() {
		var s cambista.TransferStatus
		var x cambista.TransferTotals
		if err := rows.Scan(&s, &x.Count, &x.Send, &x.Commission, &x.AgentShare, &x.Receive); err != nil {
			return nil, err
		}
		out[s] = x
	}
	return out, rows.Err()
}

// Batches.

const batchColumns = `b.id, b.cashier_id, b.base, b.quote, qc.exponent, qc.rounding, b.capital_minor, b.cost_rate, b.status,
	COALESCE(b.summary, ''), b.opened_at, b.closed_at`

const batchFrom = ` FROM batches b JOIN currencies qc ON qc.code = b.quote`

func scanBatch(sc scanner) (*cambista.Batch, error) {
	var b cambista.Batch
	var round, rate, summary string
	var exp int
	var capital, opened int64
	var closed sql.NullInt64
	if err := sc.Scan(&b.ID, &b.CashierID, &b.Base, &b.Quote, &exp, &round, &capital, &rate, &b.Status, &summary, &opened, &closed); err != nil {
		return nil, err
	}
	cur, err := currency(b.Quote, exp, round)
	if err != nil {
		return nil, err
	}
	if b.CostRate, err = money.ParseRate(rate); err != nil {
		return nil, err
	}
	if summary != "" {
		b.Summary = new(cambista.BatchSummary)
		if err := jsonUnmarshal(summary, b.Summary); err != nil {
			return nil, fmt.Errorf("batch %d summary: %w", b.ID, err)
		}
	}
	b.Capital, b.OpenedAt, b.ClosedAt = money.New(capital, cur), cambista.FromMicros(opened), fromNull(closed)
	return &b, nil
}

func (t *tx) CreateBatch(ctx context.Context, b *cambista.Batch) error {
	b.OpenedAt = t.now
	err := t.writeRow(ctx, `INSERT INTO batches (cashier_id, base, quote, capital_minor, cost_rate, status, opened_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		b.CashierID, b.Base, b.Quote, b.Capital.Minor, b.CostRate.String(), b.Status, cambista.Micros(t.now)).Scan(&b.ID)
	if uniqueViolation(err) {
		return exists("open batch", cambista.Pair(b.Base, b.Quote))
	}
	return err
}

func (t *tx) Batch(ctx context.Context, id cambista.ID) (*cambista.Batch, error) {
	return read[*cambista.Batch](ctx, t, app.BatchRead(id))
}

func (t *tx) OpenBatchOf(ctx context.Context, cashier cambista.UserID, base, quote string) (*cambista.Batch, error) {
	return read[*cambista.Batch](ctx, t, app.OpenBatchRead(cashier, base, quote))
}

func (t *tx) UpdateBatch(ctx context.Context, b *cambista.Batch) error {
	var summary any
	if b.Summary != nil {
		s, err := jsonMarshal(b.Summary)
		if err != nil {
			return err
		}
		summary = s
	}
	res, err := t.exec(ctx, `UPDATE batches SET status = $2, summary = $3, closed_at = $4 WHERE id = $1`,
		b.ID, b.Status, summary, micros(b.ClosedAt))
	return affected(res, err, "batch", b.ID)
}

func (t *tx) Batches(ctx context.Context, f cambista.BatchFilter) ([]*cambista.Batch, error) {
	var w where
	w.add(f.CashierID == "", "b.cashier_id = ?", f.CashierID)
	w.add(f.Status == "", "b.status = ?", f.Status)
	w.add(f.Base == "", "b.base = ?", f.Base)
	w.add(f.Quote == "", "b.quote = ?", f.Quote)
	w.add(f.From.IsZero(), "b.opened_at >= ?", micros(f.From))
	w.add(f.To.IsZero(), "b.opened_at < ?", micros(f.To))
	q := `SELECT ` + batchColumns + batchFrom + w.String() + ` ORDER BY b.id DESC` + w.limit(f.Limit)
	return queryAll(ctx, t, scanBatch, q, w.args...)
}

// Withdrawals.

const withdrawalColumns = `w.id, w.user_id, w.account_id, w.currency, c.exponent, c.rounding, w.amount_minor, w.status,
	w.decided_by, w.reason, w.created_at, w.updated_at`

const withdrawalFrom = ` FROM withdrawals w JOIN currencies c ON c.code = w.currency`

func scanWithdrawal(sc scanner) (*cambista.Withdrawal, error) {
	var w cambista.Withdrawal
	var code, round string
	var exp int
	var amount, created, updated int64
	if err := sc.Scan(&w.ID, &w.UserID, &w.AccountID, &code, &exp, &round, &amount, &w.Status, &w.DecidedBy, &w.Reason, &created, &updated); err != nil {
		return nil, err
	}
	cur, err := currency(code, exp, round)
	if err != nil {
		return nil, err
	}
	w.Amount, w.CreatedAt, w.UpdatedAt = money.New(amount, cur), cambista.FromMicros(created), cambista.FromMicros(updated)
	return &w, nil
}

func (t *tx) CreateWithdrawal(ctx context.Context, w *cambista.Withdrawal) error {
	w.CreatedAt, w.UpdatedAt = t.now, t.now
	return t.writeRow(ctx, `INSERT INTO withdrawals (user_id, account_id, currency, amount_minor, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
		w.UserID, w.AccountID, w.Amount.Currency.Code, w.Amount.Minor, w.Status, cambista.Micros(t.now)).Scan(&w.ID)
}

func (t *tx) Withdrawal(ctx context.Context, id cambista.ID) (*cambista.Withdrawal, error) {
	w, err := scanWithdrawal(t.row(ctx, `SELECT `+withdrawalColumns+withdrawalFrom+` WHERE w.id = $1`+t.forUpdateOf("w"), id))
	return w, one(err, "withdrawal", id)
}

func (t *tx) UpdateWithdrawal(ctx context.Context, w *cambista.Withdrawal) error {
	w.UpdatedAt = t.now
	res, err := t.exec(ctx, `UPDATE withdrawals SET status = $2, decided_by = $3, reason = $4, updated_at = $5 WHERE id = $1`,
		w.ID, w.Status, w.DecidedBy, w.Reason, cambista.Micros(t.now))
	return affected(res, err, "withdrawal", w.ID)
}

func (t *tx) Withdrawals(ctx context.Context, f cambista.WithdrawalFilter) ([]*cambista.Withdrawal, error) {
	var w where
	w.add(f.UserID == "", "w.user_id = ?", f.UserID)
	w.add(f.Status == "", "w.status = ?", f.Status)
	q := `SELECT ` + withdrawalColumns + withdrawalFrom + w.String() + ` ORDER BY w.id DESC` + w.limit(f.Limit)
	return queryAll(ctx, t, scanWithdrawal, q, w.args...)
}

func (t *tx) Held(ctx context.Context, account cambista.ID) (int64, error) {
	var n int64
	err := t.row(ctx, `SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM withdrawals
		WHERE account_id = $1 AND status = 'requested'`, account).Scan(&n)
	return n, err
}

// Statements.

func (t *tx) Postings(ctx context.Context, a cambista.LedgerAccount, from, to time.Time, after cambista.ID, limit int) ([]*cambista.StatementLine, error) {
	var w where
	w.add(false, "p.account = ?", string(a))
	w.add(from.IsZero(), "e.time >= ?", micros(from))
	w.add(to.IsZero(), "e.time < ?", micros(to))
	w.add(after == 0, "p.id > ?", after)
	q := `SELECT ` + statementLineColumns + statementLineFrom + w.String() + ` ORDER BY p.id` + w.limit(limit)
	return queryAll(ctx, t, scanStatementLine, q, w.args...)
}

func (t *tx) BalanceBefore(ctx context.Context, a cambista.LedgerAccount, before time.Time, after cambista.ID) (int64, error) {
	var n int64
	var err error
	if after != 0 {
		err = t.row(ctx, `SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM postings WHERE account = $1 AND id <= $2`,
			string(a), after).Scan(&n)
	} else {
		err = t.row(ctx, `SELECT CAST(COALESCE(SUM(p.amount), 0) AS BIGINT) FROM postings p JOIN journal_entries e ON e.id = p.entry_id
			WHERE p.account = $1 AND e.time < $2`, string(a), cambista.Micros(before)).Scan(&n)
	}
	return n, err
}
