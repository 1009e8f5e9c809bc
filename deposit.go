package cambista

import (
	"context"
	"time"

	"github.com/cambista/cambista/money"
)

// DepositStatus is the state of a declared deposit.
type DepositStatus string

const (
	DepositDeclared  DepositStatus = "declared"
	DepositConfirmed DepositStatus = "confirmed"
	DepositRejected  DepositStatus = "rejected"
)

var depositLifecycle = lifecycle[DepositStatus]{
	entity: "deposit",
	next: map[DepositStatus][]DepositStatus{
		DepositDeclared: {DepositConfirmed, DepositRejected},
	},
}

// CheckTransition returns ECONFLICT unless the deposit may move to s.
func (s DepositStatus) CheckTransition(to DepositStatus) error {
	return depositLifecycle.check(s, to)
}

// Deposit is a user's statement that they paid money into one of their
// accounts from outside. Nothing is posted until staff who are not the
// depositor confirm that the funds arrived.
type Deposit struct {
	ID        ID
	UserID    UserID
	AccountID ID
	Amount    money.Amount
	Method    string // how it was paid, as the depositor wrote it
	ProofURL  string // an optional attachment showing the payment
	Status    DepositStatus
	DecidedBy UserID
	Reason    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// DepositStore keeps deposits.
type DepositStore interface {
	// CreateDeposit inserts d and sets its ID.
	CreateDeposit(ctx context.Context, d *Deposit) error
	// Deposit returns a deposit, locked until the transaction ends; ENOTFOUND.
	Deposit(ctx context.Context, id ID) (*Deposit, error)
	// UpdateDeposit writes d's status, decider and reason; ENOTFOUND.
	UpdateDeposit(ctx context.Context, d *Deposit) error
	// Deposits lists deposits, newest first.
	Deposits(ctx context.Context, f DepositFilter) ([]*Deposit, error)
}

// DepositFilter selects deposits; zero fields match all.
type DepositFilter struct {
	UserID UserID
	Status DepositStatus
	Limit  int
}
