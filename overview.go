package cambista

import (
	"context"
	"time"
)

// OverviewStore reads what the business's overview shows: what waits for
// someone, and money summed across many accounts.
type OverviewStore interface {
	// Waiting counts requested accounts and withdrawals, pending transfers.
	Waiting(ctx context.Context) (Waiting, error)
	// DailyPostings sums an account's postings in [from, to) by UTC day.
	DailyPostings(ctx context.Context, account LedgerAccount, from, to time.Time, fn func(day time.Time, minor int64)) error
	// UserBalanceTotals sums the users' balances by currency.
	UserBalanceTotals(ctx context.Context, fn func(currency string, minor int64)) error
	// HouseBalances sums each house account's postings.
	HouseBalances(ctx context.Context, fn func(account LedgerAccount, currency string, minor int64)) error
}

// Waiting counts what waits for a superuser or a cashier.
type Waiting struct {
	Accounts    int64 // requested accounts
	Withdrawals int64 // requested withdrawals
	Transfers   int64 // pending transfers
}
