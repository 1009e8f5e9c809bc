package store

import (
	"context"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/money"
)

const refundColumns = `r.id, r.transfer_id, r.client_id, r.batch_id, r.kind, r.currency, c.exponent, c.rounding, r.amount_minor,
	r.to_balance, r.reason, r.status, r.requested_by, r.approved_by, r.charged, r.created_at, r.updated_at`

const refundFrom = ` FROM refunds r JOIN currencies c ON c.code = r.currency`

func scanRefund(sc scanner) (*cambista.Refund, error) {
	var r cambista.Refund
	var code, round string
	var exp int
	var amount, created, updated int64
	if err := sc.Scan(&r.ID, &r.TransferID, &r.ClientID, &r.BatchID, &r.Kind, &code, &exp, &round, &amount,
		&r.ToBalance, &r.Reason, &r.Status, &r.RequestedBy, &r.ApprovedBy, &r.Charged, &created, &updated); err != nil {
		return nil, err
	}
	cur, err := currency(code, exp, round)
	if err != nil {
		return nil, err
	}
	r.Amount, r.CreatedAt, r.UpdatedAt = money.New(amount, cur), cambista.FromMicros(created), cambista.FromMicros(updated)
	return &r, nil
}

func (t *tx) CreateRefund(ctx context.Context, r *cambista.Refund) error {
	r.CreatedAt, r.UpdatedAt = t.now, t.now
	return t.writeRow(ctx, `INSERT INTO refunds (transfer_id, client_id, batch_id, kind, currency, amount_minor, to_balance, reason,
		status, requested_by, approved_by, charged, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
		r.TransferID, r.ClientID, r.BatchID, r.Kind, r.Amount.Currency.Code, r.Amount.Minor, r.ToBalance, r.Reason,
		r.Status, r.RequestedBy, r.ApprovedBy, r.Charged, cambista.Micros(t.now)).Scan(&r.ID)
}

func (t *tx) Refund(ctx context.Context, id cambista.ID) (*cambista.Refund, error) {
	r, err := scanRefund(t.row(ctx, `SELECT `+refundColumns+refundFrom+` WHERE r.id = $1`+t.forUpdateOf("r"), id))
	return r, one(err, "refund", id)
}

func (t *tx) UpdateRefund(ctx context.Context, r *cambista.Refund) error {
	r.UpdatedAt = t.now
	res, err := t.exec(ctx, `UPDATE refunds SET status = $2, approved_by = $3, charged = $4, updated_at = $5 WHERE id = $1`,
		r.ID, r.Status, r.ApprovedBy, r.Charged, cambista.Micros(t.now))
	return affected(res, err, "refund", r.ID)
}

func (t *tx) Refunds(ctx context.Context, f cambista.RefundFilter) ([]*cambista.Refund, error) {
	var w where
	w.addIf(f.TransferID != 0, "r.transfer_id = ?", f.TransferID)
	w.addIf(f.BatchID != 0, "r.batch_id = ?", f.BatchID)
	w.addIf(f.Status != "", "r.status = ?", f.Status)
	w.addIf(f.Charged != "", "r.charged = ?", f.Charged)
	q := `SELECT ` + refundColumns + refundFrom + w.String() + ` ORDER BY r.id DESC` + w.limit(f.Limit)
	return queryAll(ctx, t, scanRefund, q, w.args...)
}

func (t *tx) Refunded(ctx context.Context, transfer cambista.ID) (int64, error) {
	var n int64
	err := t.row(ctx, `SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM refunds
		WHERE transfer_id = $1 AND status IN ('requested', 'posted')`, transfer).Scan(&n)
	return n, err
}
