package store

import (
	"context"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/money"
)

const depositColumns = `d.id, d.user_id, d.account_id, d.currency, c.exponent, c.rounding, d.amount_minor, d.method, d.proof_url, d.status,
	d.decided_by, d.reason, d.created_at, d.updated_at`

const depositFrom = ` FROM deposits d JOIN currencies c ON c.code = d.currency`

func scanDeposit(sc scanner) (*cambista.Deposit, error) {
	var d cambista.Deposit
	var code, round string
	var exp int
	var amount, created, updated int64
	if err := sc.Scan(&d.ID, &d.UserID, &d.AccountID, &code, &exp, &round, &amount, &d.Method, &d.ProofURL, &d.Status, &d.DecidedBy, &d.Reason, &created, &updated); err != nil {
		return nil, err
	}
	cur, err := currency(code, exp, round)
	if err != nil {
		return nil, err
	}
	d.Amount, d.CreatedAt, d.UpdatedAt = money.New(amount, cur), cambista.FromMicros(created), cambista.FromMicros(updated)
	return &d, nil
}

func (t *tx) CreateDeposit(ctx context.Context, d *cambista.Deposit) error {
	d.CreatedAt, d.UpdatedAt = t.now, t.now
	return t.writeRow(ctx, `INSERT INTO deposits (user_id, account_id, currency, amount_minor, method, proof_url, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
		d.UserID, d.AccountID, d.Amount.Currency.Code, d.Amount.Minor, d.Method, d.ProofURL, d.Status, cambista.Micros(t.now)).Scan(&d.ID)
}

func (t *tx) Deposit(ctx context.Context, id cambista.ID) (*cambista.Deposit, error) {
	d, err := scanDeposit(t.row(ctx, `SELECT `+depositColumns+depositFrom+` WHERE d.id = $1`+t.forUpdateOf("d"), id))
	return d, one(err, "deposit", id)
}

func (t *tx) UpdateDeposit(ctx context.Context, d *cambista.Deposit) error {
	d.UpdatedAt = t.now
	res, err := t.exec(ctx, `UPDATE deposits SET status = $2, decided_by = $3, reason = $4, updated_at = $5 WHERE id = $1`,
		d.ID, d.Status, d.DecidedBy, d.Reason, cambista.Micros(t.now))
	return affected(res, err, "deposit", d.ID)
}

func (t *tx) Deposits(ctx context.Context, f cambista.DepositFilter) ([]*cambista.Deposit, error) {
	var d where
	d.addIf(f.UserID != "", "d.user_id = ?", f.UserID)
	d.addIf(f.Status != "", "d.status = ?", f.Status)
	q := `SELECT ` + depositColumns + depositFrom + d.String() + ` ORDER BY d.id DESC` + d.limit(f.Limit)
	return queryAll(ctx, t, scanDeposit, q, d.args...)
}
