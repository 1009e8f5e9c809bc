package money

import (
	"errors"
	"fmt"
)

// RoundingMode says how a computed figure is rounded to its currency's minor unit.
type RoundingMode uint8

const (
	HalfEven RoundingMode = iota // default (banker's rounding)
	HalfUp                       // half away from zero
	Down                         // toward zero (truncate)
)

var roundingNames = [...]string{HalfEven: "half_even", HalfUp: "half_up", Down: "down"}

// ParseRoundingMode reads the words written by String: "half_even", "half_up", "down".
func ParseRoundingMode(s string) (RoundingMode, error) {
	for m, name := range roundingNames {
		if s == name {
			return RoundingMode(m), nil
		}
	}
	return 0, fmt.Errorf("money: rounding mode %q: expected half_even, half_up or down", s)
}

// String returns the word ParseRoundingMode reads, or RoundingMode(n) for an
// unknown value so bad data stays visible in logs.
func (m RoundingMode) String() string {
	if int(m) < len(roundingNames) {
		return roundingNames[m]
	}
	return fmt.Sprintf("RoundingMode(%d)", uint8(m))
}

// MaxExponent is the largest number of minor-unit digits a Currency may have.
const MaxExponent = 8

// ErrInvalidCurrency is wrapped by the error of Currency.Validate.
var ErrInvalidCurrency = errors.New("money: invalid currency")

// Currency is what money needs of a currency.
type Currency struct {
	Code     string // ISO-like code, upper case, 3-5 letters: "USD", "VES", "USDT"
	Exponent int    // minor-unit digits, 0..8 (USD 2, CLP 0, USDT 6)
	Rounding RoundingMode
}

// Validate accepts a code of 3 to 5 upper-case ASCII letters, an exponent
// 0..8 and a known rounding mode. The error wraps ErrInvalidCurrency.
func (c Currency) Validate() error {
	if !isCode(c.Code) {
		return fmt.Errorf("%w: code %q: expected 3 to 5 upper-case letters such as USD or USDT", ErrInvalidCurrency, c.Code)
	}
	if c.Exponent < 0 || c.Exponent > MaxExponent {
		return fmt.Errorf("%w: %s: exponent %d: expected 0 to %d minor-unit digits", ErrInvalidCurrency, c.Code, c.Exponent, MaxExponent)
	}
	if int(c.Rounding) >= len(roundingNames) {
		return fmt.Errorf("%w: %s: rounding %s: expected half_even, half_up or down", ErrInvalidCurrency, c.Code, c.Rounding)
	}
	return nil
}

func isCode(s string) bool {
	if len(s) < 3 || len(s) > 5 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
