package money_test

import (
	"math"
	"testing"

	"github.com/cambista/cambista/money"
)

func TestFormat(t *testing.T) {
	for _, tt := range []struct {
		a      money.Amount
		es, en string
	}{
		{money.New(123456, VES), "1.234,56 VES", "1,234.56 VES"},
		{money.New(-123456, VES), "-1.234,56 VES", "-1,234.56 VES"},
		{money.New(0, USD), "0,00 USD", "0.00 USD"},
		{money.New(5, USD), "0,05 USD", "0.05 USD"},
		{money.New(-5, USD), "-0,05 USD", "-0.05 USD"},
		{money.New(12345, USD), "123,45 USD", "123.45 USD"},
		{money.New(123456789, USD), "1.234.567,89 USD", "1,234,567.89 USD"},
		{money.New(1234, CLP), "1.234 CLP", "1,234 CLP"},
		{money.New(123, CLP), "123 CLP", "123 CLP"},
		{money.New(-1234567, CLP), "-1.234.567 CLP", "-1,234,567 CLP"},
		{money.New(1234567890, USDT), "1.234,567890 USDT", "1,234.567890 USDT"},
		{money.New(1, USDT), "0,000001 USDT", "0.000001 USDT"},
		{money.New(1234, KWD), "1,234 KWD", "1.234 KWD"},
		{money.New(math.MinInt64, USD), "-92.233.720.368.547.758,08 USD", "-92,233,720,368,547,758.08 USD"},
		{money.New(5, money.Currency{Code: "BAD", Exponent: 9}), "5 BAD (minor units, invalid exponent 9)", "5 BAD (minor units, invalid exponent 9)"},
	} {
		t.Run("OK/"+tt.en, func(t *testing.T) {
			if got := money.Format(tt.a, money.LocaleES); got != tt.es {
				t.Errorf("Format(ES) = %q, want %q", got, tt.es)
			}
			if got := money.Format(tt.a, money.LocaleEN); got != tt.en {
				t.Errorf("Format(EN) = %q, want %q", got, tt.en)
			}
			if got := money.Format(tt.a, money.LocaleNone); got != tt.en {
				t.Errorf("Format(None) = %q, want %q", got, tt.en)
			}
		})
	}
}

func TestFormatDecimal(t *testing.T) {
	for _, tc := range []struct{ in, es, en string }{
		{"40.4", "40,4", "40.4"},
		{"33.34", "33,34", "33.34"},
		{"-1234.5", "-1.234,5", "-1,234.5"},
		{"4080", "4.080", "4,080"},
		{"0.000123", "0,000123", "0.000123"},
		{"1800", "1.800", "1,800"},
		{"n/a", "n/a", "n/a"},
		{"", "", ""},
	} {
		if got := money.FormatDecimal(tc.in, money.LocaleES); got != tc.es {
			t.Errorf("FormatDecimal(%q, es) = %q, want %q", tc.in, got, tc.es)
		}
		if got := money.FormatDecimal(tc.in, money.LocaleEN); got != tc.en {
			t.Errorf("FormatDecimal(%q, en) = %q, want %q", tc.in, got, tc.en)
		}
	}
}
