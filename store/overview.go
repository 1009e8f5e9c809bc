package store

import (
	"context"
	"time"

	"github.com/cambista/cambista"
)

// Waiting counts what waits for someone: account requests and withdrawals
// for a superuser, pending transfers for a cashier.
func (t *tx) Waiting(ctx context.Context) (cambista.Waiting, error) {
	var w cambista.Waiting
	err := t.row(ctx, `SELECT
		(SELECT COUNT(*) FROM accounts WHERE status = 'requested'),
		(SELECT COUNT(*) FROM withdrawals WHERE status = 'requested'),
		(SELECT COUNT(*) FROM transfers WHERE status = 'pending')`).Scan(&w.Accounts, &w.Withdrawals, &w.Transfers)
	return w, err
}

// DailyPostings sums the postings on one ledger account whose entries fall
// in [from, to), by UTC day, and calls fn with each day that has any.
func (t *tx) DailyPostings(ctx context.Context, account cambista.LedgerAccount, from, to time.Time, fn func(day time.Time, minor int64)) error {
	// The entry IDs of the period start at the first entry at or after
	// from (found on the time index), which bounds the scan of the
	// account's postings to the period instead of its whole history.
	// Days are 86,400,000,000 microseconds.
	rows, err := t.query(ctx, `SELECT e.time / 86400000000 AS day, CAST(SUM(p.amount) AS BIGINT) FROM postings p
		JOIN journal_entries e ON e.id = p.entry_id
		WHERE p.account = $1 AND e.time >= $2 AND e.time < $3
		AND p.entry_id >= (SELECT COALESCE(MIN(id), 0) FROM journal_entries WHERE time >= $2)
		GROUP BY e.time / 86400000000 ORDER BY day`, string(account), cambista.Micros(from), cambista.Micros(to))
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
