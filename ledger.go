package cambista

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/cambista/cambista/money"
)

// HouseAdjustments is the house account that bears refunds of transfers
// whose batch had closed (package ledger names it too).
const HouseAdjustments = "adjustments"

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
	Description EntryDescription
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

// EntryKind is what a journal entry is for, a stable code. An entry keeps
// its kind and the parameters of the kind's message, not words, so that it
// is read in the reader's language and in the message's current wording.
type EntryKind string

const (
	EntryTransfer      EntryKind = "transfer"
	EntryBatchCapital  EntryKind = "batch_capital"
	EntryBatchReturned EntryKind = "batch_returned"
	EntryWithdrawal    EntryKind = "withdrawal"
	EntryDeposit       EntryKind = "deposit"
	EntryRefund        EntryKind = "refund"
	EntryReversal      EntryKind = "reversal"
	// EntryText is an entry whose words are its "Text" parameter, shown as
	// they are: one written before entries had kinds, in words no kind's
	// message rendered.
	EntryText EntryKind = "text"
)

// EntryDescription is what a journal entry is for: its kind and the data
// of the kind's message.
type EntryDescription struct {
	Kind   EntryKind
	Params map[string]string
}

// The words of each kind of entry.
var (
	MsgEntryTransfer      = Messages.Text("entry_transfer", "transfer {{.ID}}")
	MsgEntryBatchCapital  = Messages.Text("entry_batch_capital", "batch {{.ID}} capital")
	MsgEntryBatchReturned = Messages.Text("entry_batch_returned", "batch {{.ID}} capital returned")
	MsgEntryWithdrawal    = Messages.Text("entry_withdrawal", "withdrawal")
	MsgEntryDeposit       = Messages.Text("entry_deposit", "deposit {{.ID}}")
	MsgEntryRefund        = Messages.Text("entry_refund", "refund {{.ID}} of transfer {{.Transfer}}")
	MsgEntryReversal      = Messages.Text("entry_reversal", "reversal {{.ID}} of transfer {{.Transfer}}")
	MsgEntryText          = Messages.Text("entry_text", "{{.Text}}")
)

// entryMessages points at the messages rather than copying them, so an
// entry is read in the wording of the moment.
var entryMessages = map[EntryKind]*MessageDef{
	EntryTransfer:      &MsgEntryTransfer,
	EntryBatchCapital:  &MsgEntryBatchCapital,
	EntryBatchReturned: &MsgEntryBatchReturned,
	EntryWithdrawal:    &MsgEntryWithdrawal,
	EntryDeposit:       &MsgEntryDeposit,
	EntryRefund:        &MsgEntryRefund,
	EntryReversal:      &MsgEntryReversal,
	EntryText:          &MsgEntryText,
}

// TransferEntry describes the entry that completes transfer id.
func TransferEntry(id ID) EntryDescription { return entryAbout(EntryTransfer, id) }

// BatchCapitalEntry describes the entry that funds batch id.
func BatchCapitalEntry(id ID) EntryDescription { return entryAbout(EntryBatchCapital, id) }

// BatchReturnedEntry describes the entry that returns what is left of
// batch id's capital.
func BatchReturnedEntry(id ID) EntryDescription { return entryAbout(EntryBatchReturned, id) }

// WithdrawalEntry describes the entry that pays a withdrawal out.
func WithdrawalEntry() EntryDescription { return EntryDescription{Kind: EntryWithdrawal} }

// DepositEntry describes the entry that credits confirmed deposit id.
func DepositEntry(id ID) EntryDescription { return entryAbout(EntryDeposit, id) }

// RefundEntry describes the entry that posts refund id (a reversal when
// kind says so) of transfer t.
func RefundEntry(kind RefundKind, id, t ID) EntryDescription {
	d := entryAbout(EntryRefund, id)
	if kind == KindReversal {
		d.Kind = EntryReversal
	}
	d.Params["Transfer"] = strconv.FormatInt(int64(t), 10)
	return d
}

func entryAbout(k EntryKind, id ID) EntryDescription {
	return EntryDescription{Kind: k, Params: map[string]string{"ID": strconv.FormatInt(int64(id), 10)}}
}

// Message returns the entry's words, to be rendered in the reader's
// language. A kind this version does not know shows as its code.
func (d EntryDescription) Message() Message {
	def, ok := entryMessages[d.Kind]
	if !ok {
		return MsgEntryText.Msg("Text", string(d.Kind))
	}
	m := Message{ID: def.ID, Text: def.Text, Data: make(map[string]any, len(d.Params))}
	for k, v := range d.Params {
		m.Data[k] = v
	}
	return m
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
		fn func(entry ID, at time.Time, description EntryDescription, account LedgerAccount, currency string, minor int64)) error
}

// StatementLine is one posting on an account with what caused it.
type StatementLine struct {
	ID          ID // the posting's ID
	EntryID     ID
	Time        time.Time
	Description EntryDescription
	RefType     string
	RefID       ID
	Currency    string
	Minor       int64 // signed: positive credits the account
	// Counter is the account on the other side of the posting's move:
	// where a credit came from, where a debit went.
	Counter LedgerAccount
}

// What a statement line is, said as a vocabulary word.
const (
	LineCommission = "commission"       // an agent's share of a transfer's commission
	LineBonus      = "bonus"            // a bonus a rule pays on a transfer
	LinePayout     = "payout"           // a batch paying a transfer out
	LineCapital    = "capital"          // a batch's capital coming in
	LineReturned   = "capital returned" // what a closed batch had left, going back
	LineWithdrawal = "withdrawal"       // money taken out of a wallet
	LineDeposit    = "deposit"          // money paid into a wallet from outside
	LineRefund     = "refund"           // a refund or reversal given back to a client
	LineOther      = "other"
)

func init() {
	for _, s := range []string{LineCommission, LineBonus, LinePayout, LineCapital, LineReturned, LineOther} {
		word(s)
	}
}

// Kind says what the line is (LineCommission, LineBonus …): a transfer's
// entry credits an agent both their share of the commission and any
// bonus, which only the account they come from tells apart.
func (l *StatementLine) Kind() string {
	switch l.Description.Kind {
	case EntryWithdrawal:
		return LineWithdrawal
	case EntryDeposit:
		return LineDeposit
	case EntryRefund, EntryReversal:
		return LineRefund
	case EntryBatchCapital:
		return LineCapital
	case EntryBatchReturned:
		return LineReturned
	case EntryTransfer:
		switch counter := string(l.Counter); {
		case strings.HasPrefix(counter, "house:commissions:"):
			return LineCommission
		case strings.HasPrefix(counter, "house:bonuses:"):
			return LineBonus
		case l.Minor < 0 && strings.HasPrefix(counter, "world:"):
			return LinePayout
		}
	}
	return LineOther
}

// LedgerState is a consistent picture of the ledger for the invariant
// checker: sums of all postings per currency, the balance of every
// non-negative account derived from postings, and the cached balances.
type LedgerState struct {
	CurrencySums map[string]int64
	Derived      map[LedgerAccount]int64
	Cached       map[LedgerAccount]int64
}
