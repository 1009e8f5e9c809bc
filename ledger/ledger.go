// Package ledger is cambista's double-entry bookkeeping, without I/O: it
// names ledger accounts, builds journal entries from moves of money, checks
// that they balance, and checks the ledger's invariants over the state a
// store reads.
//
// Accounts:
//
//	user:<id>:<CUR>         a user's wallet; never negative
//	batch:<id>              a batch's payout capital, in the batch's currency; never negative
//	house:<name>:<CUR>      the business's own accounts (receipts, revenue, commissions…)
//	world:<CUR>             money outside the system; may go negative
//
// Only user and batch accounts are guarded against going negative, so only
// they get a cached balance row that a transaction locks; house and world
// balances are sums over postings, so no row is a hot spot every
// transaction must lock.
package ledger

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/money"
)

// House account names.
const (
	HouseReceipts    = "receipts"
	HouseRevenue     = "revenue"
	HouseCommissions = "commissions"
	HouseBonuses     = "bonuses"
	HouseCapital     = "capital"
	// HouseAdjustments bears refunds and reversals of transfers whose
	// batch had closed: the batch's stored summary never changes.
	HouseAdjustments = cambista.HouseAdjustments
)

// User names a user's wallet in a currency.
func User(id cambista.UserID, cur string) cambista.LedgerAccount {
	return cambista.LedgerAccount("user:" + string(id) + ":" + cur)
}

// BatchPrefix begins a batch account's name, which ends with the batch's
// ID.
const BatchPrefix = "batch:"

// Batch names a batch's capital account.
func Batch(id cambista.ID) cambista.LedgerAccount {
	return cambista.LedgerAccount(BatchPrefix + strconv.FormatInt(int64(id), 10))
}

// House names one of the business's own accounts.
func House(name, cur string) cambista.LedgerAccount {
	return cambista.LedgerAccount("house:" + name + ":" + cur)
}

// World names the outside world in a currency.
func World(cur string) cambista.LedgerAccount {
	return cambista.LedgerAccount("world:" + cur)
}

// Kind returns the first segment of an account name: user, batch, house or
// world.
func Kind(a cambista.LedgerAccount) string {
	k, _, _ := strings.Cut(string(a), ":")
	return k
}

// Guarded reports whether the account may never go negative.
func Guarded(a cambista.LedgerAccount) bool {
	k := Kind(a)
	return k == "user" || k == "batch"
}

// Currency returns the currency named by the account, or "" for batch
// accounts, whose currency is their batch's.
func Currency(a cambista.LedgerAccount) string {
	if Kind(a) == "batch" {
		return ""
	}
	s := string(a)
	return s[strings.LastIndexByte(s, ':')+1:]
}

// ParseAccount checks that a is a well-formed account name.
func ParseAccount(a cambista.LedgerAccount) error {
	parts := strings.Split(string(a), ":")
	bad := func(reason string) error {
		return cambista.Errorf(cambista.EINVALID, cambista.MsgBadPosting.Msg("Account", string(a), "Reason", reason))
	}
	switch parts[0] {
	case "user":
		if len(parts) != 3 || cambista.ValidateUserID(cambista.UserID(parts[1])) != nil || !isCode(parts[2]) {
			return bad("expected user:<discord id>:<currency>")
		}
	case "batch":
		if len(parts) != 2 {
			return bad("expected batch:<id>")
		}
		if n, err := strconv.ParseInt(parts[1], 10, 64); err != nil || n <= 0 {
			return bad("expected batch:<id>")
		}
	case "house":
		if len(parts) != 3 || parts[1] == "" || !isCode(parts[2]) {
			return bad("expected house:<name>:<currency>")
		}
	case "world":
		if len(parts) != 2 || !isCode(parts[1]) {
			return bad("expected world:<currency>")
		}
	default:
		return bad("unknown kind of account")
	}
	return nil
}

func isCode(s string) bool {
	return (money.Currency{Code: s}).Validate() == nil
}

// Entry builds a journal entry.
type Entry struct {
	e cambista.JournalEntry
}

// New starts an entry with a description and the entity that caused it.
func New(description cambista.EntryDescription, refType string, refID cambista.ID) *Entry {
	return &Entry{e: cambista.JournalEntry{Description: description, RefType: refType, RefID: refID}}
}

// Move adds two postings that move a positive amount from one account to
// another. A zero amount adds nothing, so optional figures (a bonus of zero)
// need no special case.
func (b *Entry) Move(from, to cambista.LedgerAccount, a money.Amount) *Entry {
	if a.IsZero() {
		return b
	}
	neg, _ := a.Neg() // a positive int64 always negates
	b.e.Postings = append(b.e.Postings,
		cambista.Posting{Account: from, Amount: neg},
		cambista.Posting{Account: to, Amount: a})
	return b
}

// Entry returns the built entry, validated.
func (b *Entry) Entry() (*cambista.JournalEntry, error) {
	e := b.e
	e.Postings = append([]cambista.Posting(nil), b.e.Postings...)
	if err := Validate(&e); err != nil {
		return nil, err
	}
	return &e, nil
}

// Validate refuses an entry that has no postings, a malformed account, a
// zero posting, a currency that contradicts its account's name, or that does
// not sum to zero in every currency.
func Validate(e *cambista.JournalEntry) error {
	if len(e.Postings) == 0 {
		return cambista.Errorf(cambista.EINVALID, cambista.MsgBadPosting.Msg("Account", "", "Reason", "an entry needs postings"))
	}
	sums := map[string]int64{}
	for _, p := range e.Postings {
		if err := ParseAccount(p.Account); err != nil {
			return err
		}
		if p.Amount.IsZero() {
			return cambista.Errorf(cambista.EINVALID, cambista.MsgBadPosting.Msg("Account", string(p.Account), "Reason", "zero amount"))
		}
		if c := Currency(p.Account); c != "" && c != p.Amount.Currency.Code {
			return cambista.Errorf(cambista.EINVALID, cambista.MsgBadPosting.Msg("Account", string(p.Account),
				"Reason", fmt.Sprintf("amount in %s on a %s account", p.Amount.Currency.Code, c)))
		}
		cur := p.Amount.Currency.Code
		s, overflow := add(sums[cur], p.Amount.Minor)
		if overflow {
			return cambista.Errorf(cambista.EINVALID, cambista.MsgAmountOverflow.Msg())
		}
		sums[cur] = s
	}
	for _, cur := range sortedKeys(sums) {
		if sums[cur] != 0 {
			return cambista.Errorf(cambista.EINVALID, cambista.MsgUnbalanced.Msg("Currency", cur, "Minor", sums[cur]))
		}
	}
	return nil
}

// add returns a+b and whether it overflowed int64.
func add(a, b int64) (int64, bool) {
	s := a + b
	return s, (a > 0 && b > 0 && s < 0) || (a < 0 && b < 0 && s >= 0)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
