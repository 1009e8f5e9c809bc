package money

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

var (
	// ErrOverflow means a result does not fit int64 minor units.
	ErrOverflow = errors.New("money: amount out of range")
	// ErrCurrencyMismatch means two amounts of different currencies met.
	ErrCurrencyMismatch = errors.New("money: currencies differ")
)

// Amount is an exact quantity of one currency in minor units.
type Amount struct {
	Minor    int64
	Currency Currency
}

// New returns minor units of c.
func New(minor int64, c Currency) Amount {
	return Amount{Minor: minor, Currency: c}
}

// IsZero reports whether a is zero.
func (a Amount) IsZero() bool { return a.Minor == 0 }

// Sign returns -1, 0 or +1.
func (a Amount) Sign() int {
	switch {
	case a.Minor < 0:
		return -1
	case a.Minor > 0:
		return 1
	}
	return 0
}

// Neg returns -a; the most negative int64 has no opposite, so it is ErrOverflow.
func (a Amount) Neg() (Amount, error) {
	if a.Minor == math.MinInt64 {
		return Amount{}, fmt.Errorf("%w: -(%s)", ErrOverflow, a)
	}
	a.Minor = -a.Minor
	return a, nil
}

// sameCurrency checks that minor units of a and b may be combined. Codes
// decide, but the same code with two exponents is refused too: adding minor
// units of different sizes would be silently wrong.
func (a Amount) sameCurrency(b Amount) error {
	switch {
	case a.Currency.Code != b.Currency.Code:
		return fmt.Errorf("%w: %s and %s", ErrCurrencyMismatch, a.Currency.Code, b.Currency.Code)
	case a.Currency.Exponent != b.Currency.Exponent:
		return fmt.Errorf("%w: %s with exponents %d and %d", ErrCurrencyMismatch, a.Currency.Code, a.Currency.Exponent, b.Currency.Exponent)
	}
	return nil
}

// Add returns a + b in a's currency, or ErrCurrencyMismatch or ErrOverflow.
func (a Amount) Add(b Amount) (Amount, error) {
	if err := a.sameCurrency(b); err != nil {
		return Amount{}, err
	}
	s := a.Minor + b.Minor
	if (s > a.Minor) != (b.Minor > 0) { // wrapped around
		return Amount{}, fmt.Errorf("%w: %s + %s", ErrOverflow, a, b)
	}
	a.Minor = s
	return a, nil
}

// Sub returns a - b in a's currency, or ErrCurrencyMismatch or ErrOverflow.
func (a Amount) Sub(b Amount) (Amount, error) {
	if err := a.sameCurrency(b); err != nil {
		return Amount{}, err
	}
	d := a.Minor - b.Minor
	if (d < a.Minor) != (b.Minor > 0) { // wrapped around
		return Amount{}, fmt.Errorf("%w: %s - %s", ErrOverflow, a, b)
	}
	a.Minor = d
	return a, nil
}

// Cmp returns -1, 0 or +1 as a is less than, equal to or greater than b, or
// ErrCurrencyMismatch.
func (a Amount) Cmp(b Amount) (int, error) {
	if err := a.sameCurrency(b); err != nil {
		return 0, err
	}
	switch {
	case a.Minor < b.Minor:
		return -1, nil
	case a.Minor > b.Minor:
		return 1, nil
	}
	return 0, nil
}

// Decimal returns the exact value in major units, e.g. 1234.56.
func (a Amount) Decimal() decimal.Decimal {
	return decimal.New(a.Minor, -int32(a.Currency.Exponent))
}

// String returns the canonical, locale-free text: "1234.56 USD", "-5 CLP".
// An exponent outside 0..MaxExponent is shown as such rather than guessed at.
func (a Amount) String() string {
	sign, whole, frac, ok := a.split()
	if !ok {
		return fmt.Sprintf("%d %s (minor units, invalid exponent %d)", a.Minor, a.Currency.Code, a.Currency.Exponent)
	}
	if frac != "" {
		frac = "." + frac
	}
	return sign + whole + frac + " " + a.Currency.Code
}

// split returns the sign, the integer digits and exactly Exponent fraction
// digits of a; ok is false for an exponent outside 0..MaxExponent.
func (a Amount) split() (sign, whole, frac string, ok bool) {
	exp := a.Currency.Exponent
	if exp < 0 || exp > MaxExponent {
		return "", "", "", false
	}
	u := uint64(a.Minor)
	if a.Minor < 0 {
		sign, u = "-", -u // modular negation also covers math.MinInt64
	}
	digits := strconv.FormatUint(u, 10)
	if len(digits) <= exp {
		digits = strings.Repeat("0", exp+1-len(digits)) + digits
	}
	cut := len(digits) - exp
	return sign, digits[:cut], digits[cut:], true
}

// FromDecimal rounds d once, with c.Rounding, to c.Exponent decimals. It
// returns the error of c.Validate, or ErrOverflow if the result does not fit
// int64 minor units.
func FromDecimal(d decimal.Decimal, c Currency) (Amount, error) {
	if err := c.Validate(); err != nil {
		return Amount{}, err
	}
	m, err := roundScaled(d.Coefficient(), bigOne, int64(d.Exponent())+int64(c.Exponent), c.Rounding)
	if err != nil {
		return Amount{}, fmt.Errorf("%w: decimal in %s", err, c.Code)
	}
	return New(m, c), nil
}

// MulDecimal returns a × f in a's currency, rounded once with its rounding
// mode (for percentages: a × 0.03). It returns the error of
// a.Currency.Validate or ErrOverflow.
func MulDecimal(a Amount, f decimal.Decimal) (Amount, error) {
	if err := a.Currency.Validate(); err != nil {
		return Amount{}, err
	}
	num := new(big.Int).Mul(big.NewInt(a.Minor), f.Coefficient())
	m, err := roundScaled(num, bigOne, int64(f.Exponent()), a.Currency.Rounding)
	if err != nil {
		// f is not printed: a hostile exponent would make a huge string.
		return Amount{}, fmt.Errorf("%w: %s × factor", err, a)
	}
	return New(m, a.Currency), nil
}
