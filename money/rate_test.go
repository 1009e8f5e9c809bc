package money_test

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/cambista/cambista/money"
	"github.com/shopspring/decimal"
)

func TestParseRate(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string // canonical text; "" for an error
	}{
		{"40", "40"},
		{"40.00", "40"},
		{"40,5", "40.5"},
		{"0.0245", "0.0245"},
		{" 41.50 ", "41.5"},
		{".5", "0.5"},
		{"0040", "40"},
		{"950.5", "950.5"},
		{"1000000000000000000", "1000000000000000000"},
		{"1000000000000000000.000", "1000000000000000000"},
		{"0.000000000000000001", "0.000000000000000001"},
		{"0.0000000000000000010", "0.000000000000000001"},
		{"", ""},
		{"   ", ""},
		{"abc", ""},
		{"0", ""},
		{"0.00", ""},
		{"-5", ""},
		{"-0.5", ""},
		{"+5", ""},
		{"1e3", ""},
		{"1E3", ""},
		{"5.", ""},
		{".", ""},
		{"1.000.000", ""},
		{"1,5.2", ""},
		{"1 000", ""},
		{"40 VES", ""},
		{"0.0000000000000000001", ""},
		{"1000000000000000000.1", ""},
		{"1000000000000000001", ""},
		{"99999999999999999999", ""},
		{"NaN", ""},
	} {
		name := "OK/" + tt.in
		if tt.want == "" {
			name = "ErrInvalidRate/" + tt.in
		}
		t.Run(name, func(t *testing.T) {
			r, err := money.ParseRate(tt.in)
			if tt.want == "" {
				if !errors.Is(err, money.ErrInvalidRate) || !strings.Contains(err.Error(), "expected") {
					t.Fatalf("ParseRate(%q) = %v, %v; want an ErrInvalidRate saying what was expected", tt.in, r, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseRate(%q): %v", tt.in, err)
			}
			if got := r.String(); got != tt.want {
				t.Fatalf("String = %q, want %q", got, tt.want)
			}
			back, err := money.ParseRate(r.String())
			if err != nil || !back.Equal(r) || !reflect.DeepEqual(back, r) {
				t.Fatalf("ParseRate(String()) = %v, %v; want %v", back, err, r)
			}
			if !r.Decimal().Equal(dec(tt.want)) {
				t.Fatalf("Decimal = %s, want %s", r.Decimal(), tt.want)
			}
		})
	}
}

func TestRateFromDecimal(t *testing.T) {
	for _, tt := range []struct {
		name string
		d    decimal.Decimal
		want string // "" for an error
	}{
		{"OK", decimal.New(40, 0), "40"},
		{"OK/trailing zeros", decimal.New(4000, -2), "40"},
		{"OK/exponent", decimal.New(4, 1), "40"},
		{"OK/max", decimal.New(1, 18), "1000000000000000000"},
		{"OK/min", decimal.New(1, -18), "0.000000000000000001"},
		{"OK/long zeros", decimal.NewFromBigInt(decimal.New(5, 100).BigInt(), -101), "0.5"},
		{"ErrInvalidRate/zero", decimal.Zero, ""},
		{"ErrInvalidRate/negative", decimal.New(-1, 0), ""},
		{"ErrInvalidRate/19 decimals", decimal.New(1, -19), ""},
		{"ErrInvalidRate/too large", decimal.New(11, 17), ""},
		{"ErrInvalidRate/huge exponent", decimal.New(1, 1_000_000_000), ""},
		{"ErrInvalidRate/tiny exponent", decimal.New(1, -1_000_000_000), ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := money.RateFromDecimal(tt.d)
			if tt.want == "" {
				if !errors.Is(err, money.ErrInvalidRate) {
					t.Fatalf("RateFromDecimal = %v, %v; want ErrInvalidRate", r, err)
				}
				return
			}
			if err != nil || r.String() != tt.want {
				t.Fatalf("RateFromDecimal = %v, %v; want %s", r, err, tt.want)
			}
		})
	}
}

func TestRateZero(t *testing.T) {
	var r money.Rate
	if !r.IsZero() || r.String() != "0" || !r.Inverse(4).IsZero() {
		t.Fatalf("zero Rate: IsZero %v, String %q", r.IsZero(), r.String())
	}
	if mustRate("40").IsZero() {
		t.Fatal("40 is zero")
	}
}

func TestRateInverse(t *testing.T) {
	for _, tt := range []struct {
		r      string
		digits int32
		want   string
	}{
		{"40", 4, "0.025"},
		{"41", 6, "0.02439"},
		{"3", 2, "0.33"},
		{"0.0245", 2, "40.82"},
		{"8", 2, "0.12"}, // 0.125, half-even
		{"1.6", 0, "1"},  // 0.625
		{"0.4", 0, "2"},  // 2.5, half-even
		{"3", -1, "0"},   // digits clamped to 0: 0.33 rounds to 0
		{"3", 99, "0.333333333333333333"},
		{"0.000000000000000001", 0, "1000000000000000000"},
		{"1000000000000000000", 2, "0"},
	} {
		t.Run("OK/"+tt.r, func(t *testing.T) {
			got := mustRate(tt.r).Inverse(tt.digits)
			if got.String() != tt.want {
				t.Fatalf("Inverse(%d) of %s = %s, want %s", tt.digits, tt.r, got, tt.want)
			}
			if got.IsZero() != (tt.want == "0") {
				t.Fatalf("IsZero = %v", got.IsZero())
			}
		})
	}
}

func TestConvert(t *testing.T) {
	for _, tt := range []struct {
		name    string
		a       money.Amount
		r       money.Rate
		to      money.Currency
		want    int64
		wantErr error
	}{
		{"OK/97 USD at 40", money.New(9700, USD), mustRate("40.00"), VES, 388000, nil},
		{"OK/CLP", money.New(10000, USD), mustRate("950.5"), CLP, 95050, nil},
		{"OK/to USDT", money.New(150, USD), mustRate("1.000001"), USDT, 1500002, nil},
		{"OK/from CLP", money.New(1000, CLP), mustRate("0.00105"), USD, 105, nil},
		{"OK/HalfEven/0.125", money.New(1, USD), mustRate("12.5"), with(VES, money.HalfEven), 12, nil},
		{"OK/HalfUp/0.125", money.New(1, USD), mustRate("12.5"), with(VES, money.HalfUp), 13, nil},
		{"OK/Down/0.125", money.New(1, USD), mustRate("12.5"), with(VES, money.Down), 12, nil},
		{"OK/HalfEven/0.135", money.New(1, USD), mustRate("13.5"), with(VES, money.HalfEven), 14, nil},
		{"OK/HalfEven/-0.125", money.New(-1, USD), mustRate("12.5"), with(VES, money.HalfEven), -12, nil},
		{"OK/HalfUp/-0.125", money.New(-1, USD), mustRate("12.5"), with(VES, money.HalfUp), -13, nil},
		{"OK/Down/-0.125", money.New(-1, USD), mustRate("12.5"), with(VES, money.Down), -12, nil},
		{"OK/CLP/HalfEven/1.5", money.New(100, USD), mustRate("1.5"), with(CLP, money.HalfEven), 2, nil},
		{"OK/CLP/HalfEven/2.5", money.New(100, USD), mustRate("2.5"), with(CLP, money.HalfEven), 2, nil},
		{"OK/CLP/HalfUp/2.5", money.New(100, USD), mustRate("2.5"), with(CLP, money.HalfUp), 3, nil},
		{"OK/CLP/Down/1.5", money.New(100, USD), mustRate("1.5"), with(CLP, money.Down), 1, nil},
		{"OK/tiny", money.New(1, USD), mustRate("0.000000000000000001"), VES, 0, nil},
		{"ErrOverflow", money.New(math.MaxInt64, USD), mustRate("2"), VES, 0, money.ErrOverflow},
		{"ErrOverflow/to more decimals", money.New(math.MaxInt64/10+1, USD), mustRate("1"), KWD, 0, money.ErrOverflow},
		{"ErrInvalidRate", money.New(100, USD), money.Rate{}, VES, 0, money.ErrInvalidRate},
		{"ErrInvalidCurrency/to", money.New(100, USD), mustRate("40"), money.Currency{Code: "VES", Exponent: 9}, 0, money.ErrInvalidCurrency},
		{"ErrInvalidCurrency/from", money.New(100, money.Currency{Code: "U"}), mustRate("40"), VES, 0, money.ErrInvalidCurrency},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := money.Convert(tt.a, tt.r, tt.to)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if err == nil && got != money.New(tt.want, tt.to) {
				t.Fatalf("Convert = %v, want %d minor", got, tt.want)
			}
		})
	}
}

func TestConvertInverse(t *testing.T) {
	for _, tt := range []struct {
		name    string
		a       money.Amount
		r       money.Rate
		to      money.Currency
		want    int64
		wantErr error
	}{
		{"OK/3880 VES at 41", money.New(388000, VES), mustRate("41.00"), USD, 9463, nil},
		{"OK/3880 VES at 40", money.New(388000, VES), mustRate("40"), USD, 9700, nil},
		{"OK/CLP", money.New(95050, CLP), mustRate("950.5"), USD, 10000, nil},
		{"OK/to CLP", money.New(123456, USD), mustRate("0.001"), CLP, 1234560, nil},
		{"OK/HalfEven/0.125", money.New(25, VES), mustRate("2"), with(USD, money.HalfEven), 12, nil},
		{"OK/HalfUp/0.125", money.New(25, VES), mustRate("2"), with(USD, money.HalfUp), 13, nil},
		{"OK/Down/0.125", money.New(25, VES), mustRate("2"), with(USD, money.Down), 12, nil},
		{"OK/HalfEven/0.135", money.New(27, VES), mustRate("2"), with(USD, money.HalfEven), 14, nil},
		{"OK/HalfEven/-0.125", money.New(-25, VES), mustRate("2"), with(USD, money.HalfEven), -12, nil},
		{"OK/HalfUp/-0.125", money.New(-25, VES), mustRate("2"), with(USD, money.HalfUp), -13, nil},
		{"OK/Down/-0.135", money.New(-27, VES), mustRate("2"), with(USD, money.Down), -13, nil},
		{"OK/CLP/HalfEven/2.5", money.New(5, CLP), mustRate("2"), with(CLP, money.HalfEven), 2, nil},
		{"OK/CLP/HalfUp/2.5", money.New(5, CLP), mustRate("2"), with(CLP, money.HalfUp), 3, nil},
		// 1 ÷ 8.000000000000000001 = 0.12499999999999999998…: just below
		// half, although 16 significant digits would say 0.1250000000000000.
		{"OK/HalfUp/just below half", money.New(100, VES), mustRate("8.000000000000000001"), with(USD, money.HalfUp), 12, nil},
		// 1 ÷ 7.999999999999999999 = 0.12500000000000000001…: just above.
		{"OK/HalfEven/just above half", money.New(100, VES), mustRate("7.999999999999999999"), with(USD, money.HalfEven), 13, nil},
		{"OK/huge rate", money.New(1, VES), mustRate("1000000000000000000"), USD, 0, nil},
		{"ErrOverflow", money.New(math.MaxInt64, VES), mustRate("0.5"), USD, 0, money.ErrOverflow},
		{"ErrOverflow/tiny rate", money.New(100, VES), mustRate("0.000000000000000001"), USD, 0, money.ErrOverflow},
		{"ErrInvalidRate", money.New(100, VES), money.Rate{}, USD, 0, money.ErrInvalidRate},
		{"ErrInvalidCurrency", money.New(100, VES), mustRate("40"), money.Currency{Code: "usd", Exponent: 2}, 0, money.ErrInvalidCurrency},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := money.ConvertInverse(tt.a, tt.r, tt.to)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if err == nil && got != money.New(tt.want, tt.to) {
				t.Fatalf("ConvertInverse = %v, want %d minor", got, tt.want)
			}
		})
	}
}

func TestRateJSON(t *testing.T) {
	type wrap struct{ R money.Rate }
	for _, s := range []string{"40", "41.25", "0.0245"} {
		in := wrap{mustParseRateForJSON(t, s)}
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		if want := `{"R":"` + s + `"}`; string(b) != want {
			t.Fatalf("marshal %s = %s, want %s", s, b, want)
		}
		var out wrap
		if err := json.Unmarshal(b, &out); err != nil || !out.R.Equal(in.R) {
			t.Fatalf("round trip %s: %v %v", s, out.R, err)
		}
	}
	var out wrap
	if err := json.Unmarshal([]byte(`{"R":"-1"}`), &out); err == nil {
		t.Fatal("a negative rate was accepted from JSON")
	}
}

func mustParseRateForJSON(t *testing.T, s string) money.Rate {
	t.Helper()
	r, err := money.ParseRate(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
