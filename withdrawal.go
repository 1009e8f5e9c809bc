package cambista

import (
	"context"
	"time"

	"github.com/cambista/cambista/money"
)

// WithdrawalStatus is the state of a withdrawal request.
type WithdrawalStatus string

const (
	WithdrawalRequested WithdrawalStatus = "requested"
	WithdrawalApproved  WithdrawalStatus = "approved"
	WithdrawalRejected  WithdrawalStatus = "rejected"
)

var withdrawalLifecycle = lifecycle[WithdrawalStatus]{
	entity: "withdrawal",
	next: map[WithdrawalStatus][]WithdrawalStatus{
		WithdrawalRequested: {WithdrawalApproved, WithdrawalRejected},
	},
}

// CheckTransition returns ECONFLICT unless the withdrawal may move to s.
func (s WithdrawalStatus) CheckTransition(to WithdrawalStatus) error {
	return withdrawalLifecycle.check(s, to)
}

// Withdrawal is a user's request to take money out of an account. While
// requested, its amount is held against the account's available balance.
type Withdrawal struct {
	ID        ID
	UserID    UserID
	AccountID ID
	Amount    money.Amount
	Status    WithdrawalStatus
	DecidedBy UserID
	Reason    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// WithdrawalStore keeps withdrawals.
type WithdrawalStore interface {
	// CreateWithdrawal inserts w and sets its ID.
	CreateWithdrawal(ctx context.Context, w *Withdrawal) error
	// Withdrawal returns a withdrawal, locked; ENOTFOUND.
	Withdrawal(ctx context.Context, id ID) (*Withdrawal, error)
	// UpdateWithdrawal writes w's status, decider and reason; ENOTFOUND.
	UpdateWithdrawal(ctx context.Context, w *Withdrawal) error
	// Withdrawals lists withdrawals, newest first.
	Withdrawals(ctx context.Context, f WithdrawalFilter) ([]*Withdrawal, error)
	// Held sums what is held against an account: its requested
	// (undecided) withdrawals and the unfinished transfers paid from it.
	Held(ctx context.Context, account ID) (int64, error)
}

// WithdrawalFilter selects withdrawals; zero fields match all.
type WithdrawalFilter struct {
	UserID UserID
	Status WithdrawalStatus
	Limit  int
}
