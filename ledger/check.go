package ledger

import (
	"fmt"
	"sort"

	"github.com/cambista/cambista"
)

// Violation is one broken ledger invariant.
type Violation struct {
	Invariant string // "currency_sum", "negative_balance", "cached_balance"
	Subject   string // the currency or account
	Detail    string
}

func (v Violation) String() string {
	return fmt.Sprintf("%s %s: %s", v.Invariant, v.Subject, v.Detail)
}

// Check returns every broken invariant of the ledger state, in a stable
// order: the postings of each currency sum to zero; no guarded account is
// negative; every cached balance equals the balance derived from postings
// (and every guarded account with postings has one).
func Check(s *cambista.LedgerState) []Violation {
	var out []Violation
	for _, cur := range sortedKeys(s.CurrencySums) {
		if sum := s.CurrencySums[cur]; sum != 0 {
			out = append(out, Violation{"currency_sum", cur, fmt.Sprintf("postings sum to %d minor units, want 0", sum)})
		}
	}
	accounts := map[cambista.LedgerAccount]bool{}
	for a := range s.Derived {
		accounts[a] = true
	}
	for a := range s.Cached {
		accounts[a] = true
	}
	sorted := make([]cambista.LedgerAccount, 0, len(accounts))
	for a := range accounts {
		sorted = append(sorted, a)
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	for _, a := range sorted {
		derived := s.Derived[a]
		if derived < 0 && Guarded(a) {
			out = append(out, Violation{"negative_balance", string(a), fmt.Sprintf("balance is %d minor units", derived)})
		}
		cached, ok := s.Cached[a]
		switch {
		case !ok && derived != 0:
			out = append(out, Violation{"cached_balance", string(a), fmt.Sprintf("no cached balance, derived %d", derived)})
		case ok && cached != derived:
			out = append(out, Violation{"cached_balance", string(a), fmt.Sprintf("cached %d, derived %d", cached, derived)})
		}
	}
	return out
}
