package rules

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/money"
)

var (
	usd   = money.Currency{Code: "USD", Exponent: 2}
	usdUp = money.Currency{Code: "USD", Exponent: 2, Rounding: money.HalfUp}
	ves   = money.Currency{Code: "VES", Exponent: 2}
	clp   = money.Currency{Code: "CLP", Exponent: 0}
	cop   = money.Currency{Code: "COP", Exponent: 2}
	usdt  = money.Currency{Code: "USDT", Exponent: 6}

	// monday is a Monday afternoon, UTC.
	monday = time.Date(2025, 3, 10, 15, 30, 0, 0, time.UTC)
)

// currencies is the lookup Validate and Input.Currencies are given.
func currencies(code string) (money.Currency, bool) {
	for _, c := range []money.Currency{usd, ves, clp, cop, usdt} {
		if c.Code == code {
			return c, true
		}
	}
	return money.Currency{}, false
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func amt(minor int64, c money.Currency) money.Amount { return money.New(minor, c) }

func mustRate(tb testing.TB, s string) money.Rate {
	tb.Helper()
	r, err := money.ParseRate(s)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// input is a quote of send to payout currency to at rate, from CO to VE by
// a client at monday.
func input(tb testing.TB, send money.Amount, to money.Currency, rate string) Input {
	tb.Helper()
	return Input{
		Amount:      send,
		To:          to,
		FromCountry: "CO",
		ToCountry:   "VE",
		UserType:    cambista.UserTypeClient,
		At:          monday,
		BaseRate:    mustRate(tb, rate),
		RateID:      7,
	}
}

func mustSet(tb testing.TB, rules ...Rule) *Set {
	tb.Helper()
	s, err := NewSet(rules)
	if err != nil {
		tb.Fatalf("NewSet: %v", err)
	}
	return s
}

func mustQuote(tb testing.TB, s *Set, in Input) *Quote {
	tb.Helper()
	q, err := s.Quote(in)
	if err != nil {
		tb.Fatalf("Quote: %v", err)
	}
	return q
}

// wantErr checks that err is a *cambista.Error with code and message ID, and
// returns it.
func wantErr(tb testing.TB, err error, code, msgID string) *cambista.Error {
	tb.Helper()
	if err == nil {
		tb.Fatalf("got no error, want %s %s", code, msgID)
	}
	var e *cambista.Error
	if !errors.As(err, &e) {
		tb.Fatalf("got %T %v, want a *cambista.Error", err, err)
	}
	if e.Code != code || e.Message.ID != msgID {
		tb.Fatalf("got %s %s (%v), want %s %s", e.Code, e.Message.ID, err, code, msgID)
	}
	return e
}

func wantAmount(tb testing.TB, what string, got, want money.Amount) {
	tb.Helper()
	if got != want {
		tb.Errorf("%s = %v, want %v", what, got, want)
	}
}

func commissionRule(id int64, percent string) Rule {
	return Rule{ID: id, Version: 1, Name: "Commission " + percent, Kind: Commission,
		Effect: Effect{Percent: dec(percent)}}
}
