package cambista

import (
	"time"

	"github.com/cambista/cambista/money"
)

// LedgerAccount names an account of the double-entry ledger, such as
// "user:123:USD", "batch:7", "house:receipts:USD" or "world:VES". The ledger
// package builds and parses these names.
type LedgerAccount string

// Posting is one leg of a journal entry: a signed amount on one ledger
// account (positive credits the account, negative debits it).
type Posting struct {
	Account LedgerAccount
	Amount  money.Amount
}

// JournalEntry is a set of postings committed together. For each currency
// its postings sum to zero.
type JournalEntry struct {
	ID          ID
	Time        time.Time
	Description string
	RefType     string // the entity that caused it: "transfer", "batch", "withdrawal"…
	RefID       ID
	Postings    []Posting
}

// Balance is an account's balance in minor units of its currency.
type Balance struct {
	Account  LedgerAccount
	Currency string
	Minor    int64
}
