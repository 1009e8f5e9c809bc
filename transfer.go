package cambista

import (
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
)

// A taken transfer may be released back to pending so that its batch can
// close without paying it.
var transferLifecycle = lifecycle[TransferStatus]{
	entity: "transfer",
	next: map[TransferStatus][]TransferStatus{
		TransferQuoted:  {TransferPending},
		TransferPending: {TransferTaken, TransferCancelled, TransferExpired},
		TransferTaken:   {TransferCompleted, TransferRejected, TransferPending},
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
	CreatedAt   time.Time
	UpdatedAt   time.Time
}
