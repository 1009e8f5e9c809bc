package rules

import (
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/cel-go/cel"
	"github.com/shopspring/decimal"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/money"
)

// Bounds of what a rule may say.
const (
	maxNameLen      = 80
	percentDecimals = 6 // finer percentages mean nothing to anyone and only invite typos
)

var (
	hundred      = decimal.New(100, 0)
	fifty        = decimal.New(50, 0)
	minusFifty   = decimal.New(-50, 0)
	decimalZero  = decimal.Decimal{}
	percentRange = map[Kind][2]decimal.Decimal{
		Commission: {decimalZero, hundred},
		AgentShare: {decimalZero, hundred},
		Spread:     {minusFifty, fifty},
	}
)

// Validate checks a rule before it is saved; cur finds a currency by code
// (nil finds none). It returns nil or a *cambista.Error with code EINVALID
// whose message says what is wrong and what is expected; a Condition or
// Formula that does not compile is refused with the compiler's message.
func Validate(r Rule, cur func(code string) (money.Currency, bool)) error {
	if cur == nil {
		cur = func(string) (money.Currency, bool) { return money.Currency{}, false }
	}
	_, err := check(&r, cur)
	return err
}

// compiled is a checked rule with its CEL programs.
type compiled struct {
	Rule
	cond    cel.Program // nil without a Condition
	formula cel.Program // nil without a Formula
}

// check validates r and compiles its CEL. With a nil cur it checks all that
// does not need currency definitions (NewSet's case): amounts are then only
// bounded to money.MaxExponent decimals, and Quote checks them exactly
// against the send currency.
func check(r *Rule, cur func(string) (money.Currency, bool)) (*compiled, error) {
	v := validator{r: r, cur: cur}
	if err := v.rule(); err != nil {
		return nil, err
	}
	c := &compiled{Rule: *r}
	var err error
	if strings.TrimSpace(r.Condition) != "" {
		if c.cond, err = compile(fieldCondition, r.Condition, cel.BoolType); err != nil {
			return nil, err
		}
	}
	if r.Kind == Commission && strings.TrimSpace(r.Effect.Formula) != "" {
		if c.formula, err = compile(fieldFormula, r.Effect.Formula, cel.IntType); err != nil {
			return nil, err
		}
	}
	return c, nil
}

type validator struct {
	r   *Rule
	cur func(string) (money.Currency, bool) // nil: currency definitions unknown
}

func invalid(m cambista.Message) error { return cambista.Errorf(cambista.EINVALID, m) }

func (v *validator) rule() error {
	r := v.r
	if !r.Kind.Valid() {
		return invalid(cambista.MsgRuleBadKind.Msg("Input", string(r.Kind)))
	}
	if err := cambista.ValidateText("name", r.Name, false); err != nil {
		return err
	}
	if name := strings.TrimSpace(r.Name); name == "" || utf8.RuneCountInString(name) > maxNameLen {
		return invalid(cambista.MsgRuleBadName.Msg())
	}
	if err := v.scope(); err != nil {
		return err
	}
	if err := v.unused(); err != nil {
		return err
	}
	e := r.Effect
	switch r.Kind {
	case Commission:
		return v.commission()
	case AgentShare, Spread:
		return v.percent("effect.percent", e.Percent)
	case Bonus:
		return v.bonus()
	case Limit:
		if e.Daily.IsZero() && e.Monthly.IsZero() {
			return invalid(cambista.MsgRuleLimitEmpty.Msg("Field", "effect.daily", "Other", "effect.monthly"))
		}
		if err := v.sendAmount("effect.daily", e.Daily); err != nil {
			return err
		}
		return v.sendAmount("effect.monthly", e.Monthly)
	}
	return nil
}

func (v *validator) scope() error {
	s := v.r.Scope
	for _, c := range []string{s.FromCountry, s.ToCountry} {
		if c != "" {
			if err := cambista.ValidateCountryCode(c); err != nil {
				return err
			}
		}
	}
	if s.UserType != "" {
		if err := s.UserType.Validate(); err != nil {
			return err
		}
	}
	if err := v.currency("scope.from_currency", s.FromCurrency); err != nil {
		return err
	}
	if err := v.currency("scope.to_currency", s.ToCurrency); err != nil {
		return err
	}
	if err := v.sendAmount("scope.min_amount", s.MinAmount); err != nil {
		return err
	}
	if err := v.sendAmount("scope.max_amount", s.MaxAmount); err != nil {
		return err
	}
	if err := minMax("scope.min_amount", "scope.max_amount", s.MinAmount, s.MaxAmount); err != nil {
		return err
	}
	if !s.ValidFrom.IsZero() && !s.ValidUntil.IsZero() && !s.ValidFrom.Before(s.ValidUntil) {
		return invalid(cambista.MsgRuleValidity.Msg("Field", "scope.valid_from", "Other", "scope.valid_until",
			"From", s.ValidFrom, "Until", s.ValidUntil))
	}
	return nil
}

// unused refuses effect fields the rule's kind ignores: a value that does
// nothing is a mistake the operator should hear about.
func (v *validator) unused() error {
	e := v.r.Effect
	fields := []struct {
		name  string
		set   bool
		kinds []Kind
	}{
		{"effect.percent", !e.Percent.IsZero(), []Kind{Commission, AgentShare, Spread}},
		{"effect.fixed", !e.Fixed.IsZero(), []Kind{Commission}},
		{"effect.min", !e.Min.IsZero(), []Kind{Commission}},
		{"effect.max", !e.Max.IsZero(), []Kind{Commission}},
		{"effect.tiers", len(e.Tiers) > 0, []Kind{Commission}},
		{"effect.formula", e.Formula != "", []Kind{Commission}},
		{"effect.amount", !e.Amount.IsZero(), []Kind{Bonus}},
		{"effect.currency", e.Currency != "", []Kind{Bonus}},
		{"effect.to", e.To != "", []Kind{Bonus}},
		{"effect.daily", !e.Daily.IsZero(), []Kind{Limit}},
		{"effect.monthly", !e.Monthly.IsZero(), []Kind{Limit}},
	}
	for _, f := range fields {
		used := false
		for _, k := range f.kinds {
			used = used || k == v.r.Kind
		}
		if f.set && !used {
			return invalid(cambista.MsgRuleUnusedField.Msg("Field", f.name, "Kind", string(v.r.Kind)))
		}
	}
	return nil
}

func (v *validator) commission() error {
	e := v.r.Effect
	ways := 0
	if !e.Percent.IsZero() || !e.Fixed.IsZero() {
		ways++
	}
	if len(e.Tiers) > 0 {
		ways++
	}
	if strings.TrimSpace(e.Formula) != "" {
		ways++
	}
	if ways > 1 {
		return invalid(cambista.MsgRuleCommissionMix.Msg())
	}
	if err := v.percent("effect.percent", e.Percent); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		d    decimal.Decimal
	}{{"effect.fixed", e.Fixed}, {"effect.min", e.Min}, {"effect.max", e.Max}} {
		if err := v.sendAmount(f.name, f.d); err != nil {
			return err
		}
	}
	if err := minMax("effect.min", "effect.max", e.Min, e.Max); err != nil {
		return err
	}
	return v.tiers()
}

// tiers checks that the table covers every amount exactly once: bounds go
// up, and the last tier, only it, is open-ended.
func (v *validator) tiers() error {
	ts := v.r.Effect.Tiers
	for i, t := range ts {
		n := i + 1 // people count tiers from 1
		last := i == len(ts)-1
		if t.UpTo.IsZero() != last {
			return invalid(cambista.MsgRuleTierLast.Msg("Field", tierField(n, "up_to")))
		}
		if err := v.sendAmount(tierField(n, "up_to"), t.UpTo); err != nil {
			return err
		}
		if err := v.percent(tierField(n, "percent"), t.Percent); err != nil {
			return err
		}
		if err := v.sendAmount(tierField(n, "fixed"), t.Fixed); err != nil {
			return err
		}
		if i > 0 && !last && t.UpTo.Cmp(ts[i-1].UpTo) <= 0 {
			return invalid(cambista.MsgRuleTierOrder.Msg("Field", tierField(n, "up_to"), "N", n, "UpTo", plain(t.UpTo), "Prev", plain(ts[i-1].UpTo)))
		}
	}
	return nil
}

func tierField(n int, name string) string {
	return "effect.tiers[" + strconv.Itoa(n) + "]." + name
}

func (v *validator) bonus() error {
	e := v.r.Effect
	if e.Currency == "" {
		return invalid(cambista.MsgRuleBonusCurrency.Msg("Field", "effect.currency"))
	}
	if err := v.currency("effect.currency", e.Currency); err != nil {
		return err
	}
	if e.To != ToAgent && e.To != ToClient {
		return invalid(cambista.MsgRuleBonusTo.Msg("Field", "effect.to", "Input", e.To))
	}
	if e.Amount.Sign() <= 0 {
		return invalid(cambista.MsgRuleBonusAmount.Msg("Field", "effect.amount"))
	}
	return v.amount("effect.amount", e.Amount, e.Currency)
}

// currency checks a currency code: well-formed, and known when definitions
// are at hand.
func (v *validator) currency(field, code string) error {
	if code == "" {
		return nil
	}
	if err := (money.Currency{Code: code}).Validate(); err != nil {
		return invalid(cambista.MsgBadCurrency.Msg("Code", code))
	}
	if v.cur != nil {
		if _, ok := v.cur(code); !ok {
			return invalid(cambista.MsgRuleUnknownCur.Msg("Code", code, "Field", field))
		}
	}
	return nil
}

func (v *validator) percent(field string, d decimal.Decimal) error {
	bounds := percentRange[v.r.Kind]
	if !fits(d, percentDecimals) || d.Cmp(bounds[0]) < 0 || d.Cmp(bounds[1]) > 0 {
		return invalid(cambista.MsgRuleBadPercent.Msg("Field", field,
			"Min", plain(bounds[0]), "Max", plain(bounds[1]), "Decimals", percentDecimals, "Input", plain(d)))
	}
	return nil
}

// sendAmount checks an amount given in major units of the scope's send
// currency, which it therefore requires.
func (v *validator) sendAmount(field string, d decimal.Decimal) error {
	if d.IsZero() {
		return nil
	}
	if v.r.Scope.FromCurrency == "" {
		return invalid(cambista.MsgRuleNeedsCurrency.Msg("Field", field, "Need", "scope.from_currency"))
	}
	return v.amount(field, d, v.r.Scope.FromCurrency)
}

// amount checks that d is a non-negative amount of code, exact in its minor
// units and within int64 of them.
func (v *validator) amount(field string, d decimal.Decimal, code string) error {
	c := money.Currency{Code: code, Exponent: money.MaxExponent}
	if v.cur != nil {
		var ok bool
		if c, ok = v.cur(code); !ok {
			return invalid(cambista.MsgRuleUnknownCur.Msg("Code", code, "Field", field))
		}
	}
	if _, ok := exact(d, c); !ok || d.Sign() < 0 {
		return invalid(cambista.MsgRuleBadAmount.Msg("Field", field,
			"Currency", code, "Exponent", c.Exponent, "Input", plain(d)))
	}
	return nil
}

// minMax refuses a minimum above a maximum when both are set.
func minMax(loField, hiField string, lo, hi decimal.Decimal) error {
	if !lo.IsZero() && !hi.IsZero() && lo.Cmp(hi) > 0 {
		return invalid(cambista.MsgRuleMinOverMax.Msg("Field", loField, "Other", hiField, "Min", plain(lo), "Max", plain(hi)))
	}
	return nil
}

// fits reports whether d has at most dec decimals and at most 18 integer
// digits. It reads digit counts only, so that a hostile exponent in stored
// JSON ("1e-999999999") is refused before any comparison or product would
// build a huge number.
func fits(d decimal.Decimal, dec int) bool {
	if d.IsZero() {
		return true
	}
	n := d.Normalize()
	exp := int64(n.Exponent())
	return exp >= -int64(dec) && int64(n.NumDigits())+exp <= 18
}

// exact returns d as an amount of c, or false when d has more decimals than
// c allows or does not fit int64 minor units: rule amounts are never rounded.
func exact(d decimal.Decimal, c money.Currency) (money.Amount, bool) {
	if !fits(d, c.Exponent) {
		return money.Amount{}, false
	}
	a, err := money.FromDecimal(d, c)
	return a, err == nil
}

// plain writes d in fixed notation ("33.34", "-0.5", "40"), independent of
// the decimal package's global switches; a value too long to be meant is
// shown as "…" rather than built.
func plain(d decimal.Decimal) string {
	n := d.Normalize()
	exp := int64(n.Exponent())
	if n.NumDigits() > 40 || exp > 40 || exp < -40 {
		return "…"
	}
	coef := n.Coefficient()
	sign := ""
	if coef.Sign() < 0 {
		sign = "-"
		coef = new(big.Int).Neg(coef)
	}
	digits := coef.String()
	if exp >= 0 {
		return sign + digits + strings.Repeat("0", int(exp))
	}
	if len(digits) <= int(-exp) {
		digits = strings.Repeat("0", int(-exp)-len(digits)+1) + digits
	}
	cut := len(digits) + int(exp)
	return sign + digits[:cut] + "." + digits[cut:]
}
