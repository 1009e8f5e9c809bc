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
	group, mark := ",", "."
	if loc == LocaleES {
		group, mark = ".", ","
	}
	var b strings.Builder
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
	b.WriteString(" ")
	b.WriteString(a.Currency.Code)
	return b.String()
}
