package money

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// Locale hints how people write numbers; see the package documentation.
type Locale uint8

const (
	LocaleNone Locale = iota // no hint: a lone separator followed by exactly 3 digits is ambiguous → error
	LocaleES                 // "." groups thousands, "," is the decimal mark
	LocaleEN                 // "," groups thousands, "." is the decimal mark
)

// ParseOptions control what Parse accepts. The zero value accepts only
// positive amounts and refuses to guess between grouping and decimals.
type ParseOptions struct {
	Locale        Locale
	AllowZero     bool
	AllowNegative bool
}

// ParseErrorKind lets adapters pick a localized message.
type ParseErrorKind uint8

const (
	ErrEmpty           ParseErrorKind = iota + 1 // nothing but white space
	ErrSyntax                                    // garbage, misplaced separators, bad digit grouping
	ErrAmbiguous                                 // e.g. "1,234" or "1.234" with LocaleNone
	ErrTooManyDecimals                           // more decimals than the currency's exponent
	ErrNotPositive                               // zero without AllowZero, negative without AllowNegative
	ErrWrongCurrency                             // a code or symbol naming another currency
	ErrTooLarge                                  // does not fit int64 minor units
)

// ParseError says what was wrong with a typed amount and what was expected.
type ParseError struct {
	Kind     ParseErrorKind
	Input    string
	Currency string // the code of the currency asked for
	Exponent int
	Found    string // for ErrWrongCurrency: the code (upper case) or symbol found
}

// Error returns an English message that names what was expected, e.g.
// `amount "12.345": USD allows at most 2 decimals (for example 1234.56)`.
func (e *ParseError) Error() string {
	in := fmt.Sprintf("amount %q", e.Input)
	ex := example(e.Exponent)
	switch e.Kind {
	case ErrEmpty:
		return fmt.Sprintf("amount is empty: expected a %s amount, for example %s", e.Currency, ex)
	case ErrSyntax:
		return fmt.Sprintf("%s is not a %s amount: expected digits, optional thousands separators and at most one decimal mark, for example %s or %s",
			in, e.Currency, ex, groupedExample(e.Exponent))
	case ErrAmbiguous:
		return in + " is ambiguous: its separator may group thousands or mark decimals; " + disambiguation(digitsOf(e.Input), e.Exponent)
	case ErrTooManyDecimals:
		if e.Exponent <= 0 {
			return fmt.Sprintf("%s: %s takes no decimals (for example %s)", in, e.Currency, ex)
		}
		return fmt.Sprintf("%s: %s allows at most %d decimals (for example %s)", in, e.Currency, e.Exponent, ex)
	case ErrNotPositive:
		if strings.Trim(digitsOf(e.Input), "0") == "" {
			return fmt.Sprintf("%s: expected a %s amount greater than zero, for example %s", in, e.Currency, ex)
		}
		return fmt.Sprintf("%s: expected a %s amount without a minus sign, for example %s", in, e.Currency, ex)
	case ErrWrongCurrency:
		return fmt.Sprintf("%s: %s is not %s; expected a %s amount, for example %s", in, e.Found, e.Currency, e.Currency, ex)
	case ErrTooLarge:
		largest := New(math.MaxInt64, Currency{Code: e.Currency, Exponent: e.Exponent})
		return fmt.Sprintf("%s is too large: expected at most %s", in, largest)
	}
	return fmt.Sprintf("%s: invalid %s amount", in, e.Currency)
}

// example returns 1234 with exp decimals, a form every locale reads alike.
func example(exp int) string {
	const frac = "56789012"
	if exp <= 0 {
		return "1234"
	}
	return "1234." + frac[:min(exp, len(frac))]
}

func groupedExample(exp int) string {
	return "1," + example(exp)[1:]
}

// disambiguation tells how to write the digits of an ambiguous amount.
// "1.234" with three decimals is ambiguous itself without a locale, so the
// decimal reading is suggested only where a trailing zero is allowed.
func disambiguation(digits string, exp int) string {
	if exp <= 0 {
		return "write " + digits
	}
	s := "write " + digits + " or " + digits + "." + strings.Repeat("0", min(exp, MaxExponent))
	if exp > 3 && len(digits) > 3 {
		cut := len(digits) - 3
		s += ", or " + digits[:cut] + "." + digits[cut:] + "0 if you meant decimals"
	}
	return s
}

func digitsOf(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// Parse reads an amount of currency c as a person types it, following the
// rules in the package documentation. It never rounds: what it cannot read
// exactly is a *ParseError. An invalid c gives the error of c.Validate.
func Parse(s string, c Currency, opt ParseOptions) (Amount, error) {
	if err := c.Validate(); err != nil {
		return Amount{}, err
	}
	p := parser{in: s, c: c, opt: opt}
	return p.parse()
}

type parser struct {
	in  string
	c   Currency
	opt ParseOptions
}

func (p *parser) fail(k ParseErrorKind) *ParseError {
	return &ParseError{Kind: k, Input: p.in, Currency: p.c.Code, Exponent: p.c.Exponent}
}

func (p *parser) parse() (Amount, error) {
	t := strings.TrimSpace(p.in)
	if t == "" {
		return Amount{}, p.fail(ErrEmpty)
	}
	neg, num, perr := p.scan(t)
	if perr != nil {
		return Amount{}, perr
	}
	whole, frac, perr := p.split(num)
	if perr != nil {
		return Amount{}, perr
	}
	if len(frac) > p.c.Exponent {
		return Amount{}, p.fail(ErrTooManyDecimals)
	}
	limit := uint64(math.MaxInt64)
	if neg {
		limit++ // -2^63 fits
	}
	var m uint64
	for _, d := range whole + frac + strings.Repeat("0", p.c.Exponent-len(frac)) {
		v := uint64(d - '0')
		if m > (limit-v)/10 {
			return Amount{}, p.fail(ErrTooLarge)
		}
		m = m*10 + v
	}
	switch {
	case m == 0 && !p.opt.AllowZero:
		return Amount{}, p.fail(ErrNotPositive)
	case m != 0 && neg && !p.opt.AllowNegative:
		return Amount{}, p.fail(ErrNotPositive)
	case neg:
		m = -m // two's complement: uint64 2^63 becomes math.MinInt64
	}
	return New(int64(m), p.c), nil
}

// scan splits t into an optional sign, at most one currency marker before
// and one after the number, and the number itself, which it returns
// without surrounding spaces.
func (p *parser) scan(t string) (neg bool, num string, perr *ParseError) {
	var prefix, suffix bool
	for i := 0; i < len(t); {
		r, n := utf8.DecodeRuneInString(t[i:])
		switch {
		case isSpace(r):
			i += n
		case r == '-' || r == '−':
			if neg || num != "" {
				return false, "", p.fail(ErrSyntax)
			}
			neg = true
			i += n
		case isDigit(t[i]) || (r == '.' || r == ',') && i+1 < len(t) && isDigit(t[i+1]):
			if num != "" {
				return false, "", p.fail(ErrSyntax)
			}
			j := i
			for j < len(t) {
				r, n := utf8.DecodeRuneInString(t[j:])
				if !isDigit(t[j]) && !isSep(r) {
					break
				}
				j += n
			}
			num = strings.TrimRightFunc(t[i:j], isSpace) // trailing spaces part it from a code
			i = j
		default:
			found, code, n := marker(t[i:])
			if n == 0 || (num == "" && prefix) || (num != "" && suffix) {
				return false, "", p.fail(ErrSyntax)
			}
			if code != "" && code != p.c.Code {
				e := p.fail(ErrWrongCurrency)
				e.Found = found
				return false, "", e
			}
			prefix, suffix = prefix || num == "", suffix || num != ""
			i += n
		}
	}
	if num == "" {
		return false, "", p.fail(ErrSyntax)
	}
	return neg, num, nil
}

// marker recognizes a currency code or symbol at the start of t. It returns
// what was found (codes upper-cased), the code it names ("" for "$", which
// any currency may use) and its length in bytes, 0 if there is none.
func marker(t string) (found, code string, n int) {
	for _, s := range [...]struct{ sym, code string }{{"$", ""}, {"€", "EUR"}, {"£", "GBP"}} {
		if strings.HasPrefix(t, s.sym) {
			return s.sym, s.code, len(s.sym)
		}
	}
	for n < len(t) && isLetter(t[n]) {
		n++
	}
	word := strings.ToUpper(t[:n])
	var next byte
	if n < len(t) {
		next = t[n]
	}
	switch {
	case word == "US" && next == '$':
		return t[:3], "USD", 3
	case word == "R" && next == '$':
		return t[:2], "BRL", 2
	case word == "S" && next == '/':
		return t[:2], "PEN", 2
	case word == "BS": // Bs, Bs., Bs.S, Bs.D
		if next == '.' {
			n++
			if n < len(t) && strings.IndexByte("SDsd", t[n]) >= 0 && (n+1 == len(t) || !isLetter(t[n+1])) {
				n++
			}
		}
		return t[:n], "VES", n
	case n >= 3 && n <= 5:
		return word, word, n
	}
	return "", "", 0
}

// Separator kinds; spaces of all widths are one kind.
const (
	sepDot = iota
	sepComma
	sepSpace
	sepApos
	sepKinds
)

func sepKind(r rune) int {
	switch r {
	case '.':
		return sepDot
	case ',':
		return sepComma
	case '\'':
		return sepApos
	}
	return sepSpace
}

// split applies the separator rules to num and returns its integer and
// fraction digits.
func (p *parser) split(num string) (whole, frac string, perr *ParseError) {
	// groups[i] and groups[i+1] are the digit runs around seps[i].
	var (
		groups []string
		seps   []int
		count  [sepKinds]int
		start  int // of the current digit run
	)
	for i, r := range num {
		if isDigit(num[i]) {
			continue
		}
		if len(seps) > 0 && start == i { // two separators in a row
			return "", "", p.fail(ErrSyntax)
		}
		groups = append(groups, num[start:i])
		k := sepKind(r)
		seps = append(seps, k)
		count[k]++
		start = i + utf8.RuneLen(r)
	}
	if start == len(num) { // ends with a separator
		return "", "", p.fail(ErrSyntax)
	}
	groups = append(groups, num[start:])
	if count[sepSpace] > 0 && count[sepApos] > 0 {
		return "", "", p.fail(ErrSyntax)
	}
	spaced := count[sepSpace]+count[sepApos] > 0 // spaces and apostrophes only ever group
	last := -1                                   // index in seps of the last "." or ","
	for i, k := range seps {
		if k == sepDot || k == sepComma {
			last = i
		}
	}
	dec := -1 // index in seps of the decimal mark
	switch {
	case last < 0:
	case count[sepDot] > 0 && count[sepComma] > 0:
		if spaced || count[seps[last]] > 1 {
			return "", "", p.fail(ErrSyntax)
		}
		dec = last
	case spaced:
		if count[seps[last]] > 1 {
			return "", "", p.fail(ErrSyntax)
		}
		dec = last
	case count[seps[last]] > 1: // repeated: grouping
	case len(groups[last+1]) == 3 && validFirstGroup(groups[last]):
		switch {
		case p.opt.Locale == LocaleES && seps[last] == sepComma,
			p.opt.Locale == LocaleEN && seps[last] == sepDot:
			dec = last
		case p.opt.Locale != LocaleES && p.opt.Locale != LocaleEN:
			return "", "", p.fail(ErrAmbiguous)
		}
	default:
		dec = last
	}
	if dec >= 0 && dec != len(seps)-1 {
		return "", "", p.fail(ErrSyntax)
	}
	if dec >= 0 {
		frac = groups[dec+1]
		groups = groups[:dec+1]
	}
	if len(groups) > 1 {
		if !validFirstGroup(groups[0]) {
			return "", "", p.fail(ErrSyntax)
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return "", "", p.fail(ErrSyntax)
			}
		}
	}
	return strings.Join(groups, ""), frac, nil
}

// validFirstGroup reports whether g may lead a grouped number: 1 to 3
// digits, not starting with 0 (nobody writes 0,123 meaning 123).
func validFirstGroup(g string) bool {
	return len(g) >= 1 && len(g) <= 3 && g[0] != '0'
}

func isDigit(b byte) bool  { return b >= '0' && b <= '9' }
func isLetter(b byte) bool { return b|0x20 >= 'a' && b|0x20 <= 'z' }

// isSpace reports the spaces that may group digits or part a number from a
// code: the space, the no-break space and the narrow no-break space.
func isSpace(r rune) bool { return r == ' ' || r == '\u00a0' || r == '\u202f' }

func isSep(r rune) bool { return r == '.' || r == ',' || r == '\'' || isSpace(r) }
