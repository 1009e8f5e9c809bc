package cambista

import "time"

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
