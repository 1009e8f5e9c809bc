package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/cambista/cambista"
)

// Waiting counts what waits for someone: account, withdrawal and agent
// requests and refunds for a superuser, deposits for a cashier or a
// superuser, pending transfers for a cashier.
func (t *tx) Waiting(ctx context.Context) (cambista.Waiting, error) {
	var w cambista.Waiting
	err := t.row(ctx, `SELECT
		(SELECT COUNT(*) FROM accounts WHERE status = 'requested'),
		(SELECT COUNT(*) FROM withdrawals WHERE status = 'requested'),
		(SELECT COUNT(*) FROM agent_requests WHERE status = 'requested'),
		(SELECT COUNT(*) FROM deposits WHERE status = 'declared'),
		(SELECT COUNT(*) FROM refunds WHERE status = 'requested'),
		(SELECT COUNT(*) FROM transfers WHERE status = 'pending')`).Scan(&w.Accounts, &w.Withdrawals, &w.Agents, &w.Deposits, &w.Refunds, &w.Transfers)
	return w, err
}

// DailyPostings sums the postings on one ledger account whose entries fall
// in [from, to), by UTC day, and calls fn with each day that has any.
func (t *tx) DailyPostings(ctx context.Context, account cambista.LedgerAccount, from, to time.Time, fn func(day time.Time, minor int64)) error {
	// The entry IDs of the period start at the first entry at or after
	// from (found on the time index), which bounds the scan of the
	// account's postings to the period instead of its whole history.
	// Days are 86,400,000,000 microseconds.
	rows, err := t.query(ctx, `SELECT p.time / 86400000000 AS day, CAST(SUM(p.amount) AS BIGINT) FROM postings p
		WHERE p.account = $1 AND p.time >= $2 AND p.time < $3
		AND p.entry_id >= (SELECT COALESCE(MIN(id), 0) FROM journal_entries WHERE time >= $2)
		GROUP BY p.time / 86400000000 ORDER BY day`, string(account), cambista.Micros(from), cambista.Micros(to))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var day, minor int64
		if err := rows.Scan(&day, &minor); err != nil {
			return err
		}
		fn(time.Unix(day*86400, 0).UTC(), minor)
	}
	return rows.Err()
}

// UserBalanceTotals calls fn with the sum of every user's balance in each
// currency: what the business owes its users.
func (t *tx) UserBalanceTotals(ctx context.Context, fn func(currency string, minor int64)) error {
	rows, err := t.query(ctx, `SELECT currency, CAST(SUM(balance) AS BIGINT) FROM balances
		WHERE account >= 'user:' AND account < 'user;' GROUP BY currency ORDER BY currency`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var cur string
		var minor int64
		if err := rows.Scan(&cur, &minor); err != nil {
			return err
		}
		fn(cur, minor)
	}
	return rows.Err()
}

// HouseBalances calls fn with the balance of each house account, summed
// over its postings (house accounts have no cached balance row).
func (t *tx) HouseBalances(ctx context.Context, fn func(account cambista.LedgerAccount, currency string, minor int64)) error {
	rows, err := t.query(ctx, `SELECT account, currency, CAST(SUM(amount) AS BIGINT) FROM postings
		WHERE account >= 'house:' AND account < 'house;' GROUP BY account, currency ORDER BY currency, account`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var account, cur string
		var minor int64
		if err := rows.Scan(&account, &cur, &minor); err != nil {
			return err
		}
		fn(cambista.LedgerAccount(account), cur, minor)
	}
	return rows.Err()
}

// Operations reads the operators' figures in four aggregate queries: the
// transfers by state (on the status index), the open batches' capital per
// pair, the pending queue per pair, and the scalars of the outbox and the
// audit log.
func (t *tx) Operations(ctx context.Context) (*cambista.Operations, error) {
	ops := &cambista.Operations{Transfers: map[cambista.TransferStatus]int64{}}
	err := each(ctx, t, scanCount, func(c count) error {
		ops.Transfers[cambista.TransferStatus(c.key)] = c.n
		return nil
	}, `SELECT status, COUNT(*) FROM transfers GROUP BY status`)
	if err != nil {
		return nil, err
	}
	pairs := map[[2]string]*cambista.PairOperations{}
	err = each(ctx, t, scanPairFigures, func(f pairFigures) error {
		pairs[[2]string{f.base, f.quote}] = &cambista.PairOperations{Base: f.base, Quote: f.quote,
			OpenBatches: f.n, Capital: f.sum, LowestCapital: f.min}
		return nil
	}, `SELECT base, quote, COUNT(*), CAST(SUM(capital) AS BIGINT), CAST(MIN(capital) AS BIGINT)
		FROM (SELECT b.base, b.quote, `+balanceOf+` - `+reservedOf+` AS capital FROM batches b WHERE b.status = 'open') f
		GROUP BY base, quote`)
	if err != nil {
		return nil, err
	}
	// Here min is the creation time of the pair's oldest pending transfer.
	err = each(ctx, t, scanPairFigures, func(f pairFigures) error {
		p := pairs[[2]string{f.base, f.quote}]
		if p == nil {
			p = &cambista.PairOperations{Base: f.base, Quote: f.quote}
			pairs[[2]string{f.base, f.quote}] = p
		}
		p.Pending, p.PendingPayout = f.n, f.sum
		if first := cambista.FromMicros(f.min); ops.OldestPending.IsZero() || first.Before(ops.OldestPending) {
			ops.OldestPending = first
		}
		return nil
	}, `SELECT from_currency, to_currency, COUNT(*), CAST(SUM(receive_minor) AS BIGINT), MIN(created_at)
		FROM transfers WHERE status = 'pending' GROUP BY from_currency, to_currency`)
	if err != nil {
		return nil, err
	}
	for _, p := range pairs {
		ops.Pairs = append(ops.Pairs, *p)
	}
	slices.SortFunc(ops.Pairs, func(a, b cambista.PairOperations) int {
		return cmp.Or(cmp.Compare(a.Base, b.Base), cmp.Compare(a.Quote, b.Quote))
	})
	var outboxOldest, auditOldest sql.NullInt64
	err = t.row(ctx, `SELECT
		(SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND given_up_at IS NULL),
		(SELECT MIN(created_at) FROM outbox WHERE delivered_at IS NULL AND given_up_at IS NULL),
		(SELECT COUNT(*) FROM audit_pending),
		(SELECT MIN(time) FROM audit_pending)`).Scan(&ops.OutboxWaiting, &outboxOldest, &ops.Unsealed, &auditOldest)
	if err != nil {
		return nil, err
	}
	ops.OldestOutbox, ops.OldestUnsealed = fromNull(outboxOldest), fromNull(auditOldest)
	return ops, nil
}

// count is a row of a GROUP BY with one key.
type count struct {
	key string
	n   int64
}

func scanCount(sc scanner) (c count, err error) {
	err = sc.Scan(&c.key, &c.n)
	return c, err
}

// pairFigures is a row of a GROUP BY over a currency pair: a count, a sum
// and a minimum.
type pairFigures struct {
	base, quote string
	n, sum, min int64
}

func scanPairFigures(sc scanner) (f pairFigures, err error) {
	err = sc.Scan(&f.base, &f.quote, &f.n, &f.sum, &f.min)
	return f, err
}
