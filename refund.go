package cambista

import (
	"context"
	"time"

	"github.com/cambista/cambista/money"
)

// RefundStatus is the state of a refund or reversal.
type RefundStatus string

const (
	// RefundRequested waits for a second superuser: its amount is above
	// the limit one superuser may refund alone.
	RefundRequested RefundStatus = "requested"
	RefundPosted    RefundStatus = "posted"
	RefundRejected  RefundStatus = "rejected"
)

var refundLifecycle = lifecycle[RefundStatus]{
	entity: "refund",
	next: map[RefundStatus][]RefundStatus{
		RefundRequested: {RefundPosted, RefundRejected},
	},
}

// CheckTransition returns ECONFLICT unless the refund may move to s.
func (s RefundStatus) CheckTransition(to RefundStatus) error {
	return refundLifecycle.check(s, to)
}

// RefundKind tells a refund (all or part of what the client paid, given
// back) from a reversal (a completed transfer undone, such as one paid to
// the wrong beneficiary: everything not yet refunded, and the transfer
// becomes reversed).
type RefundKind string

const (
	KindRefund   RefundKind = "refund"
	KindReversal RefundKind = "reversal"
)

// Where the cost of a posted refund falls.
const (
	// ChargedBatch: the transfer's batch was open, so the refund lowers
	// what the batch collected, and its summary at close shows it.
	ChargedBatch = "batch"
	// ChargedHouse: the batch was closed; its stored summary never
	// changes, and the house's adjustments account bears the refund.
	ChargedHouse = "house"
)

// Refund is a compensating entry for a completed transfer: money given
// back to the client, never an edit of what was posted.
type Refund struct {
	ID         ID
	TransferID ID
	ClientID   UserID
	BatchID    ID
	Kind       RefundKind
	Amount     money.Amount // in the transfer's send currency
	// ToBalance credits the client's balance; otherwise the money was
	// returned outside (cash, a bank transfer) and leaves to the world.
	ToBalance   bool
	Reason      string
	Status      RefundStatus
	RequestedBy UserID
	ApprovedBy  UserID // the second superuser, when one was needed
	Charged     string // ChargedBatch or ChargedHouse, once posted
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// RefundStore keeps refunds.
type RefundStore interface {
	// CreateRefund inserts r and sets its ID.
	CreateRefund(ctx context.Context, r *Refund) error
	// Refund returns a refund, locked until the transaction ends; ENOTFOUND.
	Refund(ctx context.Context, id ID) (*Refund, error)
	// UpdateRefund writes r's status, approver and charge; ENOTFOUND.
	UpdateRefund(ctx context.Context, r *Refund) error
	// Refunds lists refunds, newest first.
	Refunds(ctx context.Context, f RefundFilter) ([]*Refund, error)
	// Refunded sums a transfer's refunds that are posted or waiting, in
	// minor units of its send currency.
	Refunded(ctx context.Context, transfer ID) (int64, error)
}

// RefundFilter selects refunds; zero fields match all.
type RefundFilter struct {
	TransferID ID
	BatchID    ID
	Status     RefundStatus
	Charged    string
	Limit      int
}
