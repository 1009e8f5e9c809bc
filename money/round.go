package money

import "math/big"

var bigOne = big.NewInt(1)

func pow10(n int64) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(n), nil)
}

// numDigits counts the decimal digits of |x|; x must not be zero.
func numDigits(x *big.Int) int64 {
	return int64(len(new(big.Int).Abs(x).Text(10)))
}

// roundQuo returns num ÷ den rounded to an integer by mode; den must be
// positive. The decision is taken on the exact remainder, so a half-way case
// is never misjudged through an approximation.
func roundQuo(num, den *big.Int, mode RoundingMode) *big.Int {
	q, r := new(big.Int).QuoRem(num, den, new(big.Int)) // q is truncated toward zero
	if r.Sign() == 0 || mode == Down {
		return q
	}
	twice := r.Abs(r)
	twice.Lsh(twice, 1)
	c := twice.Cmp(den)
	// Bit(0) is the parity of q, negative or not.
	if c > 0 || c == 0 && (mode == HalfUp || q.Bit(0) == 1) {
		if num.Sign() < 0 {
			return q.Sub(q, bigOne)
		}
		return q.Add(q, bigOne)
	}
	return q
}

// roundScaled returns num × 10^shift ÷ den rounded by mode to an int64, or
// ErrOverflow; den must be positive. Results far outside int64 are decided
// from digit counts, so a hostile exponent never builds a huge power of ten.
func roundScaled(num, den *big.Int, shift int64, mode RoundingMode) (int64, error) {
	if num.Sign() == 0 {
		return 0, nil
	}
	// |num| × 10^shift ÷ den lies strictly between 10^(e-1) and 10^(e+1).
	e := numDigits(num) - numDigits(den) + shift
	switch {
	case e >= 20: // above 10^19 > MaxInt64
		return 0, ErrOverflow
	case e <= -2: // below 0.1, which every mode rounds to zero
		return 0, nil
	}
	num, den = new(big.Int).Set(num), new(big.Int).Set(den)
	if shift >= 0 {
		num.Mul(num, pow10(shift))
	} else {
		den.Mul(den, pow10(-shift))
	}
	q := roundQuo(num, den, mode)
	if !q.IsInt64() {
		return 0, ErrOverflow
	}
	return q.Int64(), nil
}
