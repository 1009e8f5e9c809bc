// Package money holds exact amounts of money, exchange rates and the
// conversions between them. Nothing here uses floating point: an Amount is
// an int64 count of its currency's minor units (cents for USD, units for
// CLP, millionths for USDT), a Rate is an exact decimal, and every computed
// figure is rounded once, at the end, to the minor unit of the currency it
// is expressed in, with that currency's RoundingMode.
//
// # Arithmetic
//
// Add, Sub and Cmp refuse amounts of different currencies
// (ErrCurrencyMismatch) and report int64 overflow (ErrOverflow) instead of
// wrapping. Convert multiplies by a rate, ConvertInverse divides by one, and
// MulDecimal applies a factor such as a percentage; each keeps the exact
// intermediate value as big integers, so a half-way case is decided on the
// true remainder:
//
//	97.00 USD × 40    = 3880.00 VES
//	3880.00 VES ÷ 41  = 94.63 USD   (94.6341…)
//	100.00 USD × 0.03 = 3.00 USD
//
// A Rate is positive, has at most 18 decimals and is at most 10^18. Its
// String is the canonical text kept in the database; ParseRate reads it back.
//
// # Parsing what people type
//
// Parse reads an amount as typed in a chat or a form. It never rounds and
// never guesses a grouping that could be a decimal mark: what it cannot read
// exactly is a *ParseError whose Kind tells adapters which localized message
// to show. The rules, in order:
//
//  1. Surrounding white space is dropped. Nothing left is ErrEmpty.
//  2. Around the number there may be, separated by optional spaces: one
//     sign, "-" or "−" (U+2212), before the number ("-$5", "$-5", "USD -5");
//     at most one currency marker before the number and at most one after
//     it ("$1,234.56 USD"). A marker is a code of 3 to 5 letters in any case
//     ("usd", "USDT") or a symbol: "$" (any currency, it is too common to
//     refuse), "US$" (USD), "€" (EUR), "£" (GBP), "Bs", "Bs.", "Bs.S",
//     "Bs.D" (VES), "S/" (PEN), "R$" (BRL). A marker naming another currency
//     is ErrWrongCurrency; anything else that is not part of the number, or
//     a sign after it, is ErrSyntax.
//  3. The number is ASCII digits and separators. It may start with "." or
//     "," (".5" is 0.5) but not end with a separator ("5." is ErrSyntax),
//     and two separators in a row are ErrSyntax.
//  4. Space, U+00A0 and U+202F (all one kind) and the apostrophe "'" only
//     ever group thousands; the two kinds may not be mixed. "." and "," may
//     group or mark decimals, decided by the first of the rules below that
//     applies.
//
// Deciding what "." and "," mean:
//   - If both appear, the last to appear is the decimal mark and must appear
//     once; the other groups, and no space or apostrophe may group too.
//   - If spaces or apostrophes group, a "." or "," is the decimal mark and
//     must appear once.
//   - If one of them appears more than once, it groups.
//   - If one of them appears once, followed by exactly 3 digits and preceded
//     by a valid first group (rule 5), it is ambiguous: LocaleES takes "." as
//     grouping and "," as the decimal mark, LocaleEN the reverse, and
//     LocaleNone returns ErrAmbiguous, even for a currency without decimals
//     ("1,234" could be a mistyped 1.234).
//   - Otherwise it is the decimal mark ("12,5", "1234.567", "0.123").
//
// Then:
//
//  5. The decimal mark, if any, must be the last separator. Grouped digits
//     must be a first group of 1 to 3 digits not starting with 0, then
//     groups of exactly 3 digits; else ErrSyntax.
//  6. More decimals than the currency's exponent is ErrTooManyDecimals,
//     trailing zeros included ("1.5000" USD): user input is never rounded.
//  7. A value outside int64 minor units is ErrTooLarge.
//  8. Zero without ParseOptions.AllowZero, and a negative value without
//     AllowNegative, is ErrNotPositive; "-0" is zero.
//
// One consequence: without a locale, an amount of a 3-decimal currency below
// 1000 with all its decimals ("1.234") is ambiguous; adapters that know the
// user's locale should pass it.
//
// Format writes amounts for people in the same conventions, so that Parse
// with the same locale (LocaleEN for LocaleNone) reads its output back.
// Amount.String is the locale-free form for logs: "1234.56 USD".
package money
