package money

import "strings"

// Format writes a for people: LocaleES "-1.234,56 VES", LocaleEN and
// LocaleNone "-1,234.56 VES", always with exactly Exponent decimals
// ("1.234 CLP" / "1,234 CLP" for exponent 0). Parse with the same locale
// (LocaleEN for LocaleNone) reads the result back to a.
func Format(a Amount, loc Locale) string {
	sign, whole, frac, ok := a.split()
	if !ok {
		return a.String()
	}
	var b strings.Builder
	writeNumber(&b, sign, whole, frac, loc)
	b.WriteString(" ")
	b.WriteString(a.Currency.Code)
	return b.String()
}

// FormatDecimal writes a plain decimal text ("-1234.5", as Rate.String and
// decimal.Decimal.String give it) the way Format writes amounts, with the
// decimals it has: LocaleES "-1.234,5", LocaleEN "-1,234.5". Text that is
// not such a number is returned as it is.
func FormatDecimal(s string, loc Locale) string {
	sign, digits := "", s
	if strings.HasPrefix(digits, "-") {
		sign, digits = "-", digits[1:]
	}
	whole, frac, _ := strings.Cut(digits, ".")
	if whole == "" || strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" {
		return s
	}
	var b strings.Builder
	writeNumber(&b, sign, whole, frac, loc)
	return b.String()
}

// writeNumber writes digits with the locale's thousands groups and
// decimal mark: the one place numbers are laid out for people.
func writeNumber(b *strings.Builder, sign, whole, frac string, loc Locale) {
	group, mark := ",", "."
	if loc == LocaleES {
		group, mark = ".", ","
	}
	b.WriteString(sign)
	for i := 0; i < len(whole); i++ {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteByte(whole[i])
	}
	if frac != "" {
		b.WriteString(mark)
		b.WriteString(frac)
	}
}
