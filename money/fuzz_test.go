package money_test

import (
	"errors"
	"testing"

	"github.com/cambista/cambista/money"
)

// FuzzParse checks that Parse never panics, fails only with a *ParseError,
// and that what it accepts survives Format and Parse unchanged.
func FuzzParse(f *testing.F) {
	for _, tt := range parseTests {
		f.Add(tt.in)
	}
	currencies := []money.Currency{USD, VES, CLP, KWD, USDT, BTC}
	lax := money.ParseOptions{AllowZero: true, AllowNegative: true}
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range currencies {
			for _, loc := range []money.Locale{money.LocaleNone, money.LocaleES, money.LocaleEN} {
				lax.Locale = loc
				a, err := money.Parse(s, c, lax)
				if err != nil {
					var pe *money.ParseError
					if !errors.As(err, &pe) || pe.Error() == "" {
						t.Fatalf("Parse(%q, %s): %v is not a *ParseError", s, c.Code, err)
					}
					continue
				}
				// Format writes LocaleNone like LocaleEN, so that is how to read it.
				if loc == money.LocaleNone {
					lax.Locale = money.LocaleEN
				}
				out := money.Format(a, lax.Locale)
				b, err := money.Parse(out, c, lax)
				if err != nil || b != a {
					t.Fatalf("Parse(%q, %s) = %v; Format = %q; Parse again = %v, %v", s, c.Code, a, out, b, err)
				}
				if again := money.Format(b, lax.Locale); again != out {
					t.Fatalf("Format unstable: %q then %q", out, again)
				}
			}
		}
	})
}

// FuzzParseRate checks that ParseRate never panics, fails only with
// ErrInvalidRate, and that the canonical text of a rate reads back to it.
func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"40", "40.00", "40,5", "0.0245", ".5", "1e3", "-5", "0.000000000000000001", "1000000000000000000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := money.ParseRate(s)
		if err != nil {
			if !errors.Is(err, money.ErrInvalidRate) {
				t.Fatalf("ParseRate(%q): %v does not wrap ErrInvalidRate", s, err)
			}
			return
		}
		back, err := money.ParseRate(r.String())
		if err != nil || !back.Equal(r) || back.String() != r.String() {
			t.Fatalf("ParseRate(%q) = %s; read back %v, %v", s, r, back, err)
		}
		if inv := r.Inverse(18); !inv.IsZero() {
			if _, err := money.ParseRate(inv.String()); err != nil {
				t.Fatalf("Inverse of %s = %s does not parse: %v", r, inv, err)
			}
		}
	})
}
