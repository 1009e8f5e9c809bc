package money

import (
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/shopspring/decimal"
)

// maxRateDecimals bounds a rate's precision; with maxRate it keeps every
// rate, its inverse and its text small and exact.
const maxRateDecimals = 18

var maxRate = decimal.New(1, 18)

// ErrInvalidRate is wrapped by the errors of ParseRate, RateFromDecimal and
// the conversions given the zero Rate.
var ErrInvalidRate = errors.New("money: invalid rate")

// Rate is an exact positive decimal: units of the quote currency per 1 unit
// of the base currency. It has at most 18 decimals and is at most 10^18. The
// zero Rate means "not set" and is refused by the conversions.
type Rate struct{ d decimal.Decimal } // normalized: no trailing zeros

// ParseRate reads a rate as typed: "40", "40.00", "40,5", "0.0245", ".5".
// It refuses grouping, signs, exponents, zero and more than 18 decimals.
func ParseRate(s string) (Rate, error) {
	t := strings.TrimSpace(s)
	whole, frac, marked := strings.Cut(strings.ReplaceAll(t, ",", "."), ".")
	switch {
	case strings.HasPrefix(t, "-") && onlyDigits(strings.TrimPrefix(whole, "-")) && onlyDigits(frac):
		return Rate{}, fmt.Errorf("%w %q: expected a rate greater than zero", ErrInvalidRate, s)
	case whole == "" && frac == "",
		!onlyDigits(whole), !onlyDigits(frac),
		marked && frac == "":
		return Rate{}, fmt.Errorf("%w %q: expected a positive decimal number such as 40, 41.5 or 0.0245", ErrInvalidRate, s)
	}
	whole = strings.TrimLeft(whole, "0")
	frac = strings.TrimRight(frac, "0")
	if len(whole) > 19 { // skip building a huge number only to refuse it
		return Rate{}, fmt.Errorf("%w %q: expected at most %s", ErrInvalidRate, s, maxRate)
	}
	coef, _ := new(big.Int).SetString("0"+whole+frac, 10) // digits only, checked above
	r, why := newRate(decimal.NewFromBigInt(coef, -int32(len(frac))))
	if why != "" {
		return Rate{}, fmt.Errorf("%w %q: %s", ErrInvalidRate, s, why)
	}
	return r, nil
}

// RateFromDecimal returns d as a Rate; d must be positive, at most 10^18 and
// have at most 18 decimals once trailing zeros are dropped.
func RateFromDecimal(d decimal.Decimal) (Rate, error) {
	r, why := newRate(d)
	if why != "" {
		// d is not printed: a hostile exponent would make a huge string.
		return Rate{}, fmt.Errorf("%w: %s", ErrInvalidRate, why)
	}
	return r, nil
}

// newRate checks d and normalizes it, or says what was expected.
func newRate(d decimal.Decimal) (Rate, string) {
	if d.Sign() <= 0 {
		return Rate{}, "expected a rate greater than zero"
	}
	n := d.Normalize()
	if n.Exponent() < -maxRateDecimals {
		return Rate{}, fmt.Sprintf("expected at most %d decimals", maxRateDecimals)
	}
	// Count integer digits before Cmp, which would rescale a huge exponent.
	if n.NumDigits()+int(n.Exponent()) > 19 || n.Cmp(maxRate) > 0 {
		return Rate{}, "expected at most " + maxRate.String()
	}
	return Rate{n}, ""
}

func onlyDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Decimal returns the exact value.
func (r Rate) Decimal() decimal.Decimal { return r.d }

// String returns the canonical text stored in the database: "40", "41.5",
// "0.0245". It is written here rather than by decimal's String, whose output
// follows package-wide switches (scientific notation, trailing zeros).
func (r Rate) String() string {
	digits := r.d.Coefficient().String() // never negative
	exp := int(r.d.Exponent())
	if exp >= 0 {
		return digits + strings.Repeat("0", exp)
	}
	if len(digits) <= -exp {
		digits = strings.Repeat("0", -exp-len(digits)+1) + digits
	}
	cut := len(digits) + exp
	return digits[:cut] + "." + digits[cut:]
}

// IsZero reports whether r is the zero Rate, which means "not set".
func (r Rate) IsZero() bool { return r.d.IsZero() }

// Equal reports whether r and o have the same value.
func (r Rate) Equal(o Rate) bool { return r.d.Equal(o.d) }

// Inverse returns 1/r rounded half-even to digits decimals (clamped to
// 0..18), for display only: "VES per USD" shown as "USD per VES". It is the
// zero Rate when r is zero or the inverse rounds to zero.
func (r Rate) Inverse(digits int32) Rate {
	if r.IsZero() {
		return Rate{}
	}
	digits = min(max(digits, 0), maxRateDecimals)
	// 1/r × 10^digits = 10^(digits-exp) / coef; exp is within ±18, so shift is small.
	shift := int64(digits) - int64(r.d.Exponent())
	num, den := pow10(max(shift, 0)), new(big.Int).Mul(r.d.Coefficient(), pow10(max(-shift, 0)))
	q := roundQuo(num, den, HalfEven)
	return Rate{decimal.NewFromBigInt(q, -digits).Normalize()}
}

// checkConversion validates what Convert and ConvertInverse are given.
func checkConversion(a Amount, r Rate, to Currency) error {
	if err := a.Currency.Validate(); err != nil {
		return err
	}
	if err := to.Validate(); err != nil {
		return err
	}
	if r.IsZero() {
		return fmt.Errorf("%w: the rate is not set (zero)", ErrInvalidRate)
	}
	return nil
}

// Convert returns a (in the base currency) × r expressed in currency to,
// rounded once to to.Exponent with to.Rounding. For example
// 97.00 USD × 40 = 3880.00 VES. It returns the error of Currency.Validate,
// ErrInvalidRate for the zero Rate, or ErrOverflow.
func Convert(a Amount, r Rate, to Currency) (Amount, error) {
	if err := checkConversion(a, r, to); err != nil {
		return Amount{}, err
	}
	// a.Minor/10^aExp × coef×10^rExp, in units of 10^-toExp.
	num := new(big.Int).Mul(big.NewInt(a.Minor), r.d.Coefficient())
	shift := int64(r.d.Exponent()) + int64(to.Exponent) - int64(a.Currency.Exponent)
	m, err := roundScaled(num, bigOne, shift, to.Rounding)
	if err != nil {
		return Amount{}, fmt.Errorf("%w: %s × %s in %s", err, a, r, to.Code)
	}
	return New(m, to), nil
}

// ConvertInverse returns a (in the quote currency) ÷ r expressed in currency
// to, rounded once to to.Exponent with to.Rounding. The division is exact,
// so a half-way case is decided on the true remainder. For example
// 3880.00 VES ÷ 41 = 94.63 USD (94.6341…). Errors are those of Convert.
func ConvertInverse(a Amount, r Rate, to Currency) (Amount, error) {
	if err := checkConversion(a, r, to); err != nil {
		return Amount{}, err
	}
	// a.Minor/10^aExp ÷ (coef×10^rExp), in units of 10^-toExp.
	shift := int64(to.Exponent) - int64(a.Currency.Exponent) - int64(r.d.Exponent())
	m, err := roundScaled(big.NewInt(a.Minor), r.d.Coefficient(), shift, to.Rounding)
	if err != nil {
		return Amount{}, fmt.Errorf("%w: %s ÷ %s in %s", err, a, r, to.Code)
	}
	return New(m, to), nil
}

// MarshalText encodes the rate as its canonical decimal text, so rates
// survive JSON (idempotent results, audit events) exactly.
func (r Rate) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText parses the canonical text back; the zero rate's "0" reads
// back as the zero Rate.
func (r *Rate) UnmarshalText(b []byte) error {
	if string(b) == "0" {
		*r = Rate{}
		return nil
	}
	v, err := ParseRate(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}
