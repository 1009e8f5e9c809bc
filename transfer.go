package cambista

import (
	"context"
	"time"

	"github.com/cambista/cambista/money"
)

// TransferStatus is the state of a client's transfer request.
type TransferStatus string

const (
	TransferQuoted    TransferStatus = "quoted"
	TransferPending   TransferStatus = "pending"
	TransferTaken     TransferStatus = "taken"
	TransferCompleted TransferStatus = "completed"
	TransferRejected  TransferStatus = "rejected"
	TransferCancelled TransferStatus = "cancelled"
	TransferExpired   TransferStatus = "expired"
	// TransferReversed is a completed transfer undone (paid to the wrong
	// beneficiary, say): a reversal gave the client back what was left.
	TransferReversed TransferStatus = "reversed"
)

// A taken transfer may be released back to pending so that its batch can
// close without paying it.
var transferLifecycle = lifecycle[TransferStatus]{
	entity: "transfer",
	next: map[TransferStatus][]TransferStatus{
		TransferQuoted:    {TransferPending},
		TransferPending:   {TransferTaken, TransferCancelled, TransferExpired},
		TransferTaken:     {TransferCompleted, TransferRejected, TransferPending},
		TransferCompleted: {TransferReversed},
	},
}

// CheckTransition returns ECONFLICT unless the transfer may move to s.
func (s TransferStatus) CheckTransition(to TransferStatus) error {
	return transferLifecycle.check(s, to)
}

// Beneficiary is who receives the money at the other end.
type Beneficiary struct {
	Name          string
	Bank          string
	AccountNumber string
	DocumentID    string
}

// Transfer is a client's request to send money from one currency and
// country to another; it keeps the quote it was made with.
type Transfer struct {
	ID          ID
	ClientID    UserID
	QuoteID     ID
	Status      TransferStatus
	Send        money.Amount // what the client pays, commission included
	Commission  money.Amount // in the send currency
	AgentID     UserID       // the referring agent, "" if none
	AgentShare  money.Amount // part of Commission paid to AgentID on completion
	Receive     money.Amount // what the beneficiary gets
	FromCountry string
	ToCountry   string
	Beneficiary Beneficiary
	CashierID   UserID
	BatchID     ID
	Reference   string
	ProofURL    string
	Reason      string
	// FromBalance says the client pays from their balance in the send
	// currency: Send is held while the transfer is pending or taken, and
	// posted from the client's account when it completes.
	FromBalance bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// TransferStore keeps transfers.
type TransferStore interface {
	// CreateTransfer inserts t and sets its ID; ECONFLICT if its quote was
	// used already.
	CreateTransfer(ctx context.Context, t *Transfer) error
	// Transfer returns a transfer, locked until the transaction ends; ENOTFOUND.
	Transfer(ctx context.Context, id ID) (*Transfer, error)
	// UpdateTransfer writes t's state fields; ENOTFOUND.
	UpdateTransfer(ctx context.Context, t *Transfer) error
	// Transfers lists transfers matching the filter, newest first.
	Transfers(ctx context.Context, f TransferFilter) ([]*Transfer, error)
	// SentSince sums what the user sent in the currency, in transfers not
	// cancelled, expired or rejected, created at or after since.
	SentSince(ctx context.Context, user UserID, currency string, since time.Time) (int64, error)
}

// TransferFilter selects transfers; zero fields match all.
type TransferFilter struct {
	Status    TransferStatus
	ClientID  UserID
	CashierID UserID
	BatchID   ID
	From, To  time.Time // created in [From, To)
	Before    ID        // IDs below, for paging newest first
	Limit     int
}

// TransferTotals sums a set of transfers, in minor units of their send
// (Send, Commission, AgentShare) and payout (Receive) currencies.
type TransferTotals struct {
	Count      int
	Send       int64
	Commission int64
	AgentShare int64
	Receive    int64
}
