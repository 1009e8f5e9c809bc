package store

import (
	"context"

	"github.com/cambista/cambista"
)

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
	w.addIf(f.UserID != "", "user_id = ?", f.UserID)
	w.addIf(f.Status != "", "status = ?", f.Status)
	q := `SELECT ` + accountColumns + ` FROM accounts` + w.String() + ` ORDER BY id DESC` + w.limit(f.Limit)
	return queryAll(ctx, t, scanAccount, q, w.args...)
}
