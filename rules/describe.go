package rules

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/cambista/cambista"
)

// Describe says in plain words what a rule does, then to which quotes it
// applies: the rule list's sentence, in the words Explain uses for a quote.
// Figures are canonical decimal text followed by their currency.
func Describe(r Rule) []cambista.Message {
	in := func(d decimal.Decimal, cur string) string {
		if d.IsZero() {
			return ""
		}
		if cur == "" {
			return plain(d)
		}
		return plain(d) + " " + cur
	}
	cur := r.Scope.FromCurrency
	e := r.Effect
	var what cambista.Message
	switch r.Kind {
	case Commission:
		caps := []any{"Min", in(e.Min, cur), "Max", in(e.Max, cur)}
		switch {
		case e.Formula != "":
			what = cambista.MsgDescFormula.Msg(caps...)
		case len(e.Tiers) > 0:
			what = cambista.MsgDescTiers.Msg(append(caps, "Count", len(e.Tiers))...)
		default:
			what = cambista.MsgDescCommission.Msg(append(caps, "Percent", plain(e.Percent), "Fixed", in(e.Fixed, cur))...)
		}
	case AgentShare:
		what = cambista.MsgDescAgentShare.Msg("Percent", plain(e.Percent))
	case Bonus:
		what = cambista.MsgDescBonus.Msg("Amount", in(e.Amount, e.Currency), "To", e.To)
	case Spread:
		what = cambista.MsgDescSpread.Msg("Percent", plain(e.Percent))
	case Limit:
		what = cambista.MsgDescLimit.Msg("Daily", in(e.Daily, cur), "Monthly", in(e.Monthly, cur))
	default:
		return nil
	}
	s := r.Scope
	pair, route := "", ""
	if s.FromCurrency != "" || s.ToCurrency != "" {
		pair = or(s.FromCurrency, "*") + "→" + or(s.ToCurrency, "*")
	}
	if s.FromCountry != "" || s.ToCountry != "" {
		route = or(s.FromCountry, "*") + "→" + or(s.ToCountry, "*")
	}
	var userType any = ""
	if s.UserType != "" {
		userType = cambista.WordFor(string(s.UserType))
	}
	where := cambista.MsgDescScope.Msg("Pair", pair, "Route", route, "UserType", userType,
		"Min", in(s.MinAmount, cur), "Max", in(s.MaxAmount, cur),
		"From", day(s.ValidFrom), "Until", day(s.ValidUntil),
		"Condition", r.Condition != "")
	return []cambista.Message{what, where}
}

// day writes a validity bound as a date, "" when unbounded.
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
