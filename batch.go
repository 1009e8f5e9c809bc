package cambista

import (
	"context"
	"time"

	"github.com/cambista/cambista/money"
)

// BatchStatus is the state of a cashier's batch of capital.
type BatchStatus string

const (
	BatchOpen   BatchStatus = "open"
	BatchClosed BatchStatus = "closed"
)

var batchLifecycle = lifecycle[BatchStatus]{
	entity: "batch",
	next:   map[BatchStatus][]BatchStatus{BatchOpen: {BatchClosed}},
}

// CheckTransition returns ECONFLICT unless the batch may move to s.
func (s BatchStatus) CheckTransition(to BatchStatus) error {
	return batchLifecycle.check(s, to)
}

// Batch is a cashier's lot of payout capital for one pair: transfers from
// Base are paid out in Quote from it. CostRate is what the capital cost, in
// Quote per Base.
type Batch struct {
	ID        ID
	CashierID UserID
	Base      string
	Quote     string
	Capital   money.Amount // in Quote
	CostRate  money.Rate
	Status    BatchStatus
	Summary   *BatchSummary // set when closed, never changed after
	OpenedAt  time.Time
	ClosedAt  time.Time
}

// BatchSummary is the immutable result of closing a batch (see DESIGN.md's
// worked example).
type BatchSummary struct {
	Transfers int
	PaidOut   money.Amount // Quote: total payouts
	Cost      money.Amount // Base: PaidOut ÷ CostRate, rounded once
	Collected money.Amount // Base: what clients paid, commission included
	// Refunded is what refunds and reversals of its transfers gave back
	// while the batch was open (later ones fall on the house, and never
	// change a closed batch's summary).
	Refunded         money.Amount // Base
	GrossProfit      money.Amount // Base: Collected − Refunded − Cost
	AgentCommissions money.Amount // Base
	NetProfit        money.Amount // Base
	Returned         money.Amount // Quote: capital not paid out
}

// BatchStore keeps cashiers' batches.
type BatchStore interface {
	// CreateBatch inserts b and sets its ID; ECONFLICT if the cashier has an
	// open batch for the pair.
	CreateBatch(ctx context.Context, b *Batch) error
	// Batch returns a batch, locked until the transaction ends; ENOTFOUND.
	Batch(ctx context.Context, id ID) (*Batch, error)
	// OpenBatchOf returns the cashier's open batch for the pair, locked
	// until the transaction ends; ENOTFOUND when there is none.
	OpenBatchOf(ctx context.Context, cashier UserID, base, quote string) (*Batch, error)
	// UpdateBatch writes b's status, summary and close time; ENOTFOUND.
	UpdateBatch(ctx context.Context, b *Batch) error
	// Batches lists batches, newest first.
	Batches(ctx context.Context, f BatchFilter) ([]*Batch, error)
	// BatchTotals sums a batch's transfers by status.
	BatchTotals(ctx context.Context, batch ID) (map[TransferStatus]TransferTotals, error)
	// BatchFunds returns, in one read, a batch's balance and the sum of the
	// payouts of the transfers taken in it and not yet finished.
	BatchFunds(ctx context.Context, batch ID) (balance, reserved int64, err error)
}

// BatchFilter selects batches; zero fields match all.
type BatchFilter struct {
	CashierID UserID
	Status    BatchStatus
	Base      string
	Quote     string
	From, To  time.Time // opened in [From, To)
	Limit     int
}
