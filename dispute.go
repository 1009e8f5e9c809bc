package cambista

import (
	"context"
	"time"
)

// DisputeStatus is the state of a client's dispute of a completed
// transfer. The names differ from other lifecycles' where Spanish needs
// another word ("disputa abierta", not "lote abierto").
type DisputeStatus string

const (
	DisputeOpened   DisputeStatus = "opened"
	DisputeRejected DisputeStatus = "rejected"
	// DisputeRefunded: a superuser found for the client and refunded all
	// or part of the transfer (Dispute.RefundID), in the same transaction.
	DisputeRefunded DisputeStatus = "refunded"
)

var disputeLifecycle = lifecycle[DisputeStatus]{
	entity: "dispute",
	next: map[DisputeStatus][]DisputeStatus{
		DisputeOpened: {DisputeRejected, DisputeRefunded},
	},
}

// CheckTransition returns ECONFLICT unless the dispute may move to s.
func (s DisputeStatus) CheckTransition(to DisputeStatus) error {
	return disputeLifecycle.check(s, to)
}

// DefaultDisputeDays is how many days after its completion a transfer may
// be disputed when no superuser has set another number.
const DefaultDisputeDays = 30

// Dispute is a client's claim that a completed transfer went wrong. Staff
// discuss it in a thread of the admin channel; a superuser resolves it.
type Dispute struct {
	ID         ID
	TransferID ID
	ClientID   UserID
	CashierID  UserID // the transfer's cashier, told of the thread
	Reason     string // the client's
	Status     DisputeStatus
	Resolution string // the superuser's reason
	ResolvedBy UserID
	RefundID   ID // the refund made when it was found for the client
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// DisputeStore keeps disputes.
type DisputeStore interface {
	// CreateDispute inserts d and sets its ID; ECONFLICT if the transfer
	// was disputed already.
	CreateDispute(ctx context.Context, d *Dispute) error
	// Dispute returns a dispute, locked until the transaction ends;
	// ENOTFOUND.
	Dispute(ctx context.Context, id ID) (*Dispute, error)
	// UpdateDispute writes d's status and resolution; ENOTFOUND.
	UpdateDispute(ctx context.Context, d *Dispute) error
	// Disputes lists disputes, newest first.
	Disputes(ctx context.Context, f DisputeFilter) ([]*Dispute, error)
}

// DisputeFilter selects disputes; zero fields match all.
type DisputeFilter struct {
	TransferID ID
	Status     DisputeStatus
	Limit      int
}
