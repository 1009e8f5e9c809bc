package web

import (
	"maps"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/money"
	"github.com/cambista/cambista/rules"
)

// The rule editor's form: one set of fields per kind of rule, the scope as
// choices of what is configured, a commission's tiers as rows, CEL only in
// an "advanced" part. Figures are typed as the reader writes numbers
// ("2,5" in Spanish), and a refusal names the field by its label.

// The sentences only the form says.
var (
	MsgFormNumber = words.Text("panel_form_number", "{{.Field}}: {{printf \"%q\" .Input}} is not a number; write it as, for example, {{.Example}}.")
	MsgFormWhole  = words.Text("panel_form_whole", "{{.Field}}: {{printf \"%q\" .Input}} is not a whole number.")
	MsgFormDate   = words.Text("panel_form_date", "{{.Field}}: {{printf \"%q\" .Input}} is not a date; write it as, for example, 2025-03-01 or 2025-03-01T08:30 (UTC).")
	MsgTierLabel  = words.Text("panel_tier_label", "Tier {{.N}}, {{.Field}}")
)

// The form's labels, added to the panel's catalog.
func init() {
	maps.Copy(labels, define(map[string]string{
		"rules.f.scope":               "Which sends it applies to",
		"rules.f.effect":              "What it does",
		"rules.f.any":                 "Any",
		"rules.f.from_currency":       "Send currency",
		"rules.f.to_currency":         "Payout currency",
		"rules.f.min_amount":          "Amount from",
		"rules.f.max_amount":          "Amount up to",
		"rules.f.valid_from":          "Valid from (UTC)",
		"rules.f.valid_until":         "Valid until (UTC, excluded)",
		"rules.f.scope_help":          "An empty choice matches every send. Amounts are in the send currency, both ends included.",
		"rules.f.percent.commission":  "Percentage of the amount",
		"rules.f.percent.agent_share": "Percentage of the commission",
		"rules.f.percent.spread":      "Spread on the rate (%)",
		"rules.f.fixed":               "Fixed fee",
		"rules.f.min":                 "Minimum",
		"rules.f.max":                 "Maximum",
		"rules.f.tiers":               "Or by amount, in tiers",
		"rules.f.up_to":               "Up to",
		"rules.f.add_tier":            "Add a tier",
		"rules.f.remove_tier":         "Remove",
		"rules.f.tiers_help":          "The first tier whose \"up to\" reaches the amount applies. Leave \"up to\" empty on the last tier (no upper bound); empty rows are left out. Use either the percentage and fee above or the tiers.",
		"rules.f.commission_help":     "Fixed fee, minimum, maximum and the tiers' bounds are amounts of the send currency.",
		"rules.f.agent_share_help":    "Part of the commission paid to the client's referring agent.",
		"rules.f.spread_help":         "Rate the client gets = base rate × (1 − spread/100). Negative gives a better rate.",
		"rules.f.amount":              "Amount",
		"rules.f.currency":            "Currency",
		"rules.f.to":                  "Paid to",
		"rules.f.bonus_help":          "Credited when the transfer completes; a bonus to the agent only when the client has one.",
		"rules.f.daily":               "Daily limit",
		"rules.f.monthly":             "Monthly limit",
		"rules.f.limit_help":          "Most one user may send per UTC day and per month, commission included, in the send currency (which a limit needs).",
		"rules.f.advanced":            "Advanced: CEL expressions",
		"rules.f.formula":             "Commission formula (CEL, minor units, instead of percentage and tiers)",
		"rules.f.advanced_help":       "For what the fields above cannot say. See the rules guide for the variables.",
		"rules.f.kind_help":           "Changing the kind keeps the name, priority and scope.",
		"rules.f.priority_help":       "Higher wins among rules of the same kind.",
	}))
}

// ruleForm is a rule as its form shows it: figures as the reader writes
// them, the scope's choices by code, the tiers as rows.
type ruleForm struct {
	ID             int64
	Kind           rules.Kind
	Name, Priority string

	FromCountry, ToCountry, UserType, FromCurrency, ToCurrency string
	MinAmount, MaxAmount, ValidFrom, ValidUntil                string

	Percent, Fixed, Min, Max string // commission; Percent also agent share and spread
	Tiers                    []tierRow
	Formula                  string
	Amount, Currency, To     string // bonus
	Daily, Monthly           string // limit
	Condition                string
	Extra                    int // empty tier rows asked for beyond the usual ones
}

// tierRow is one row of a commission's table.
type tierRow struct{ UpTo, Percent, Fixed string }

func (t tierRow) blank() bool { return t.UpTo == "" && t.Percent == "" && t.Fixed == "" }

// blankTiers is how many empty rows the table offers to fill.
const blankTiers = 2

// shownTier is a row of the table as shown, numbered from 1.
type shownTier struct {
	N int
	tierRow
}

// Rows is the table as shown: the tiers, then empty rows to add more.
func (f ruleForm) Rows() []shownTier {
	rows := make([]shownTier, len(f.Tiers)+blankTiers+f.Extra)
	for i := range rows {
		rows[i].N = i + 1
		if i < len(f.Tiers) {
			rows[i].tierRow = f.Tiers[i]
		}
	}
	return rows
}

// maxExtraRows bounds the empty tier rows one can ask for.
const maxExtraRows = 20

// Advanced reports whether the CEL part should show open.
func (f ruleForm) Advanced() bool { return f.Condition != "" || f.Formula != "" }

// newRuleForm is the form of a new rule of kind k.
func newRuleForm(k rules.Kind) ruleForm {
	if !k.Valid() {
		k = rules.Commission
	}
	return ruleForm{Kind: k, Priority: "0"}
}

// readRuleForm reads the form as posted (or as sent back), trimmed; empty
// tier rows are left out, so rows are counted as the reader sees them once
// the form comes back.
func readRuleForm(v url.Values) ruleForm {
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	f := ruleForm{Kind: rules.Kind(get("kind")), Name: get("name"), Priority: get("priority"),
		FromCountry: get("from_country"), ToCountry: get("to_country"), UserType: get("user_type"),
		FromCurrency: get("from_currency"), ToCurrency: get("to_currency"),
		MinAmount: get("min_amount"), MaxAmount: get("max_amount"), ValidFrom: get("valid_from"), ValidUntil: get("valid_until"),
		Percent: get("percent"), Fixed: get("fixed"), Min: get("min"), Max: get("max"), Formula: get("formula"),
		Amount: get("amount"), Currency: get("currency"), To: get("to"), Daily: get("daily"), Monthly: get("monthly"),
		Condition: get("condition")}
	f.ID, _ = strconv.ParseInt(get("id"), 10, 64)
	if n, err := strconv.Atoi(get("extra_rows")); err == nil && n > 0 {
		f.Extra = min(n, maxExtraRows)
	}
	upTo, pct, fixed := v["tier_up_to"], v["tier_percent"], v["tier_fixed"]
	for i := range max(len(upTo), len(pct), len(fixed)) {
		at := func(s []string) string {
			if i < len(s) {
				return strings.TrimSpace(s[i])
			}
			return ""
		}
		if t := (tierRow{at(upTo), at(pct), at(fixed)}); !t.blank() {
			f.Tiers = append(f.Tiers, t)
		}
	}
	return f
}

// values is the form as fields, to send it back to the page.
func (f ruleForm) values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("kind", string(f.Kind))
	set("name", f.Name)
	set("priority", f.Priority)
	set("from_country", f.FromCountry)
	set("to_country", f.ToCountry)
	set("user_type", f.UserType)
	set("from_currency", f.FromCurrency)
	set("to_currency", f.ToCurrency)
	set("min_amount", f.MinAmount)
	set("max_amount", f.MaxAmount)
	set("valid_from", f.ValidFrom)
	set("valid_until", f.ValidUntil)
	set("percent", f.Percent)
	set("fixed", f.Fixed)
	set("min", f.Min)
	set("max", f.Max)
	set("formula", f.Formula)
	set("amount", f.Amount)
	set("currency", f.Currency)
	set("to", f.To)
	set("daily", f.Daily)
	set("monthly", f.Monthly)
	set("condition", f.Condition)
	for _, t := range f.Tiers {
		v.Add("tier_up_to", t.UpTo)
		v.Add("tier_percent", t.Percent)
		v.Add("tier_fixed", t.Fixed)
	}
	if f.ID != 0 {
		v.Set("id", strconv.FormatInt(f.ID, 10))
	}
	if f.Extra != 0 {
		v.Set("extra_rows", strconv.Itoa(f.Extra))
	}
	return v
}

// ruleFormOf is the form of a stored rule, its figures as the reader
// writes them.
func ruleFormOf(lang i18n.Lang, id int64, rl rules.Rule) ruleForm {
	num := func(d decimal.Decimal) string {
		if d.IsZero() {
			return ""
		}
		return i18n.Number(lang, d.String())
	}
	s, e := rl.Scope, rl.Effect
	f := ruleForm{ID: id, Kind: rl.Kind, Name: rl.Name, Priority: strconv.Itoa(rl.Priority),
		FromCountry: s.FromCountry, ToCountry: s.ToCountry, UserType: string(s.UserType),
		FromCurrency: s.FromCurrency, ToCurrency: s.ToCurrency, MinAmount: num(s.MinAmount), MaxAmount: num(s.MaxAmount),
		ValidFrom: formTime(s.ValidFrom), ValidUntil: formTime(s.ValidUntil),
		Percent: num(e.Percent), Fixed: num(e.Fixed), Min: num(e.Min), Max: num(e.Max), Formula: e.Formula,
		Amount: num(e.Amount), Currency: e.Currency, To: e.To, Daily: num(e.Daily), Monthly: num(e.Monthly),
		Condition: rl.Condition}
	for _, t := range e.Tiers {
		f.Tiers = append(f.Tiers, tierRow{UpTo: num(t.UpTo), Percent: num(t.Percent), Fixed: num(t.Fixed)})
	}
	return f
}

// The layouts of a datetime-local input, which the form's times use (in
// UTC); a plain date is read as its midnight.
const (
	formMinute = "2006-01-02T15:04"
	formSecond = "2006-01-02T15:04:05"
)

func formTime(t time.Time) string {
	switch {
	case t.IsZero():
		return ""
	case t.Second() != 0 || t.Nanosecond() != 0:
		return t.UTC().Format(formSecond)
	}
	return t.UTC().Format(formMinute)
}

// fieldRefusal is a refusal of one input of the form: its name (for a
// tier, "tier_up_to.2") and the message, which names it by its label.
type fieldRefusal struct {
	Input string
	Msg   cambista.Message
}

// rule reads the form into a rule. The figures' ranges, the tiers' order
// and the rest are rules.Validate's to check; here only what does not read
// as a number, a whole number or a time is refused, naming the field.
func (f ruleForm) rule(lang i18n.Lang) (rules.Rule, *fieldRefusal) {
	rl := rules.Rule{ID: f.ID, Name: f.Name, Kind: f.Kind, Condition: f.Condition}
	var bad *fieldRefusal
	// Each reader below records the first field that does not read.
	number := func(path, s string, d *decimal.Decimal) {
		if bad != nil || s == "" {
			return
		}
		n, ok := parseNumber(lang, s)
		if !ok {
			bad = fieldError(lang, f.Kind, path, MsgFormNumber.Msg("Field", path, "Input", s, "Example", decimal.RequireFromString("1234.5")))
			return
		}
		*d = n
	}
	when := func(path, s string, t *time.Time) {
		if bad != nil || s == "" {
			return
		}
		for _, layout := range []string{formMinute, formSecond, dateLayout} {
			if v, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
				*t = v
				return
			}
		}
		bad = fieldError(lang, f.Kind, path, MsgFormDate.Msg("Field", path, "Input", s))
	}
	if f.Priority != "" {
		p, err := strconv.Atoi(f.Priority)
		if err != nil {
			return rl, fieldError(lang, f.Kind, "priority", MsgFormWhole.Msg("Field", "priority", "Input", f.Priority))
		}
		rl.Priority = p
	}
	s := &rl.Scope
	s.FromCountry, s.ToCountry, s.UserType = f.FromCountry, f.ToCountry, cambista.UserType(f.UserType)
	s.FromCurrency, s.ToCurrency = f.FromCurrency, f.ToCurrency
	number("scope.min_amount", f.MinAmount, &s.MinAmount)
	number("scope.max_amount", f.MaxAmount, &s.MaxAmount)
	when("scope.valid_from", f.ValidFrom, &s.ValidFrom)
	when("scope.valid_until", f.ValidUntil, &s.ValidUntil)
	// Only the fields of the rule's kind are read: the others are not on
	// the form it shows.
	e := &rl.Effect
	switch f.Kind {
	case rules.Commission:
		number("effect.percent", f.Percent, &e.Percent)
		number("effect.fixed", f.Fixed, &e.Fixed)
		number("effect.min", f.Min, &e.Min)
		number("effect.max", f.Max, &e.Max)
		e.Formula = f.Formula
		for i, t := range f.Tiers {
			var tier rules.Tier
			n := strconv.Itoa(i + 1)
			number("effect.tiers["+n+"].up_to", t.UpTo, &tier.UpTo)
			number("effect.tiers["+n+"].percent", t.Percent, &tier.Percent)
			number("effect.tiers["+n+"].fixed", t.Fixed, &tier.Fixed)
			e.Tiers = append(e.Tiers, tier)
		}
	case rules.AgentShare, rules.Spread:
		number("effect.percent", f.Percent, &e.Percent)
	case rules.Bonus:
		number("effect.amount", f.Amount, &e.Amount)
		e.Currency, e.To = f.Currency, f.To
	case rules.Limit:
		number("effect.daily", f.Daily, &e.Daily)
		number("effect.monthly", f.Monthly, &e.Monthly)
	}
	return rl, bad
}

// numberUnits reads a typed figure as an amount with the most decimals
// money allows, so that it follows the reader's conventions ("2,5" and
// "1.000" in Spanish); rules.Validate then checks it against its field.
var numberUnits = money.Currency{Code: "NUM", Exponent: money.MaxExponent}

// parseNumber reads a figure as the reader of lang writes it; a trailing
// "%" is allowed, as people write percentages so.
func parseNumber(lang i18n.Lang, s string) (decimal.Decimal, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	loc := money.LocaleEN
	if lang == i18n.ES {
		loc = money.LocaleES
	}
	a, err := money.Parse(s, numberUnits, money.ParseOptions{Locale: loc, AllowZero: true, AllowNegative: true})
	if err != nil {
		return decimal.Decimal{}, false
	}
	return a.Decimal(), true
}

// A rule field as rules names it in its messages: scope.min_amount,
// effect.tiers[2].up_to.
var tierPath = regexp.MustCompile(`^effect\.tiers\[(\d+)\]\.(up_to|percent|fixed)$`)

// formInputs maps the fields of a rule to the form's inputs, whose labels
// are "rules.f." + the input's name unless labelKeys says otherwise.
var formInputs = map[string]string{
	"name": "name", "priority": "priority", "condition": "condition",
	"scope.from_country": "from_country", "scope.to_country": "to_country", "scope.user_type": "user_type",
	"scope.from_currency": "from_currency", "scope.to_currency": "to_currency",
	"scope.min_amount": "min_amount", "scope.max_amount": "max_amount",
	"scope.valid_from": "valid_from", "scope.valid_until": "valid_until",
	"effect.percent": "percent", "effect.fixed": "fixed", "effect.min": "min", "effect.max": "max",
	"effect.formula": "formula", "effect.amount": "amount", "effect.currency": "currency", "effect.to": "to",
	"effect.daily": "daily", "effect.monthly": "monthly",
}

var labelKeys = map[string]string{
	"name": "rules.name", "priority": "rules.priority", "condition": "rules.condition",
	"from_country": "rules.from_country", "to_country": "rules.to_country", "user_type": "rules.user_type",
}

// input returns the form's input for a rule field and its label in lang;
// ok is false for what is no field of the form.
func input(lang i18n.Lang, k rules.Kind, path string) (name, lbl string, ok bool) {
	if m := tierPath.FindStringSubmatch(path); m != nil {
		n, _ := strconv.Atoi(m[1])
		col := map[string]string{"up_to": "rules.f.up_to", "percent": "rules.f.percent.commission", "fixed": "rules.f.fixed"}[m[2]]
		return "tier_" + m[2] + "." + m[1], i18n.T(lang, MsgTierLabel.Msg("N", n, "Field", label(lang, col))), true
	}
	name, ok = formInputs[path]
	if !ok {
		return "", "", false
	}
	key := labelKeys[name]
	switch {
	case key != "":
	case name == "percent":
		key = "rules.f.percent." + string(k)
	default:
		key = "rules.f." + name
	}
	return name, label(lang, key), true
}

// fieldError builds a refusal of the field at path with m, in which every
// rule field named is given its label.
func fieldError(lang i18n.Lang, k rules.Kind, path string, m cambista.Message) *fieldRefusal {
	name, _, _ := input(lang, k, path)
	return &fieldRefusal{Input: name, Msg: relabel(lang, k, m)}
}

// relabel gives every rule field m names (scope.min_amount) its label on
// the form ("Amount from"), so that a message of rules.Validate speaks of
// what the reader sees. Fields are named by the data Field, Other and
// Need; the rest (what was typed) is left as it is.
func relabel(lang i18n.Lang, k rules.Kind, m cambista.Message) cambista.Message {
	data := make(map[string]any, len(m.Data))
	for key, v := range m.Data {
		if s, ok := v.(string); ok && (key == "Field" || key == "Other" || key == "Need") {
			if _, lbl, ok := input(lang, k, s); ok {
				v = lbl
			}
		}
		data[key] = v
	}
	m.Data = data
	return m
}

// ruleRefusal is why saving the rule failed, as the form shows it: the
// message with the fields by their labels, and the input it is about
// ("" when it is about the whole rule, or not about the rule). bad is the
// form's own refusal, when it had one.
func ruleRefusal(lang i18n.Lang, k rules.Kind, err error, bad *fieldRefusal) (cambista.Message, string) {
	if bad != nil {
		return bad.Msg, bad.Input
	}
	m := cambista.ErrorMessage(err)
	if cambista.ErrorCode(err) != cambista.EINVALID {
		return m, ""
	}
	field, _ := m.Data["Field"].(string)
	if m.ID == cambista.MsgRuleBadName.ID {
		field = "name"
	}
	name, _, _ := input(lang, k, field)
	return relabel(lang, k, m), name
}
