package money_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/cambista/cambista/money"
)

var (
	none = money.ParseOptions{}
	es   = money.ParseOptions{Locale: money.LocaleES}
	en   = money.ParseOptions{Locale: money.LocaleEN}
	zero = money.ParseOptions{AllowZero: true}
	neg  = money.ParseOptions{AllowNegative: true}
	lax  = money.ParseOptions{AllowZero: true, AllowNegative: true}
)

var kindNames = map[money.ParseErrorKind]string{
	0:                        "OK",
	money.ErrEmpty:           "ErrEmpty",
	money.ErrSyntax:          "ErrSyntax",
	money.ErrAmbiguous:       "ErrAmbiguous",
	money.ErrTooManyDecimals: "ErrTooManyDecimals",
	money.ErrNotPositive:     "ErrNotPositive",
	money.ErrWrongCurrency:   "ErrWrongCurrency",
	money.ErrTooLarge:        "ErrTooLarge",
}

type parseTest struct {
	in    string
	c     money.Currency
	opt   money.ParseOptions
	want  int64                // minor units, when err is 0
	err   money.ParseErrorKind // 0: no error
	found string               // for ErrWrongCurrency
}

// parseTests also seed FuzzParse.
var parseTests = []parseTest{
	// The forms people type.
	{in: "1234.56", c: USD, want: 123456},
	{in: "1234,56", c: USD, want: 123456},
	{in: "1.234,56", c: USD, want: 123456},
	{in: "1,234.56", c: USD, want: 123456},
	{in: "1 234,56", c: USD, want: 123456},
	{in: "1\u00a0234,56", c: USD, want: 123456},
	{in: "1\u202f234.56", c: USD, want: 123456},
	{in: "1'234.56", c: USD, want: 123456},
	{in: "1'234'567", c: USD, want: 123456700},
	{in: "1 234 567", c: USD, want: 123456700},
	{in: "$1,234.56", c: USD, want: 123456},
	{in: "$ 1,234.56 USD", c: USD, want: 123456},
	{in: "1234.56 USD", c: USD, want: 123456},
	{in: "1234.56USD", c: USD, want: 123456},
	{in: "usd 12", c: USD, want: 1200},
	{in: "Usd12", c: USD, want: 1200},
	{in: "US$ 5", c: USD, want: 500},
	{in: "5$", c: USD, want: 500},
	{in: "  7  ", c: USD, want: 700},
	{in: "\t7\n", c: USD, want: 700},
	{in: ".5", c: USD, want: 50},
	{in: ",5", c: USD, want: 50},
	{in: "$.5", c: USD, want: 50},
	{in: "0.5", c: USD, want: 50},
	{in: "007", c: USD, want: 700},
	{in: "12,5", c: USD, want: 1250},
	{in: "1.50", c: USD, want: 150},
	{in: "1.234.567", c: USD, want: 123456700},
	{in: "1,234,567", c: USD, want: 123456700},
	{in: "1,234,567.89", c: USD, want: 123456789},
	{in: "1.234.567,89", c: USD, want: 123456789},
	{in: "1 234 567,89", c: USD, want: 123456789},
	{in: "1234.567", c: USDT, want: 1234567000},
	{in: "0.123", c: USDT, want: 123000},
	{in: "0,123", c: KWD, want: 123},
	{in: "0.00000001 BTC", c: BTC, want: 1},
	{in: "Bs. 1.234,56", c: VES, want: 123456},
	{in: "Bs 5", c: VES, want: 500},
	{in: "bs.5", c: VES, want: 500},
	{in: "Bs.S 5", c: VES, want: 500},
	{in: "Bs.D5", c: VES, want: 500},
	{in: "1.234,56 Bs.", c: VES, want: 123456},
	{in: "1.234,56 Bs.S", c: VES, want: 123456},
	{in: "VES 1.234,56", c: VES, want: 123456},
	{in: "$5", c: VES, want: 500},
	{in: "€5", c: EUR, want: 500},
	{in: "5 €", c: EUR, want: 500},
	{in: "1.234,56€", c: EUR, want: 123456},
	{in: "£5", c: GBP, want: 500},
	{in: "S/ 5", c: PEN, want: 500},
	{in: "R$ 1.234,56", c: BRL, want: 123456},
	{in: "1234", c: CLP, want: 1234},
	{in: "1.234.567 CLP", c: CLP, want: 1234567},

	// A lone "." or "," before 3 digits: ambiguous unless the locale says.
	{in: "1,234", c: USD, err: money.ErrAmbiguous},
	{in: "1.234", c: USD, err: money.ErrAmbiguous},
	{in: "$123,456", c: USD, err: money.ErrAmbiguous},
	{in: "1,234", c: CLP, err: money.ErrAmbiguous},
	{in: "1.234", c: CLP, err: money.ErrAmbiguous},
	{in: "1.234", c: KWD, err: money.ErrAmbiguous},
	{in: "1,234", c: USDT, err: money.ErrAmbiguous},
	{in: "1.234", c: USD, opt: es, want: 123400},
	{in: "1,234", c: USD, opt: es, err: money.ErrTooManyDecimals},
	{in: "1,234", c: USD, opt: en, want: 123400},
	{in: "1.234", c: USD, opt: en, err: money.ErrTooManyDecimals},
	{in: "1.000", c: USD, opt: es, want: 100000},
	{in: "1.000", c: USD, opt: en, err: money.ErrTooManyDecimals},
	{in: "1.234", c: CLP, opt: es, want: 1234},
	{in: "1,234", c: CLP, opt: en, want: 1234},
	{in: "1,234", c: CLP, opt: es, err: money.ErrTooManyDecimals},
	{in: "1,234", c: USDT, opt: es, want: 1234000},
	{in: "1.234", c: USDT, opt: en, want: 1234000},
	{in: "1.234", c: KWD, opt: en, want: 1234},
	{in: "12.34", c: USD, opt: es, want: 1234},      // not 3 digits: decimal
	{in: "1,234.56", c: USD, opt: es, want: 123456}, // both: the last is the mark
	{in: "1.234,56", c: USD, opt: en, want: 123456},
	{in: "1 234,567", c: USDT, want: 1234567000}, // spaces group, so "," marks decimals

	// Never round what people type.
	{in: "12.345", c: USD, opt: en, err: money.ErrTooManyDecimals},
	{in: "1.2345", c: USD, err: money.ErrTooManyDecimals},
	{in: "1.5000", c: USD, err: money.ErrTooManyDecimals},
	{in: "0.001", c: USD, err: money.ErrTooManyDecimals},
	{in: "12,5", c: CLP, err: money.ErrTooManyDecimals},
	{in: "5.0", c: CLP, err: money.ErrTooManyDecimals},
	{in: "1.0000000", c: USDT, err: money.ErrTooManyDecimals},

	// Zero and negative amounts.
	{in: "0", c: USD, err: money.ErrNotPositive},
	{in: "0.00", c: USD, err: money.ErrNotPositive},
	{in: "-0", c: USD, err: money.ErrNotPositive},
	{in: "0", c: USD, opt: zero, want: 0},
	{in: "0,00 USD", c: USD, opt: zero, want: 0},
	{in: "-0", c: USD, opt: zero, want: 0},
	{in: "-5", c: USD, err: money.ErrNotPositive},
	{in: "-5", c: USD, opt: zero, err: money.ErrNotPositive},
	{in: "0", c: USD, opt: neg, err: money.ErrNotPositive},
	{in: "-5", c: USD, opt: neg, want: -500},
	{in: "−5", c: USD, opt: neg, want: -500},
	{in: "-$5", c: USD, opt: neg, want: -500},
	{in: "$-5", c: USD, opt: neg, want: -500},
	{in: "- 5", c: USD, opt: neg, want: -500},
	{in: "USD -1.234,56", c: USD, opt: neg, want: -123456},
	{in: "-1.234,56 Bs.", c: VES, opt: neg, want: -123456},
	{in: "-0", c: USD, opt: lax, want: 0},

	// Another currency.
	{in: "5 EUR", c: USD, err: money.ErrWrongCurrency, found: "EUR"},
	{in: "eur 5", c: USD, err: money.ErrWrongCurrency, found: "EUR"},
	{in: "€5", c: USD, err: money.ErrWrongCurrency, found: "€"},
	{in: "£5", c: EUR, err: money.ErrWrongCurrency, found: "£"},
	{in: "US$ 5", c: USDT, err: money.ErrWrongCurrency, found: "US$"},
	{in: "5 USD", c: USDT, err: money.ErrWrongCurrency, found: "USD"},
	{in: "Bs. 5", c: USD, err: money.ErrWrongCurrency, found: "Bs."},
	{in: "5 USD", c: VES, err: money.ErrWrongCurrency, found: "USD"},
	{in: "R$5", c: USD, err: money.ErrWrongCurrency, found: "R$"},
	{in: "S/5", c: USD, err: money.ErrWrongCurrency, found: "S/"},
	{in: "$5 VES", c: USD, err: money.ErrWrongCurrency, found: "VES"},

	// Garbage and misplaced separators.
	{in: "12a", c: USD, err: money.ErrSyntax},
	{in: "a12", c: USD, err: money.ErrSyntax},
	{in: "1..2", c: USD, err: money.ErrSyntax},
	{in: "1,,2", c: USD, err: money.ErrSyntax},
	{in: "1,2,3", c: USD, err: money.ErrSyntax},
	{in: "1.2.3", c: USD, err: money.ErrSyntax},
	{in: "1,23,456", c: USD, err: money.ErrSyntax},
	{in: "12,345,67", c: USD, err: money.ErrSyntax},
	{in: "1234,567.89", c: USD, err: money.ErrSyntax},
	{in: "0,123,456", c: USD, err: money.ErrSyntax},
	{in: "1.234,5.6", c: USD, err: money.ErrSyntax},
	{in: "1,234.567,89", c: USD, err: money.ErrSyntax},
	{in: "1 234.567.890", c: USD, err: money.ErrSyntax},
	{in: "1,234 567", c: USD, err: money.ErrSyntax},
	{in: "1'234 567", c: USD, err: money.ErrSyntax},
	{in: "1 234'567", c: USD, err: money.ErrSyntax},
	{in: "1. 234", c: USD, err: money.ErrSyntax},
	{in: "12 34", c: USD, err: money.ErrSyntax},
	{in: "5.", c: USD, err: money.ErrSyntax},
	{in: "5,", c: USD, err: money.ErrSyntax},
	{in: "5'", c: USD, err: money.ErrSyntax},
	{in: "5. USD", c: USD, err: money.ErrSyntax},
	{in: ".", c: USD, err: money.ErrSyntax},
	{in: ".,5", c: USD, err: money.ErrSyntax},
	{in: "'5", c: USD, err: money.ErrSyntax},
	{in: "--5", c: USD, opt: neg, err: money.ErrSyntax},
	{in: "5-", c: USD, opt: neg, err: money.ErrSyntax},
	{in: "+5", c: USD, err: money.ErrSyntax},
	{in: "1e3", c: USD, err: money.ErrSyntax},
	{in: "$$5", c: USD, err: money.ErrSyntax},
	{in: "5 USD USD", c: USD, err: money.ErrSyntax},
	{in: "5 USD 6", c: USD, err: money.ErrSyntax},
	{in: "5\t6", c: USD, err: money.ErrSyntax},
	{in: "$", c: USD, err: money.ErrSyntax},
	{in: "-", c: USD, opt: neg, err: money.ErrSyntax},
	{in: "USD", c: USD, err: money.ErrSyntax},
	{in: "abcdef", c: USD, err: money.ErrSyntax},
	{in: "١٢", c: USD, err: money.ErrSyntax},
	{in: "\xff5", c: USD, err: money.ErrSyntax},
	{in: "5\xff", c: USD, err: money.ErrSyntax},

	// Nothing.
	{in: "", c: USD, err: money.ErrEmpty},
	{in: "  \u00a0 ", c: USD, err: money.ErrEmpty},

	// Huge numbers.
	{in: "92233720368547758.07", c: USD, want: math.MaxInt64},
	{in: "92,233,720,368,547,758.07", c: USD, want: math.MaxInt64},
	{in: "92233720368547758.08", c: USD, err: money.ErrTooLarge},
	{in: "-92233720368547758.08", c: USD, opt: neg, want: math.MinInt64},
	{in: "-92233720368547758.09", c: USD, opt: neg, err: money.ErrTooLarge},
	{in: "9223372036854775807", c: CLP, want: math.MaxInt64},
	{in: "9223372036854775808", c: CLP, err: money.ErrTooLarge},
	{in: "99999999999999999999999999999999", c: USD, err: money.ErrTooLarge},
	{in: "0000000000000000000000000000000001", c: USD, want: 100},
	{in: "92233720368.54775807", c: BTC, want: math.MaxInt64},
	{in: "92233720368.54775808", c: BTC, err: money.ErrTooLarge},
}

func TestParse(t *testing.T) {
	for _, tt := range parseTests {
		t.Run(kindNames[tt.err]+"/"+tt.c.Code+"/"+tt.in, func(t *testing.T) {
			got, err := money.Parse(tt.in, tt.c, tt.opt)
			if tt.err == 0 {
				if err != nil {
					t.Fatalf("Parse(%q, %s): %v", tt.in, tt.c.Code, err)
				}
				if want := money.New(tt.want, tt.c); got != want {
					t.Fatalf("Parse(%q, %s) = %v, want %v", tt.in, tt.c.Code, got, want)
				}
				return
			}
			var pe *money.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q, %s) = %v, %v; want %s", tt.in, tt.c.Code, got, err, kindNames[tt.err])
			}
			if pe.Kind != tt.err || pe.Found != tt.found {
				t.Fatalf("Parse(%q, %s) error %s found %q (%v); want %s found %q",
					tt.in, tt.c.Code, kindNames[pe.Kind], pe.Found, err, kindNames[tt.err], tt.found)
			}
			if pe.Input != tt.in || pe.Currency != tt.c.Code || pe.Exponent != tt.c.Exponent {
				t.Fatalf("ParseError fields = %+v", pe)
			}
			if got != (money.Amount{}) {
				t.Fatalf("amount %v returned with an error", got)
			}
		})
	}
}

func TestParseInvalidCurrency(t *testing.T) {
	_, err := money.Parse("5", money.Currency{Code: "usd", Exponent: 2}, lax)
	if !errors.Is(err, money.ErrInvalidCurrency) {
		t.Fatalf("error = %v, want ErrInvalidCurrency", err)
	}
}

// Each message names what was expected, so a user can fix the input.
func TestParseErrorMessage(t *testing.T) {
	for _, tt := range []struct {
		in   string
		c    money.Currency
		opt  money.ParseOptions
		want string
	}{
		{"", USD, none, `amount is empty: expected a USD amount, for example 1234.56`},
		{"12a", USD, none, `amount "12a" is not a USD amount: expected digits, optional thousands separators and at most one decimal mark, for example 1234.56 or 1,234.56`},
		{"12a", CLP, none, `amount "12a" is not a CLP amount: expected digits, optional thousands separators and at most one decimal mark, for example 1234 or 1,234`},
		{"1,234", USD, none, `amount "1,234" is ambiguous: its separator may group thousands or mark decimals; write 1234 or 1234.00`},
		{"1,234", CLP, none, `amount "1,234" is ambiguous: its separator may group thousands or mark decimals; write 1234`},
		{"$1.234 USDT", USDT, none, `amount "$1.234 USDT" is ambiguous: its separator may group thousands or mark decimals; write 1234 or 1234.000000, or 1.2340 if you meant decimals`},
		{"12.345", USD, en, `amount "12.345": USD allows at most 2 decimals (for example 1234.56)`},
		{"12,5", CLP, none, `amount "12,5": CLP takes no decimals (for example 1234)`},
		{"0", USD, none, `amount "0": expected a USD amount greater than zero, for example 1234.56`},
		{"-5", USD, zero, `amount "-5": expected a USD amount without a minus sign, for example 1234.56`},
		{"5 €", USD, none, `amount "5 €": € is not USD; expected a USD amount, for example 1234.56`},
		{"92233720368547758.08", USD, none, `amount "92233720368547758.08" is too large: expected at most 92233720368547758.07 USD`},
	} {
		t.Run(tt.c.Code+"/"+tt.in, func(t *testing.T) {
			_, err := money.Parse(tt.in, tt.c, tt.opt)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v\nwant    %s", err, tt.want)
			}
		})
	}
	t.Run("UnknownKind", func(t *testing.T) {
		e := &money.ParseError{Kind: 99, Input: "x", Currency: "USD"}
		if !strings.Contains(e.Error(), "USD") {
			t.Fatalf("error = %v", e)
		}
	})
}

// The forms suggested by ErrAmbiguous parse without a locale.
func TestParseAmbiguousSuggestions(t *testing.T) {
	for _, tt := range []struct {
		in   string
		c    money.Currency
		want int64
	}{
		{"1234", CLP, 1234},
		{"1234.00", USD, 123400},
		{"1234.000000", USDT, 1234000000},
		{"1.2340", USDT, 1234000},
	} {
		t.Run("OK/"+tt.in, func(t *testing.T) {
			got, err := money.Parse(tt.in, tt.c, none)
			if err != nil || got != money.New(tt.want, tt.c) {
				t.Fatalf("Parse(%q) = %v, %v", tt.in, got, err)
			}
		})
	}
}
