package store

import (
	"context"

	"github.com/cambista/cambista"
)

const disputeColumns = `id, transfer_id, client_id, cashier_id, reason, status, resolution, resolved_by, refund_id, created_at, updated_at`

func scanDispute(sc scanner) (*cambista.Dispute, error) {
	var d cambista.Dispute
	var created, updated int64
	if err := sc.Scan(&d.ID, &d.TransferID, &d.ClientID, &d.CashierID, &d.Reason, &d.Status, &d.Resolution, &d.ResolvedBy,
		&d.RefundID, &created, &updated); err != nil {
		return nil, err
	}
	d.CreatedAt, d.UpdatedAt = cambista.FromMicros(created), cambista.FromMicros(updated)
	return &d, nil
}

func (t *tx) CreateDispute(ctx context.Context, d *cambista.Dispute) error {
	d.CreatedAt, d.UpdatedAt = t.now, t.now
	err := t.writeRow(ctx, `INSERT INTO disputes (transfer_id, client_id, cashier_id, reason, status, resolution, resolved_by, refund_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
		d.TransferID, d.ClientID, d.CashierID, d.Reason, d.Status, d.Resolution, d.ResolvedBy, d.RefundID, cambista.Micros(t.now)).Scan(&d.ID)
	if uniqueViolation(err) {
		return exists("dispute", d.TransferID)
	}
	return err
}

func (t *tx) Dispute(ctx context.Context, id cambista.ID) (*cambista.Dispute, error) {
	d, err := scanDispute(t.row(ctx, `SELECT `+disputeColumns+` FROM disputes WHERE id = $1`+t.forUpdate(), id))
	return d, one(err, "dispute", id)
}

func (t *tx) UpdateDispute(ctx context.Context, d *cambista.Dispute) error {
	d.UpdatedAt = t.now
	res, err := t.exec(ctx, `UPDATE disputes SET status = $2, resolution = $3, resolved_by = $4, refund_id = $5, updated_at = $6 WHERE id = $1`,
		d.ID, d.Status, d.Resolution, d.ResolvedBy, d.RefundID, cambista.Micros(t.now))
	return affected(res, err, "dispute", d.ID)
}

func (t *tx) Disputes(ctx context.Context, f cambista.DisputeFilter) ([]*cambista.Dispute, error) {
	var w where
	w.addIf(f.TransferID != 0, "transfer_id = ?", f.TransferID)
	w.addIf(f.Status != "", "status = ?", f.Status)
	q := `SELECT ` + disputeColumns + ` FROM disputes` + w.String() + ` ORDER BY id DESC` + w.limit(f.Limit)
	return queryAll(ctx, t, scanDispute, q, w.args...)
}
