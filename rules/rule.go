package rules

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/cambista/cambista"
)

// Kind says what a rule decides.
type Kind string

const (
	Commission Kind = "commission"  // the fee the client pays, in the send currency
	AgentShare Kind = "agent_share" // the part of the commission paid to the client's referring agent
	Bonus      Kind = "bonus"       // an extra credited to the agent's or the client's account, in a given currency
	Spread     Kind = "spread"      // adjusts the rate: effective = base rate × (1 − percent/100)
	Limit      Kind = "limit"       // per-user daily and monthly send totals
)

// Valid reports whether k is one of the kinds above.
func (k Kind) Valid() bool {
	switch k {
	case Commission, AgentShare, Bonus, Spread, Limit:
		return true
	}
	return false
}

// Who a bonus is credited to.
const (
	ToAgent  = "agent"
	ToClient = "client"
)

// Rule is one version of a business rule. The store keeps its versions and
// status; a Set holds at most one version of each rule. Rules are stored as
// JSON, so every field round-trips through encoding/json.
type Rule struct {
	ID        int64  `json:"id"`
	Version   int    `json:"version"`
	Name      string `json:"name"`
	Priority  int    `json:"priority"` // higher first
	Scope     Scope  `json:"scope"`
	Kind      Kind   `json:"kind"`
	Effect    Effect `json:"effect"`
	Condition string `json:"condition,omitempty"` // optional CEL boolean expression; the rule applies only when it is true
}

// Scope says which quotes a rule may apply to. Every field left at its zero
// value matches anything.
type Scope struct {
	FromCountry  string            `json:"from_country,omitempty"`
	ToCountry    string            `json:"to_country,omitempty"`
	UserType     cambista.UserType `json:"user_type,omitempty"`
	FromCurrency string            `json:"from_currency,omitempty"`
	ToCurrency   string            `json:"to_currency,omitempty"`
	// Send amount range in major units of FromCurrency, both ends included;
	// zero = unbounded. Either one requires FromCurrency.
	MinAmount decimal.Decimal `json:"min_amount,omitzero"`
	MaxAmount decimal.Decimal `json:"max_amount,omitzero"`
	// Validity window; zero = unbounded. ValidUntil is excluded so that one
	// rule can end at the instant the next one starts.
	ValidFrom  time.Time `json:"valid_from,omitzero"`
	ValidUntil time.Time `json:"valid_until,omitzero"`
}

// Effect is what a rule produces. Which fields a kind uses is listed on each
// field; Validate refuses the others when set.
type Effect struct {
	// Commission: % of the send amount; AgentShare: % of the commission;
	// Spread: % of the rate.
	Percent decimal.Decimal `json:"percent,omitzero"`
	// Commission: fixed fee in major units of Scope.FromCurrency, added to
	// the percentage.
	Fixed decimal.Decimal `json:"fixed,omitzero"`
	// Commission caps in major units of Scope.FromCurrency; zero = none.
	Min decimal.Decimal `json:"min,omitzero"`
	Max decimal.Decimal `json:"max,omitzero"`
	// Commission by amount: the first tier whose UpTo >= the send amount
	// gives Percent and Fixed instead of the fields above. The last tier has
	// UpTo zero (no upper bound).
	Tiers []Tier `json:"tiers,omitempty"`
	// Commission: CEL expression giving int minor units of the send
	// currency, instead of Percent, Fixed and Tiers; the caps still apply.
	Formula string `json:"formula,omitempty"`
	// Bonus: Amount in major units of Currency, credited To "agent" or
	// "client".
	Amount   decimal.Decimal `json:"amount,omitzero"`
	Currency string          `json:"currency,omitempty"`
	To       string          `json:"to,omitempty"`
	// Limit: most a user may send per UTC day and per calendar month (UTC),
	// in major units of Scope.FromCurrency; zero = none.
	Daily   decimal.Decimal `json:"daily,omitzero"`
	Monthly decimal.Decimal `json:"monthly,omitzero"`
}

// Tier is one row of a commission table.
type Tier struct {
	UpTo    decimal.Decimal `json:"up_to,omitzero"` // major units of Scope.FromCurrency, included; zero = no upper bound
	Percent decimal.Decimal `json:"percent,omitzero"`
	Fixed   decimal.Decimal `json:"fixed,omitzero"`
}

// Replaces reports whether r takes old's place when it is published: a
// different rule of the same kind (and, for a bonus, paid to the same
// side) over exactly the same quotes (scope and condition). Of two such
// rules only one can be meant: of commissions, agent shares and spreads
// the first hides the other whatever its figure, and two bonuses or two
// limits would both apply where the operator changed one.
func (r Rule) Replaces(old Rule) bool {
	if r.ID != 0 && r.ID == old.ID {
		return false // a new version of the same rule replaces it anyway
	}
	if r.Kind != old.Kind || r.Condition != old.Condition || !r.Scope.Equal(old.Scope) {
		return false
	}
	return r.Kind != Bonus || r.Effect.To == old.Effect.To
}

// Equal reports whether s and o match the same quotes.
func (s Scope) Equal(o Scope) bool {
	return s.FromCountry == o.FromCountry && s.ToCountry == o.ToCountry && s.UserType == o.UserType &&
		s.FromCurrency == o.FromCurrency && s.ToCurrency == o.ToCurrency &&
		s.MinAmount.Equal(o.MinAmount) && s.MaxAmount.Equal(o.MaxAmount) &&
		s.ValidFrom.Equal(o.ValidFrom) && s.ValidUntil.Equal(o.ValidUntil)
}
