package money_test

import (
	"errors"
	"math"
	"testing"

	"github.com/cambista/cambista/money"
	"github.com/shopspring/decimal"
)

func TestAmountArithmetic(t *testing.T) {
	usd := func(m int64) money.Amount { return money.New(m, USD) }
	for _, tt := range []struct {
		name    string
		op      func(a, b money.Amount) (money.Amount, error)
		a, b    money.Amount
		want    money.Amount
		wantErr error
	}{
		{"OK/Add", money.Amount.Add, usd(150), usd(275), usd(425), nil},
		{"OK/AddNegative", money.Amount.Add, usd(150), usd(-275), usd(-125), nil},
		{"OK/AddToMax", money.Amount.Add, usd(math.MaxInt64 - 1), usd(1), usd(math.MaxInt64), nil},
		{"OK/RoundingIgnored", money.Amount.Add, usd(1), money.New(2, with(USD, money.Down)), usd(3), nil},
		{"ErrOverflow/Add", money.Amount.Add, usd(math.MaxInt64), usd(1), money.Amount{}, money.ErrOverflow},
		{"ErrOverflow/AddNegative", money.Amount.Add, usd(math.MinInt64), usd(-1), money.Amount{}, money.ErrOverflow},
		{"ErrCurrencyMismatch/Add", money.Amount.Add, usd(1), money.New(1, VES), money.Amount{}, money.ErrCurrencyMismatch},
		{"ErrCurrencyMismatch/Exponent", money.Amount.Add, usd(1), money.New(1, money.Currency{Code: "USD", Exponent: 3}), money.Amount{}, money.ErrCurrencyMismatch},
		{"OK/Sub", money.Amount.Sub, usd(150), usd(275), usd(-125), nil},
		{"OK/SubToMin", money.Amount.Sub, usd(math.MinInt64 + 1), usd(1), usd(math.MinInt64), nil},
		{"ErrOverflow/Sub", money.Amount.Sub, usd(math.MinInt64), usd(1), money.Amount{}, money.ErrOverflow},
		{"ErrOverflow/SubNegative", money.Amount.Sub, usd(math.MaxInt64), usd(-1), money.Amount{}, money.ErrOverflow},
		{"ErrOverflow/SubFromZero", money.Amount.Sub, usd(0), usd(math.MinInt64), money.Amount{}, money.ErrOverflow},
		{"ErrCurrencyMismatch/Sub", money.Amount.Sub, usd(1), money.New(1, CLP), money.Amount{}, money.ErrCurrencyMismatch},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.op(tt.a, tt.b)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAmountCmpNegSign(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		for _, tt := range []struct {
			a, b int64
			want int
		}{{1, 2, -1}, {2, 2, 0}, {3, 2, 1}, {math.MinInt64, math.MaxInt64, -1}} {
			if got, err := money.New(tt.a, USD).Cmp(money.New(tt.b, USD)); err != nil || got != tt.want {
				t.Errorf("Cmp(%d, %d) = %d, %v; want %d", tt.a, tt.b, got, err, tt.want)
			}
		}
		a := money.New(-5, USD)
		if n, err := a.Neg(); err != nil || n != money.New(5, USD) {
			t.Errorf("Neg = %v, %v", n, err)
		}
		if a.Sign() != -1 || money.New(0, USD).Sign() != 0 || money.New(7, USD).Sign() != 1 {
			t.Error("Sign is wrong")
		}
		if a.IsZero() || !money.New(0, USD).IsZero() {
			t.Error("IsZero is wrong")
		}
	})
	t.Run("ErrCurrencyMismatch", func(t *testing.T) {
		if _, err := money.New(1, USD).Cmp(money.New(1, VES)); !errors.Is(err, money.ErrCurrencyMismatch) {
			t.Fatalf("Cmp error = %v", err)
		}
	})
	t.Run("ErrOverflow", func(t *testing.T) {
		if _, err := money.New(math.MinInt64, USD).Neg(); !errors.Is(err, money.ErrOverflow) {
			t.Fatalf("Neg error = %v", err)
		}
	})
}

func TestAmountString(t *testing.T) {
	for _, tt := range []struct {
		a    money.Amount
		want string
	}{
		{money.New(123456, USD), "1234.56 USD"},
		{money.New(-5, USD), "-0.05 USD"},
		{money.New(0, USD), "0.00 USD"},
		{money.New(1234, CLP), "1234 CLP"},
		{money.New(-1234, CLP), "-1234 CLP"},
		{money.New(1, USDT), "0.000001 USDT"},
		{money.New(math.MinInt64, USD), "-92233720368547758.08 USD"},
		{money.New(math.MaxInt64, BTC), "92233720368.54775807 BTC"},
		{money.New(5, money.Currency{Code: "BAD", Exponent: -1}), "5 BAD (minor units, invalid exponent -1)"},
	} {
		t.Run("OK/"+tt.want, func(t *testing.T) {
			if got := tt.a.String(); got != tt.want {
				t.Fatalf("String = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAmountDecimal(t *testing.T) {
	for _, tt := range []struct {
		a    money.Amount
		want string
	}{
		{money.New(123456, USD), "1234.56"},
		{money.New(-5, USD), "-0.05"},
		{money.New(1234, CLP), "1234"},
		{money.New(1, USDT), "0.000001"},
	} {
		t.Run("OK/"+tt.want, func(t *testing.T) {
			if got := tt.a.Decimal(); !got.Equal(dec(tt.want)) {
				t.Fatalf("Decimal = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestFromDecimal(t *testing.T) {
	for _, tt := range []struct {
		name    string
		d       decimal.Decimal
		c       money.Currency
		want    int64
		wantErr error
	}{
		{"OK/exact", dec("1234.56"), USD, 123456, nil},
		{"OK/trailing zeros", dec("1234.5600000"), USD, 123456, nil},
		{"OK/integer exponent", decimal.New(12, 3), USD, 1200000, nil},
		{"OK/HalfEven/0.125", dec("0.125"), with(USD, money.HalfEven), 12, nil},
		{"OK/HalfUp/0.125", dec("0.125"), with(USD, money.HalfUp), 13, nil},
		{"OK/Down/0.125", dec("0.125"), with(USD, money.Down), 12, nil},
		{"OK/HalfEven/0.135", dec("0.135"), with(USD, money.HalfEven), 14, nil},
		{"OK/HalfUp/0.135", dec("0.135"), with(USD, money.HalfUp), 14, nil},
		{"OK/Down/0.135", dec("0.135"), with(USD, money.Down), 13, nil},
		{"OK/HalfEven/-0.125", dec("-0.125"), with(USD, money.HalfEven), -12, nil},
		{"OK/HalfUp/-0.125", dec("-0.125"), with(USD, money.HalfUp), -13, nil},
		{"OK/Down/-0.125", dec("-0.125"), with(USD, money.Down), -12, nil},
		{"OK/HalfEven/-0.135", dec("-0.135"), with(USD, money.HalfEven), -14, nil},
		{"OK/HalfEven/above half", dec("0.12500000000000000000001"), with(USD, money.HalfEven), 13, nil},
		{"OK/HalfUp/below half", dec("0.12499999999999999999999"), with(USD, money.HalfUp), 12, nil},
		{"OK/Down/-0.999", dec("-0.999"), with(USD, money.Down), -99, nil},
		{"OK/CLP/HalfEven/1.5", dec("1.5"), with(CLP, money.HalfEven), 2, nil},
		{"OK/CLP/HalfEven/2.5", dec("2.5"), with(CLP, money.HalfEven), 2, nil},
		{"OK/CLP/HalfUp/2.5", dec("2.5"), with(CLP, money.HalfUp), 3, nil},
		{"OK/CLP/Down/2.5", dec("2.5"), with(CLP, money.Down), 2, nil},
		{"OK/CLP/HalfEven/-1.5", dec("-1.5"), with(CLP, money.HalfEven), -2, nil},
		{"OK/CLP/HalfUp/-2.5", dec("-2.5"), with(CLP, money.HalfUp), -3, nil},
		{"OK/CLP/Down/-2.5", dec("-2.5"), with(CLP, money.Down), -2, nil},
		{"OK/max", dec("92233720368547758.07"), USD, math.MaxInt64, nil},
		{"OK/min", dec("-92233720368547758.08"), USD, math.MinInt64, nil},
		{"OK/tiny exponent", decimal.New(7, -1_000_000_000), USD, 0, nil},
		{"ErrOverflow/rounds up past max", dec("92233720368547758.075"), USD, 0, money.ErrOverflow},
		{"ErrOverflow/1e20", decimal.New(1, 20), USD, 0, money.ErrOverflow},
		{"ErrOverflow/huge exponent", decimal.New(1, 1_000_000_000), USD, 0, money.ErrOverflow},
		{"ErrInvalidCurrency", dec("1"), money.Currency{Code: "usd"}, 0, money.ErrInvalidCurrency},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := money.FromDecimal(tt.d, tt.c)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if err == nil && got != money.New(tt.want, tt.c) {
				t.Fatalf("FromDecimal = %v, want %d minor", got, tt.want)
			}
		})
	}
}

func TestMulDecimal(t *testing.T) {
	for _, tt := range []struct {
		name    string
		a       money.Amount
		f       decimal.Decimal
		want    int64
		wantErr error
	}{
		{"OK/3 percent of 100.00", money.New(10000, USD), decimal.New(3, -2), 300, nil},
		{"OK/3 percent of 97.00", money.New(9700, USD), dec("0.03"), 291, nil},
		{"OK/HalfEven/0.125", money.New(25, with(USD, money.HalfEven)), dec("0.5"), 12, nil},
		{"OK/HalfUp/0.125", money.New(25, with(USD, money.HalfUp)), dec("0.5"), 13, nil},
		{"OK/Down/0.125", money.New(25, with(USD, money.Down)), dec("0.5"), 12, nil},
		{"OK/HalfEven/-0.135", money.New(-27, with(USD, money.HalfEven)), dec("0.5"), -14, nil},
		{"OK/HalfUp/-0.125", money.New(-25, with(USD, money.HalfUp)), dec("0.5"), -13, nil},
		{"OK/CLP/HalfEven/1.5", money.New(3, CLP), dec("0.5"), 2, nil},
		{"OK/CLP/HalfEven/2.5", money.New(5, CLP), dec("0.5"), 2, nil},
		{"OK/tiny factor", money.New(math.MaxInt64, USD), decimal.New(1, -1_000_000_000), 0, nil},
		{"ErrOverflow", money.New(math.MaxInt64, USD), dec("2"), 0, money.ErrOverflow},
		{"ErrOverflow/huge factor", money.New(1, USD), decimal.New(1, 1_000_000_000), 0, money.ErrOverflow},
		{"ErrInvalidCurrency", money.New(1, money.Currency{Code: "USD", Exponent: 12}), dec("2"), 0, money.ErrInvalidCurrency},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := money.MulDecimal(tt.a, tt.f)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if err == nil && got != money.New(tt.want, tt.a.Currency) {
				t.Fatalf("MulDecimal = %v, want %d minor", got, tt.want)
			}
		})
	}
}
