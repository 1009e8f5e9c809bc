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

// What a journal entry is for, in words. An entry stores its description in
// English; EntryDescription finds the message it was written from, so that
// statements read in the reader's language.
var (
	MsgEntryTransfer      = Text("entry_transfer", "transfer {{.ID}}")
	MsgEntryBatchCapital  = Text("entry_batch_capital", "batch {{.ID}} capital")
	MsgEntryBatchReturned = Text("entry_batch_returned", "batch {{.ID}} capital returned")
	MsgEntryWithdrawal    = Text("entry_withdrawal", "withdrawal")
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
