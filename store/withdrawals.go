package store

import (
	"context"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/money"
)

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
	w.addIf(f.UserID != "", "w.user_id = ?", f.UserID)
	w.addIf(f.Status != "", "w.status = ?", f.Status)
	q := `SELECT ` + withdrawalColumns + withdrawalFrom + w.String() + ` ORDER BY w.id DESC` + w.limit(f.Limit)
	return queryAll(ctx, t, scanWithdrawal, q, w.args...)
}

// Held counts both kinds of hold on an account: its requested
// withdrawals, and the transfers its owner pays from it that are not
// finished (pending or taken).
func (t *tx) Held(ctx context.Context, account cambista.ID) (int64, error) {
	var n int64
	err := t.row(ctx, `SELECT CAST(COALESCE((SELECT SUM(amount_minor) FROM withdrawals WHERE account_id = $1 AND status = 'requested'), 0)
		+ COALESCE((SELECT SUM(x.send_minor) FROM transfers x JOIN accounts a ON a.user_id = x.client_id AND a.currency = x.from_currency
			WHERE a.id = $1 AND x.from_balance AND x.status IN ('pending', 'taken')), 0) AS BIGINT)`, account).Scan(&n)
	return n, err
}
