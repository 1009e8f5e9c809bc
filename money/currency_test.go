package money_test

import (
	"errors"
	"testing"

	"github.com/cambista/cambista/money"
)

func TestRoundingMode(t *testing.T) {
	for _, m := range []money.RoundingMode{money.HalfEven, money.HalfUp, money.Down} {
		t.Run("OK/"+m.String(), func(t *testing.T) {
			got, err := money.ParseRoundingMode(m.String())
			if err != nil || got != m {
				t.Fatalf("ParseRoundingMode(%q) = %v, %v; want %v", m.String(), got, err, m)
			}
		})
	}
	if got := []string{money.HalfEven.String(), money.HalfUp.String(), money.Down.String()}; got[0] != "half_even" || got[1] != "half_up" || got[2] != "down" {
		t.Errorf("names = %q", got)
	}
	t.Run("ErrUnknown", func(t *testing.T) {
		if _, err := money.ParseRoundingMode("ceil"); err == nil {
			t.Fatal("expected error")
		}
		if got := money.RoundingMode(9).String(); got != "RoundingMode(9)" {
			t.Errorf("String = %q", got)
		}
	})
}

func TestCurrencyValidate(t *testing.T) {
	for _, tt := range []struct {
		name string
		c    money.Currency
		ok   bool
	}{
		{"OK/USD", USD, true},
		{"OK/CLP", CLP, true},
		{"OK/USDT", with(USDT, money.Down), true},
		{"OK/BTC", BTC, true},
		{"ErrInvalidCurrency/lower", money.Currency{Code: "usd", Exponent: 2}, false},
		{"ErrInvalidCurrency/short", money.Currency{Code: "US", Exponent: 2}, false},
		{"ErrInvalidCurrency/long", money.Currency{Code: "USDTXX", Exponent: 2}, false},
		{"ErrInvalidCurrency/digit", money.Currency{Code: "U5D", Exponent: 2}, false},
		{"ErrInvalidCurrency/empty", money.Currency{}, false},
		{"ErrInvalidCurrency/negative exponent", money.Currency{Code: "USD", Exponent: -1}, false},
		{"ErrInvalidCurrency/exponent 9", money.Currency{Code: "USD", Exponent: 9}, false},
		{"ErrInvalidCurrency/rounding", money.Currency{Code: "USD", Exponent: 2, Rounding: 3}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.Validate()
			if tt.ok != (err == nil) {
				t.Fatalf("Validate(%+v) = %v", tt.c, err)
			}
			if !tt.ok && !errors.Is(err, money.ErrInvalidCurrency) {
				t.Fatalf("error %v does not wrap ErrInvalidCurrency", err)
			}
		})
	}
}
