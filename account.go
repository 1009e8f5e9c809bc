package cambista

import (
	"context"
	"time"
)

// AccountStatus is the state of a user's account in one currency.
type AccountStatus string

const (
	AccountRequested AccountStatus = "requested"
	AccountApproved  AccountStatus = "approved"
	AccountRejected  AccountStatus = "rejected"
	AccountFrozen    AccountStatus = "frozen"
)

var accountLifecycle = lifecycle[AccountStatus]{
	entity: "account",
	next: map[AccountStatus][]AccountStatus{
		AccountRequested: {AccountApproved, AccountRejected},
		AccountApproved:  {AccountFrozen},
		AccountFrozen:    {AccountApproved},
	},
}

// CheckTransition returns ECONFLICT unless the account may move to s.
func (s AccountStatus) CheckTransition(to AccountStatus) error {
	return accountLifecycle.check(s, to)
}

// Account is a user's wallet in one currency. Its balance lives in the
// ledger under LedgerAccount.
type Account struct {
	ID          ID
	UserID      UserID
	Currency    string
	Status      AccountStatus
	RequestedBy UserID
	DecidedBy   UserID
	Reason      string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// AccountStore keeps users' accounts.
type AccountStore interface {
	// CreateAccount inserts a and sets its ID; ECONFLICT if the user already
	// has a live (not rejected) account in that currency.
	CreateAccount(ctx context.Context, a *Account) error
	// Account returns an account, locked until the transaction ends; ENOTFOUND.
	Account(ctx context.Context, id ID) (*Account, error)
	// AccountOf returns the user's live account in the currency, locked; ENOTFOUND.
	AccountOf(ctx context.Context, user UserID, currency string) (*Account, error)
	// UpdateAccount writes a's status, decider and reason; ENOTFOUND.
	UpdateAccount(ctx context.Context, a *Account) error
	// Accounts lists accounts, newest first.
	Accounts(ctx context.Context, f AccountFilter) ([]*Account, error)
}

// AccountFilter selects accounts; zero fields match all.
type AccountFilter struct {
	UserID UserID
	Status AccountStatus
	Limit  int
}
