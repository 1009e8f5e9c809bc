package money_test

import (
	"fmt"

	"github.com/cambista/cambista/money"
	"github.com/shopspring/decimal"
)

func ExampleParse() {
	usd := money.Currency{Code: "USD", Exponent: 2}
	for _, s := range []string{"$1,234.56", "1.234,56 USD", "usd 12", "1,234", "12.5 €"} {
		a, err := money.Parse(s, usd, money.ParseOptions{})
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(a)
	}
	// Knowing the user writes Spanish-style numbers settles the ambiguity.
	a, _ := money.Parse("1.234", usd, money.ParseOptions{Locale: money.LocaleES})
	fmt.Println(a)
	// Output:
	// 1234.56 USD
	// 1234.56 USD
	// 12.00 USD
	// amount "1,234" is ambiguous: its separator may group thousands or mark decimals; write 1234 or 1234.00
	// amount "12.5 €": € is not USD; expected a USD amount, for example 1234.56
	// 1234.00 USD
}

func ExampleFormat() {
	ves := money.New(-123456, money.Currency{Code: "VES", Exponent: 2})
	clp := money.New(95050, money.Currency{Code: "CLP", Exponent: 0})
	fmt.Println(money.Format(ves, money.LocaleES))
	fmt.Println(money.Format(ves, money.LocaleEN))
	fmt.Println(money.Format(clp, money.LocaleES))
	// Output:
	// -1.234,56 VES
	// -1,234.56 VES
	// 95.050 CLP
}

func ExampleConvertInverse() {
	usd := money.Currency{Code: "USD", Exponent: 2}
	ves := money.Currency{Code: "VES", Exponent: 2}
	rate, _ := money.ParseRate("41,00")
	sent := money.New(9700, usd)
	paid, _ := money.Convert(sent, rate, ves)
	back, _ := money.ConvertInverse(money.New(388000, ves), rate, usd)
	fee, _ := money.MulDecimal(sent, decimal.New(3, -2))
	fmt.Println(rate, paid, back, fee)
	// Output: 41 3977.00 VES 94.63 USD 2.91 USD
}
