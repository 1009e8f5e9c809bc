package cambista

import (
	"context"
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

// What a journal entry is for, in words. An entry stores its description in
// English; EntryDescription finds the message it was written from, so that
// statements read in the reader's language.
var (
	MsgEntryTransfer      = Messages.Text("entry_transfer", "transfer {{.ID}}")
	MsgEntryBatchCapital  = Messages.Text("entry_batch_capital", "batch {{.ID}} capital")
	MsgEntryBatchReturned = Messages.Text("entry_batch_returned", "batch {{.ID}} capital returned")
	MsgEntryWithdrawal    = Messages.Text("entry_withdrawal", "withdrawal")
)

var entryMessages = []MessageDef{MsgEntryTransfer, MsgEntryBatchCapital, MsgEntryBatchReturned, MsgEntryWithdrawal}

// EntryDescription returns the message an entry's stored description was
// written from, given the ID the entry refers to; a description written
// otherwise is returned as it is.
func EntryDescription(description string, ref ID) Message {
	for _, d := range entryMessages {
		if m := d.Msg("ID", ref); m.String() == description {
			return m
		}
	}
	return Message{Text: description}
}

// LedgerStore posts journal entries and reads balances and postings.
type LedgerStore interface {
	// Post commits a journal entry and sets e.ID and e.Time: EINVALID if it
	// does not balance per currency, EINSUFFICIENT if a user or batch account
	// would go negative (checked under the account's row lock).
	Post(ctx context.Context, e *JournalEntry) error
	// Balance returns a ledger account's balance derived from its postings.
	Balance(ctx context.Context, a LedgerAccount) (Balance, error)
	// LedgerState returns what the invariant checker needs.
	LedgerState(ctx context.Context) (*LedgerState, error)
	// Postings returns an account's postings with Time in [from, to) and ID
	// greater than after, in order, at most limit, each with its entry's
	// description and reference.
	Postings(ctx context.Context, account LedgerAccount, from, to time.Time, after ID, limit int) ([]*StatementLine, error)
	// BalanceBefore sums an account's postings before t, or before the
	// posting with ID after when after is not zero.
	BalanceBefore(ctx context.Context, account LedgerAccount, t time.Time, after ID) (int64, error)
	// EntryPostings calls fn with each posting of the entries whose ref is
	// (refType, refID), in entry and posting order.
	EntryPostings(ctx context.Context, refType string, refID ID,
		fn func(entry ID, at time.Time, description string, account LedgerAccount, currency string, minor int64)) error
}

// StatementLine is one posting on an account with what caused it.
type StatementLine struct {
	ID          ID // the posting's ID
	EntryID     ID
	Time        time.Time
	Description string
	RefType     string
	RefID       ID
	Currency    string
	Minor       int64 // signed: positive credits the account
}

// LedgerState is a consistent picture of the ledger for the invariant
// checker: sums of all postings per currency, the balance of every
// non-negative account derived from postings, and the cached balances.
type LedgerState struct {
	CurrencySums map[string]int64
	Derived      map[LedgerAccount]int64
	Cached       map[LedgerAccount]int64
}
