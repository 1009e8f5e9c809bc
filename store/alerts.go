package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/money"
)

// Alerts raised by the liquidity and exposure rules (cambista.AlertStore).
// Value and lim hold minor units of currency for the rules on money, and
// seconds for the batch age rule, whose currency is "".

const alertSelect = `SELECT a.id, a.rule, a.subject, COALESCE(a.batch_id, 0), COALESCE(b.cashier_id, ''),
	COALESCE(b.base, ''), COALESCE(b.quote, ''), a.currency, COALESCE(c.exponent, 0), COALESCE(c.rounding, ''),
	a.value, a.lim, a.raised_at, a.cleared_at
	FROM alerts a LEFT JOIN batches b ON b.id = a.batch_id LEFT JOIN currencies c ON c.code = a.currency`

func scanAlert(sc scanner) (*cambista.Alert, error) {
	var a cambista.Alert
	var base, quote, code, round string
	var exp int
	var value, limit, raised int64
	var cleared sql.NullInt64
	if err := sc.Scan(&a.ID, &a.Rule, &a.Subject, &a.BatchID, &a.CashierID, &base, &quote, &code, &exp, &round,
		&value, &limit, &raised, &cleared); err != nil {
		return nil, err
	}
	if base != "" {
		a.Pair = cambista.Pair(base, quote)
	}
	if code == "" {
		a.OpenFor, a.MaxOpen = time.Duration(value)*time.Second, time.Duration(limit)*time.Second
	} else {
		cur, err := currency(code, exp, round)
		if err != nil {
			return nil, err
		}
		a.Value, a.Limit = money.New(value, cur), money.New(limit, cur)
	}
	a.RaisedAt, a.ClearedAt = cambista.FromMicros(raised), fromNull(cleared)
	return &a, nil
}

func (t *tx) ActiveAlerts(ctx context.Context) ([]*cambista.Alert, error) {
	return queryAll(ctx, t, scanAlert, alertSelect+` WHERE a.cleared_at IS NULL ORDER BY a.id`)
}

func (t *tx) Alert(ctx context.Context, id cambista.ID) (*cambista.Alert, error) {
	a, err := scanAlert(t.row(ctx, alertSelect+` WHERE a.id = $1`, id))
	return a, one(err, "alert", id)
}

// RaiseAlert inserts unless the partial unique index already holds an
// active alert of the rule and subject; on PostgreSQL a concurrent raise
// of the same crossing waits on the index entry and then inserts nothing.
func (t *tx) RaiseAlert(ctx context.Context, a *cambista.Alert) (bool, error) {
	value, limit, code := a.Value.Minor, a.Limit.Minor, a.Value.Currency.Code
	if a.Rule == cambista.AlertBatchAge {
		value, limit, code = int64(a.OpenFor/time.Second), int64(a.MaxOpen/time.Second), ""
	}
	a.RaisedAt = t.now
	err := t.writeRow(ctx, `INSERT INTO alerts (rule, subject, batch_id, currency, value, lim, raised_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id`,
		a.Rule, a.Subject, nullID(a.BatchID), code, value, limit, cambista.Micros(t.now)).Scan(&a.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

func (t *tx) ClearAlert(ctx context.Context, id cambista.ID) (bool, error) {
	res, err := t.exec(ctx, `UPDATE alerts SET cleared_at = $2 WHERE id = $1 AND cleared_at IS NULL`, id, cambista.Micros(t.now))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (t *tx) PendingPayouts(ctx context.Context, fn func(base, quote string, minor int64)) error {
	rows, err := t.query(ctx, `SELECT from_currency, to_currency, CAST(SUM(receive_minor) AS BIGINT) FROM transfers
		WHERE status = 'pending' GROUP BY from_currency, to_currency ORDER BY from_currency, to_currency`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var base, quote string
		var minor int64
		if err := rows.Scan(&base, &quote, &minor); err != nil {
			return err
		}
		fn(base, quote, minor)
	}
	return rows.Err()
}
