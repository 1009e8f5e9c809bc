package app

import (
	"errors"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/money"
)

// locale picks how to read what a person typed: their language's
// conventions settle "1.234" (a thousand in Spanish, a decimal in English).
func locale(a cambista.Actor) money.Locale {
	if normalizeLocale(a.Locale) == cambista.LocaleES {
		return money.LocaleES
	}
	return money.LocaleEN
}

// parseAmount reads a positive amount typed by the actor, or returns an
// EINVALID error whose message says what was expected.
func parseAmount(a cambista.Actor, s string, cur money.Currency) (money.Amount, error) {
	amt, err := money.Parse(s, cur, money.ParseOptions{Locale: locale(a)})
	if err == nil {
		return amt, nil
	}
	var pe *money.ParseError
	if !errors.As(err, &pe) {
		return money.Amount{}, cambista.Errorf(cambista.EINVALID, cambista.MsgAmountSyntax.Msg("Input", s, "Example", example(cur)))
	}
	ex := example(cur)
	var m cambista.Message
	switch pe.Kind {
	case money.ErrEmpty:
		m = cambista.MsgAmountEmpty.Msg("Example", ex)
	case money.ErrAmbiguous:
		m = cambista.MsgAmountAmbiguous.Msg("Input", s, "Example", ex)
	case money.ErrTooManyDecimals:
		m = cambista.MsgAmountDecimals.Msg("Currency", cur.Code, "Exponent", cur.Exponent, "Example", ex)
	case money.ErrNotPositive:
		m = cambista.MsgAmountPositive.Msg()
	case money.ErrWrongCurrency:
		m = cambista.MsgAmountCurrency.Msg("Found", pe.Found, "Currency", cur.Code)
	case money.ErrTooLarge:
		m = cambista.MsgAmountTooLarge.Msg("Input", s)
	default:
		m = cambista.MsgAmountSyntax.Msg("Input", s, "Example", ex)
	}
	return money.Amount{}, &cambista.Error{Code: cambista.EINVALID, Message: m, Err: err}
}

// parseRate reads a rate typed by the actor with the same conventions as
// amounts, so that "4.100" is four thousand one hundred to a Spanish
// reader, not 4.1 — a thousandfold mistake. Up to eight decimals are read
// that way; finer rates ("0.000012345") fall back to plain decimal text.
func parseRate(a cambista.Actor, s string) (money.Rate, error) {
	amt, err := money.Parse(s, rateUnits, money.ParseOptions{Locale: locale(a)})
	var pe *money.ParseError
	switch {
	case err == nil:
		return money.RateFromDecimal(amt.Decimal())
	case errors.As(err, &pe) && pe.Kind == money.ErrTooManyDecimals:
		return money.ParseRate(s)
	}
	return money.Rate{}, err
}

// rateUnits reads rates as amounts of a currency with the most decimals
// money allows.
var rateUnits = money.Currency{Code: "RATE", Exponent: money.MaxExponent}

// example is 1234.56 of the currency, which the message shows as its
// reader (the actor) would type it.
func example(cur money.Currency) money.Amount {
	minor := int64(123456)
	for range 2 - cur.Exponent {
		minor /= 10
	}
	for i := 2; i < cur.Exponent; i++ {
		minor *= 10
	}
	return money.New(minor, cur)
}
