package cambista

import (
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
	Transfers        int
	PaidOut          money.Amount // Quote: total payouts
	Cost             money.Amount // Base: PaidOut ÷ CostRate, rounded once
	Collected        money.Amount // Base: what clients paid, commission included
	GrossProfit      money.Amount // Base: Collected − Cost
	AgentCommissions money.Amount // Base
	NetProfit        money.Amount // Base
	Returned         money.Amount // Quote: capital not paid out
}
