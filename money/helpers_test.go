package money_test

import (
	"github.com/cambista/cambista/money"
	"github.com/shopspring/decimal"
)

var (
	USD  = money.Currency{Code: "USD", Exponent: 2}
	VES  = money.Currency{Code: "VES", Exponent: 2}
	EUR  = money.Currency{Code: "EUR", Exponent: 2}
	GBP  = money.Currency{Code: "GBP", Exponent: 2}
	PEN  = money.Currency{Code: "PEN", Exponent: 2}
	BRL  = money.Currency{Code: "BRL", Exponent: 2}
	CLP  = money.Currency{Code: "CLP", Exponent: 0}
	KWD  = money.Currency{Code: "KWD", Exponent: 3}
	USDT = money.Currency{Code: "USDT", Exponent: 6}
	BTC  = money.Currency{Code: "BTC", Exponent: 8}
)

// with returns c rounding by m.
func with(c money.Currency, m money.RoundingMode) money.Currency {
	c.Rounding = m
	return c
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func mustRate(s string) money.Rate {
	r, err := money.ParseRate(s)
	if err != nil {
		panic(err)
	}
	return r
}
