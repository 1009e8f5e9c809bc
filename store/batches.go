package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/money"
)

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
		if b.Summary.Refunded.Currency.Code == "" { // closed before refunds existed
			b.Summary.Refunded = money.New(0, b.Summary.Collected.Currency)
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
	w.addIf(f.CashierID != "", "b.cashier_id = ?", f.CashierID)
	w.addIf(f.Status != "", "b.status = ?", f.Status)
	w.addIf(f.Base != "", "b.base = ?", f.Base)
	w.addIf(f.Quote != "", "b.quote = ?", f.Quote)
	w.addIf(!f.From.IsZero(), "b.opened_at >= ?", micros(f.From))
	w.addIf(!f.To.IsZero(), "b.opened_at < ?", micros(f.To))
	q := `SELECT ` + batchColumns + batchFrom + w.String() + ` ORDER BY b.id DESC` + w.limit(f.Limit)
	return queryAll(ctx, t, scanBatch, q, w.args...)
}
