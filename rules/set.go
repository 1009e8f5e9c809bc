package rules

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/money"
)

// Input is what a quote is computed from.
type Input struct {
	Amount                 money.Amount   // what the client pays, commission included, in the send currency
	To                     money.Currency // payout currency
	FromCountry, ToCountry string
	UserType               cambista.UserType
	HasReferrer            bool
	At                     time.Time
	BaseRate               money.Rate // the pair's current rate: units of To per 1 unit of the send currency
	RateID                 int64
	// What this user already sent today and this month (UTC), in the send
	// currency, for limits. The zero Amount counts as zero.
	SentToday, SentMonth money.Amount
	// Currencies finds the currency of a bonus paid in neither the send nor
	// the payout currency; nil finds none, and such a bonus is refused.
	Currencies func(code string) (money.Currency, bool)
}

// Quote is the result of applying a Set to an Input. Every amount is
// rounded once, to its currency's minor unit, with its currency's rounding.
type Quote struct {
	Send       money.Amount  `json:"send"`        // = Input.Amount
	Commission money.Amount  `json:"commission"`  // send currency
	AgentShare money.Amount  `json:"agent_share"` // send currency, part of Commission; zero unless Input.HasReferrer
	Net        money.Amount  `json:"net"`         // Send − Commission: what is converted
	BaseRate   money.Rate    `json:"base_rate"`
	Rate       money.Rate    `json:"rate"` // after the spread
	RateID     int64         `json:"rate_id"`
	Receive    money.Amount  `json:"receive"` // Net × Rate in the payout currency
	Bonuses    []BonusCredit `json:"bonuses,omitempty"`
	Applied    []Applied     `json:"applied,omitempty"` // every rule that applied, in the order applied
}

// BonusCredit is a bonus to credit when the transfer completes.
type BonusCredit struct {
	To     string       `json:"to"` // ToAgent or ToClient
	Amount money.Amount `json:"amount"`
	RuleID int64        `json:"rule_id"` // the bonus rule, so the posting can name it
}

// Basis says how an applied rule reached its figure, for Explain.
type Basis string

const (
	BasisPercent Basis = "percent" // commission: Percent of the amount + Fixed
	BasisTier    Basis = "tier"    // commission: Percent + Fixed of the amount's tier
	BasisFormula Basis = "formula" // commission: the CEL formula
	BasisMin     Basis = "min"     // commission: raised to the rule's Min
	BasisMax     Basis = "max"     // commission: lowered to the rule's Max
	BasisDaily   Basis = "daily"   // limit: Amount is what the daily limit leaves
	BasisMonthly Basis = "monthly" // limit: Amount is what the monthly limit leaves
)

// Applied records one rule that applied to a quote and what it produced,
// so that the quote can be explained later from what is stored.
type Applied struct {
	RuleID  int64        `json:"rule_id"`
	Version int          `json:"version"`
	Name    string       `json:"name"`
	Kind    Kind         `json:"kind"`
	Amount  money.Amount `json:"amount"`          // commission, agent share, bonus, or what the tighter limit leaves after this transfer; zero for spread
	Rate    money.Rate   `json:"rate,omitzero"`   // spread: the resulting rate
	Basis   Basis        `json:"basis,omitempty"` // commission and limit: how Amount was reached
	// Commission, agent share and spread: the percentage used.
	Percent decimal.Decimal `json:"percent,omitzero"`
	Fixed   money.Amount    `json:"fixed,omitzero"` // commission: the fixed fee added to the percentage
	Limit   money.Amount    `json:"limit,omitzero"` // limit: the cap Amount is measured against
	To      string          `json:"to,omitempty"`   // bonus: ToAgent or ToClient
}

// Set is a compiled set of rules (published or draft), ready to quote. It
// is immutable and safe for concurrent use.
type Set struct {
	byKind map[Kind][]*compiled // each in order of application: Priority descending, ID ascending
}

// NewSet checks and compiles rules once. It returns EINVALID if a rule is
// malformed, its CEL does not compile, or two rules share a non-zero ID
// (a set holds one version of each rule). The currency-dependent checks of
// Validate are the caller's, before a rule is saved; Quote refuses a rule
// amount that its currency cannot hold exactly.
func NewSet(rules []Rule) (*Set, error) {
	all := make([]*compiled, 0, len(rules))
	seen := make(map[int64]bool, len(rules))
	for i := range rules {
		r := rules[i]
		if r.ID != 0 && seen[r.ID] {
			return nil, invalid(cambista.MsgRuleDuplicate.Msg("ID", r.ID))
		}
		seen[r.ID] = true
		c, err := check(&r, nil)
		if err != nil {
			return nil, fmt.Errorf("rule %d v%d %q: %w", r.ID, r.Version, r.Name, err)
		}
		all = append(all, c)
	}
	// Stable, so unsaved drafts (all ID 0) of equal priority keep the
	// caller's order.
	slices.SortStableFunc(all, func(a, b *compiled) int {
		if c := cmp.Compare(b.Priority, a.Priority); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	s := &Set{byKind: map[Kind][]*compiled{}}
	for _, c := range all {
		s.byKind[c.Kind] = append(s.byKind[c.Kind], c)
	}
	return s, nil
}

// Simulate quotes in against draft rules without saving anything: NewSet
// then Quote.
func Simulate(draft []Rule, in Input) (*Quote, error) {
	s, err := NewSet(draft)
	if err != nil {
		return nil, err
	}
	return s.Quote(in)
}

// Quote applies the set to in. Errors: EINVALID when the amount is not
// positive, there is no rate, a limit would be exceeded, the amount does
// not cover the commission, or a rule fails (a CEL runtime error or cost
// overrun, or an amount its currency cannot hold); EINTERNAL when in is
// inconsistent (invalid currencies, sent totals in another currency, no
// time).
func (s *Set) Quote(in Input) (*Quote, error) {
	return s.quote(&evaluation{in: &in})
}

// QuoteContext is Quote with a context whose cancellation also stops a CEL
// comprehension in progress (the cost limit applies either way); it then
// returns an error wrapping the context's cause.
func (s *Set) QuoteContext(ctx context.Context, in Input) (*Quote, error) {
	if ctx == nil {
		return nil, cambista.Internal(errors.New("rules: nil context"))
	}
	return s.quote(&evaluation{ctx: ctx, in: &in})
}

func (s *Set) quote(e *evaluation) (*Quote, error) {
	if err := checkInput(e.in); err != nil {
		return nil, err
	}
	in := e.in
	send := in.Amount
	cur := send.Currency
	q := &Quote{
		Send:       send,
		Commission: money.New(0, cur),
		AgentShare: money.New(0, cur),
		BaseRate:   in.BaseRate,
		Rate:       in.BaseRate,
		RateID:     in.RateID,
	}

	// Limits first: a refused quote needs nothing else.
	for _, r := range s.byKind[Limit] {
		ok, err := e.matches(r)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		a, err := limit(r, in)
		if err != nil {
			return nil, err
		}
		q.Applied = append(q.Applied, a)
	}

	r, err := e.first(s.byKind[Commission])
	if err != nil {
		return nil, err
	}
	if r != nil {
		a, err := e.commission(r)
		if err != nil {
			return nil, err
		}
		q.Commission = a.Amount
		q.Applied = append(q.Applied, a)
	}
	if q.Commission.Minor >= send.Minor {
		return nil, invalid(cambista.MsgRuleAmountTooSmall.Msg("Amount", send, "Commission", q.Commission))
	}
	if q.Net, err = send.Sub(q.Commission); err != nil {
		return nil, moneyErr(err)
	}

	if in.HasReferrer {
		r, err := e.first(s.byKind[AgentShare])
		if err != nil {
			return nil, err
		}
		if r != nil {
			share, err := money.MulDecimal(q.Commission, r.Effect.Percent.Shift(-2))
			if err != nil {
				return nil, moneyErr(err)
			}
			a := applied(r)
			a.Amount, a.Percent = share, r.Effect.Percent
			q.AgentShare = share
			q.Applied = append(q.Applied, a)
		}
	}

	if r, err = e.first(s.byKind[Spread]); err != nil {
		return nil, err
	}
	if r != nil {
		rate, err := spreadRate(in.BaseRate, r.Effect.Percent)
		if err != nil {
			return nil, &cambista.Error{Code: cambista.EINVALID, Err: err, Message: cambista.MsgBadRate.Msg(
				"Input", in.BaseRate.String(), "Base", cur.Code, "Quote", in.To.Code)}
		}
		a := applied(r)
		a.Rate, a.Percent = rate, r.Effect.Percent
		q.Rate = rate
		q.Applied = append(q.Applied, a)
	}

	if q.Receive, err = money.Convert(q.Net, q.Rate, in.To); err != nil {
		return nil, moneyErr(err)
	}
	if q.Receive.Minor <= 0 {
		return nil, invalid(cambista.MsgRuleAmountTooSmall.Msg("Amount", send, "Commission", q.Commission))
	}

	for _, r := range s.byKind[Bonus] {
		if r.Effect.To == ToAgent && !in.HasReferrer {
			continue // no agent to credit
		}
		ok, err := e.matches(r)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		c, found := bonusCurrency(r.Effect.Currency, in)
		if !found {
			return nil, invalid(cambista.MsgRuleUnknownCur.Msg("Code", r.Effect.Currency, "Field", ruleField(r, "effect.currency")))
		}
		amt, err := ruleAmount(r, "effect.amount", r.Effect.Amount, c)
		if err != nil {
			return nil, err
		}
		a := applied(r)
		a.Amount, a.To = amt, r.Effect.To
		q.Bonuses = append(q.Bonuses, BonusCredit{To: r.Effect.To, Amount: amt, RuleID: r.ID})
		q.Applied = append(q.Applied, a)
	}
	return q, nil
}

// checkInput refuses what a person got wrong (EINVALID) and what the caller
// got wrong (EINTERNAL), and gives zero sent totals the send currency.
func checkInput(in *Input) error {
	cur := in.Amount.Currency
	if err := cur.Validate(); err != nil {
		return cambista.Internal(fmt.Errorf("rules: send currency: %w", err))
	}
	if err := in.To.Validate(); err != nil {
		return cambista.Internal(fmt.Errorf("rules: payout currency: %w", err))
	}
	if in.At.IsZero() {
		return cambista.Internal(errors.New("rules: Input.At is zero"))
	}
	if in.Amount.Minor <= 0 {
		return invalid(cambista.MsgAmountPositive.Msg())
	}
	if in.BaseRate.IsZero() {
		return invalid(cambista.MsgNoRate.Msg("Pair", cambista.Pair(cur.Code, in.To.Code)))
	}
	for _, sent := range []*money.Amount{&in.SentToday, &in.SentMonth} {
		switch {
		case *sent == (money.Amount{}):
			*sent = money.New(0, cur)
		case sent.Currency != cur:
			return cambista.Internal(fmt.Errorf("rules: sent total %s: %w (send currency %s)", sent, money.ErrCurrencyMismatch, cur.Code))
		}
	}
	return nil
}

// evaluation holds one quote's input and, once a rule needs them, its CEL
// variables.
type evaluation struct {
	ctx  context.Context // nil: only the cost limit stops CEL
	in   *Input
	vars map[string]any
}

func (e *evaluation) variables() map[string]any {
	if e.vars != nil {
		return e.vars
	}
	in := e.in
	at := in.At.UTC()
	e.vars = map[string]any{
		varAmount:      in.Amount.Minor,
		varAmountMajor: strings.TrimSuffix(in.Amount.String(), " "+in.Amount.Currency.Code),
		varFromCur:     in.Amount.Currency.Code,
		varToCur:       in.To.Code,
		varFromCountry: in.FromCountry,
		varToCountry:   in.ToCountry,
		varUserType:    string(in.UserType),
		varHasReferrer: in.HasReferrer,
		varWeekday:     int64(at.Weekday()),
		varHour:        int64(at.Hour()),
		varSentToday:   in.SentToday.Minor,
		varSentMonth:   in.SentMonth.Minor,
	}
	return e.vars
}

// matches reports whether r applies: every scope field set matches, At is
// in the validity window, the amount is in range, and the condition holds.
// The condition is evaluated last, only for rules that match otherwise.
func (e *evaluation) matches(r *compiled) (bool, error) {
	s, in := &r.Scope, e.in
	switch {
	case s.FromCountry != "" && s.FromCountry != in.FromCountry,
		s.ToCountry != "" && s.ToCountry != in.ToCountry,
		s.UserType != "" && s.UserType != in.UserType,
		s.FromCurrency != "" && s.FromCurrency != in.Amount.Currency.Code,
		s.ToCurrency != "" && s.ToCurrency != in.To.Code,
		!s.ValidFrom.IsZero() && in.At.Before(s.ValidFrom),
		!s.ValidUntil.IsZero() && !in.At.Before(s.ValidUntil),
		// A range requires FromCurrency, matched above, so major units of
		// the send currency compare like with like.
		!s.MinAmount.IsZero() && in.Amount.Decimal().Cmp(s.MinAmount) < 0,
		!s.MaxAmount.IsZero() && in.Amount.Decimal().Cmp(s.MaxAmount) > 0:
		return false, nil
	}
	if r.cond == nil {
		return true, nil
	}
	out, err := eval(e.ctx, &r.Rule, r.cond, e.variables())
	if err != nil {
		return false, err
	}
	b, ok := out.(bool)
	if !ok { // the type-check makes this unreachable; a wrong type is still the rule's fault
		return false, ruleFailed(&r.Rule, fmt.Errorf("condition gave %T, not bool", out))
	}
	return b, nil
}

// first returns the first rule of rs that matches: rs is in order of
// application, so that is the highest priority, lowest ID.
func (e *evaluation) first(rs []*compiled) (*compiled, error) {
	for _, r := range rs {
		ok, err := e.matches(r)
		if err != nil {
			return nil, err
		}
		if ok {
			return r, nil
		}
	}
	return nil, nil
}

// commission computes r's commission on the send amount: the formula, or
// the percentage and fixed fee (of the amount's tier, if r has tiers), then
// the caps.
func (e *evaluation) commission(r *compiled) (Applied, error) {
	send := e.in.Amount
	cur := send.Currency
	eff := &r.Effect
	a := applied(r)
	var c money.Amount
	if r.formula != nil {
		out, err := eval(e.ctx, &r.Rule, r.formula, e.variables())
		if err != nil {
			return Applied{}, err
		}
		minor, ok := out.(int64)
		if !ok { // unreachable after the type-check
			return Applied{}, ruleFailed(&r.Rule, fmt.Errorf("formula gave %T, not int", out))
		}
		if minor < 0 {
			return Applied{}, invalid(cambista.MsgRuleFormulaNeg.Msg("Name", r.Name, "ID", r.ID, "Version", r.Version, "Minor", minor))
		}
		c, a.Basis = money.New(minor, cur), BasisFormula
	} else {
		pct, fixed, field := eff.Percent, eff.Fixed, "effect.fixed"
		a.Basis = BasisPercent
		if len(eff.Tiers) > 0 {
			i := tierFor(eff.Tiers, send.Decimal())
			pct, fixed, field = eff.Tiers[i].Percent, eff.Tiers[i].Fixed, tierField(i+1, "fixed")
			a.Basis = BasisTier
		}
		p, err := money.MulDecimal(send, pct.Shift(-2))
		if err != nil {
			return Applied{}, moneyErr(err)
		}
		f, err := ruleAmount(r, field, fixed, cur)
		if err != nil {
			return Applied{}, err
		}
		// The fixed fee is exact, so adding it after rounding the
		// percentage still rounds the commission once.
		if c, err = p.Add(f); err != nil {
			return Applied{}, moneyErr(err)
		}
		a.Percent, a.Fixed = pct, f
	}
	if !eff.Min.IsZero() {
		lo, err := ruleAmount(r, "effect.min", eff.Min, cur)
		if err != nil {
			return Applied{}, err
		}
		if c.Minor < lo.Minor {
			c, a.Basis = lo, BasisMin
		}
	}
	if !eff.Max.IsZero() {
		hi, err := ruleAmount(r, "effect.max", eff.Max, cur)
		if err != nil {
			return Applied{}, err
		}
		if c.Minor > hi.Minor {
			c, a.Basis = hi, BasisMax
		}
	}
	a.Amount = c
	return a, nil
}

// tierFor returns the index of the first tier whose UpTo is at least amount;
// the last tier is open-ended (NewSet checked), so one always is.
func tierFor(tiers []Tier, amount decimal.Decimal) int {
	for i, t := range tiers {
		if t.UpTo.IsZero() || amount.Cmp(t.UpTo) <= 0 {
			return i
		}
	}
	return len(tiers) - 1
}

// limit refuses the quote if the send amount would take the user over r's
// daily or monthly total, and otherwise records what the tighter of the two
// leaves after this transfer.
func limit(r *compiled, in *Input) (Applied, error) {
	send := in.Amount
	a := applied(r)
	periods := []struct {
		basis Basis
		field string
		cap   decimal.Decimal
		sent  money.Amount
		msg   cambista.MessageDef
	}{
		{BasisDaily, "effect.daily", r.Effect.Daily, in.SentToday, cambista.MsgRuleLimitDaily},
		{BasisMonthly, "effect.monthly", r.Effect.Monthly, in.SentMonth, cambista.MsgRuleLimitMonthly},
	}
	for _, p := range periods {
		if p.cap.IsZero() {
			continue
		}
		lim, err := ruleAmount(r, p.field, p.cap, send.Currency)
		if err != nil {
			return Applied{}, err
		}
		left, err := lim.Sub(p.sent)
		if err != nil {
			return Applied{}, moneyErr(err)
		}
		if send.Minor > left.Minor {
			left.Minor = max(left.Minor, 0)
			return Applied{}, invalid(p.msg.Msg("Amount", send, "Limit", lim, "Left", left))
		}
		after, err := left.Sub(send)
		if err != nil {
			return Applied{}, moneyErr(err)
		}
		if a.Basis == "" || after.Minor < a.Amount.Minor {
			a.Amount, a.Basis, a.Limit = after, p.basis, lim
		}
	}
	return a, nil
}

// spreadDecimals is the precision of a rate after a spread: enough for any
// pair traded here, and a fixed number so that the same inputs always give
// the same stored rate.
const spreadDecimals = 12

// spreadRate returns base × (1 − percent/100), rounded half-even to
// spreadDecimals decimals.
func spreadRate(base money.Rate, percent decimal.Decimal) (money.Rate, error) {
	f := decimal.New(1, 0).Sub(percent.Shift(-2))
	return money.RateFromDecimal(base.Decimal().Mul(f).RoundBank(spreadDecimals))
}

// bonusCurrency finds the currency of a bonus: the send or payout currency,
// or one that in.Currencies knows.
func bonusCurrency(code string, in *Input) (money.Currency, bool) {
	switch {
	case code == in.Amount.Currency.Code:
		return in.Amount.Currency, true
	case code == in.To.Code:
		return in.To, true
	case in.Currencies != nil:
		c, ok := in.Currencies(code)
		return c, ok && c.Code == code && c.Validate() == nil
	}
	return money.Currency{}, false
}

// ruleAmount returns an amount of r exactly in c, or EINVALID naming the
// rule: NewSet cannot know c's exponent, so a rule saved without Validate
// may hold more decimals than c has.
func ruleAmount(r *compiled, field string, d decimal.Decimal, c money.Currency) (money.Amount, error) {
	a, ok := exact(d, c)
	if !ok {
		return money.Amount{}, invalid(cambista.MsgRuleBadAmount.Msg("Field", ruleField(r, field),
			"Currency", c.Code, "Exponent", c.Exponent, "Input", plain(d)))
	}
	return a, nil
}

func ruleField(r *compiled, field string) string {
	return fmt.Sprintf("%s (rule #%d v%d)", field, r.ID, r.Version)
}

func applied(r *compiled) Applied {
	return Applied{RuleID: r.ID, Version: r.Version, Name: r.Name, Kind: r.Kind}
}

// moneyErr maps an arithmetic failure: an amount too large for int64 minor
// units is the person's (EINVALID); anything else is ours.
func moneyErr(err error) error {
	if errors.Is(err, money.ErrOverflow) {
		return &cambista.Error{Code: cambista.EINVALID, Message: cambista.MsgAmountOverflow.Msg(), Err: err}
	}
	return cambista.Internal(err)
}

// NeedsHistory reports whether any rule reads what the user already sent
// (a limit, or a CEL expression that may use sent_today or sent_month), so
// a caller can skip summing it otherwise.
func (s *Set) NeedsHistory() bool {
	if len(s.byKind[Limit]) > 0 {
		return true
	}
	for _, rs := range s.byKind {
		for _, r := range rs {
			if r.cond != nil || r.formula != nil {
				return true
			}
		}
	}
	return false
}
