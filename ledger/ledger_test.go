package ledger_test

import (
	"testing"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/money"
)

var (
	usd = money.Currency{Code: "USD", Exponent: 2}
	ves = money.Currency{Code: "VES", Exponent: 2}
)

func TestAccountNames(t *testing.T) {
	for _, tc := range []struct {
		a       cambista.LedgerAccount
		ok      bool
		kind    string
		cur     string
		guarded bool
	}{
		{ledger.User("123", "USD"), true, "user", "USD", true},
		{ledger.Batch(7), true, "batch", "", true},
		{ledger.House(ledger.HouseReceipts, "USD"), true, "house", "USD", false},
		{ledger.World("VES"), true, "world", "VES", false},
		{"user:abc:USD", false, "user", "USD", true},
		{"user:1", false, "user", "1", true},
		{"batch:0", false, "batch", "", true},
		{"batch:x", false, "batch", "", true},
		{"house::USD", false, "house", "USD", false},
		{"world:usd", false, "world", "usd", false},
		{"moon:USD", false, "moon", "USD", false},
	} {
		err := ledger.ParseAccount(tc.a)
		if (err == nil) != tc.ok {
			t.Errorf("ParseAccount(%s) = %v, want ok=%v", tc.a, err, tc.ok)
		}
		if ledger.Kind(tc.a) != tc.kind || ledger.Currency(tc.a) != tc.cur || ledger.Guarded(tc.a) != tc.guarded {
			t.Errorf("%s: kind %s currency %s guarded %v", tc.a, ledger.Kind(tc.a), ledger.Currency(tc.a), ledger.Guarded(tc.a))
		}
	}
}

// TestWorkedExample builds the completion entry of DESIGN.md's example.
func TestWorkedExample(t *testing.T) {
	e, err := ledger.New(cambista.TransferEntry(1), "transfer", 1).
		Move(ledger.World("USD"), ledger.House(ledger.HouseReceipts, "USD"), money.New(10000, usd)).
		Move(ledger.Batch(7), ledger.World("VES"), money.New(388000, ves)).
		Move(ledger.House(ledger.HouseCommissions, "USD"), ledger.User("55", "USD"), money.New(100, usd)).
		Move(ledger.World("USD"), ledger.User("55", "USD"), money.New(0, usd)). // a zero bonus adds nothing
		Entry()
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Postings) != 6 {
		t.Fatalf("%d postings, want 6", len(e.Postings))
	}
}

func TestValidate(t *testing.T) {
	p := func(a cambista.LedgerAccount, minor int64, c money.Currency) cambista.Posting {
		return cambista.Posting{Account: a, Amount: money.New(minor, c)}
	}
	for name, tc := range map[string]struct {
		postings []cambista.Posting
		ok       bool
	}{
		"OK":               {[]cambista.Posting{p(ledger.World("USD"), -5, usd), p(ledger.User("1", "USD"), 5, usd)}, true},
		"OKTwoCurrencies":  {[]cambista.Posting{p(ledger.World("USD"), -5, usd), p(ledger.User("1", "USD"), 5, usd), p(ledger.Batch(1), -9, ves), p(ledger.World("VES"), 9, ves)}, true},
		"ErrEmpty":         {nil, false},
		"ErrUnbalanced":    {[]cambista.Posting{p(ledger.World("USD"), -5, usd), p(ledger.User("1", "USD"), 4, usd)}, false},
		"ErrCrossCurrency": {[]cambista.Posting{p(ledger.World("USD"), -5, usd), p(ledger.Batch(1), 5, ves)}, false},
		"ErrWrongCurrency": {[]cambista.Posting{p(ledger.World("USD"), -5, ves), p(ledger.World("VES"), 5, ves)}, false},
		"ErrZero":          {[]cambista.Posting{p(ledger.World("USD"), 0, usd), p(ledger.User("1", "USD"), 0, usd)}, false},
		"ErrBadAccount":    {[]cambista.Posting{p("nowhere", -5, usd), p(ledger.User("1", "USD"), 5, usd)}, false},
		"ErrSumOverflows":  {[]cambista.Posting{p(ledger.World("USD"), 1<<62, usd), p(ledger.World("USD"), 1<<62, usd), p(ledger.User("1", "USD"), -(1 << 62), usd)}, false},
	} {
		t.Run(name, func(t *testing.T) {
			err := ledger.Validate(&cambista.JournalEntry{Postings: tc.postings})
			if (err == nil) != tc.ok {
				t.Fatalf("Validate = %v, want ok=%v", err, tc.ok)
			}
			if err != nil && cambista.ErrorCode(err) != cambista.EINVALID {
				t.Fatalf("code %s, want invalid", cambista.ErrorCode(err))
			}
		})
	}
}

func TestCheck(t *testing.T) {
	ok := &cambista.LedgerState{
		CurrencySums: map[string]int64{"USD": 0, "VES": 0},
		Derived:      map[cambista.LedgerAccount]int64{"user:1:USD": 500, "batch:2": 0},
		Cached:       map[cambista.LedgerAccount]int64{"user:1:USD": 500, "batch:2": 0},
	}
	if v := ledger.Check(ok); len(v) != 0 {
		t.Fatalf("violations in a sound ledger: %v", v)
	}
	bad := &cambista.LedgerState{
		CurrencySums: map[string]int64{"USD": 3},
		Derived:      map[cambista.LedgerAccount]int64{"user:1:USD": -2, "user:2:USD": 7},
		Cached:       map[cambista.LedgerAccount]int64{"user:1:USD": -2, "user:3:USD": 1},
	}
	got := ledger.Check(bad)
	want := []string{"currency_sum USD", "negative_balance user:1:USD", "cached_balance user:2:USD", "cached_balance user:3:USD"}
	if len(got) != len(want) {
		t.Fatalf("violations %v, want %v", got, want)
	}
	for i, v := range got {
		if v.Invariant+" "+v.Subject != want[i] {
			t.Errorf("violation %d = %s, want %s", i, v, want[i])
		}
	}
}
