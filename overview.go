package cambista

import (
	"context"
	"time"
)

// OverviewStore reads what the business's overview shows: what waits for
// someone, and money summed across many accounts.
type OverviewStore interface {
	// Waiting counts what waits for a decision: requested accounts,
	// withdrawals and agent requests, declared deposits, refunds waiting for
	// a second superuser, pending transfers.
	Waiting(ctx context.Context) (Waiting, error)
	// DailyPostings sums an account's postings in [from, to) by UTC day.
	DailyPostings(ctx context.Context, account LedgerAccount, from, to time.Time, fn func(day time.Time, minor int64)) error
	// UserBalanceTotals sums the users' balances by currency.
	UserBalanceTotals(ctx context.Context, fn func(currency string, minor int64)) error
	// HouseBalances sums each house account's postings.
	HouseBalances(ctx context.Context, fn func(account LedgerAccount, currency string, minor int64)) error
	// Operations reads the figures operators watch (Prometheus gauges), in
	// a few aggregate queries.
	Operations(ctx context.Context) (*Operations, error)
}

// Operations is the state of the business as its operators watch it:
// counts and sums over bounded sets (states, currency pairs), never one
// figure per person or per transfer.
type Operations struct {
	// Transfers counts the transfers in each state.
	Transfers map[TransferStatus]int64
	// Pairs has, per currency pair with an open batch or a pending
	// transfer, the open batches' capital and the pending queue.
	Pairs []PairOperations
	// OldestPending is when the oldest pending transfer was created; zero
	// when none waits.
	OldestPending time.Time
	// OutboxWaiting counts outbox messages neither delivered nor given up;
	// OldestOutbox is when the oldest of them was written (zero if none).
	OutboxWaiting int64
	OldestOutbox  time.Time
	// Unsealed counts audit events committed and not yet chained;
	// OldestUnsealed is when the oldest of them happened (zero if none).
	Unsealed       int64
	OldestUnsealed time.Time
}

// PairOperations is one currency pair's liquidity. Amounts are minor units
// of Quote, the currency batches pay out in; a batch's capital is its
// balance less the payouts of the transfers taken in it and not finished.
type PairOperations struct {
	Base, Quote   string
	OpenBatches   int64
	Capital       int64 // summed over the open batches
	LowestCapital int64 // of the open batch with the least; 0 when none is open
	Pending       int64 // pending transfers
	PendingPayout int64 // what the pending transfers would pay out
}

// Waiting counts what waits for a superuser or a cashier.
type Waiting struct {
	Accounts    int64 // requested accounts
	Withdrawals int64 // requested withdrawals
	Agents      int64 // requests to become an agent
	Deposits    int64 // declared deposits, for a cashier or a superuser
	Refunds     int64 // refunds waiting for a second superuser
	Transfers   int64 // pending transfers
}

// Approvals counts what waits on the approvals page.
func (w Waiting) Approvals() int64 {
	return w.Accounts + w.Withdrawals + w.Agents + w.Deposits + w.Refunds
}
