package rules

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/cambista/cambista"
)

func TestValidate(t *testing.T) {
	usdScope := Scope{FromCurrency: "USD"}
	ok := []struct {
		name string
		rule Rule
	}{
		{"Commission", Rule{Name: "c", Kind: Commission, Effect: Effect{Percent: dec("3")}}},
		{"CommissionZero", Rule{Name: "Free", Kind: Commission}},
		{"CommissionHundred", Rule{Name: "c", Kind: Commission, Effect: Effect{Percent: dec("100")}}},
		{"CommissionFull", Rule{Name: "c", Kind: Commission, Scope: Scope{
			FromCountry: "CO", ToCountry: "VE", UserType: cambista.UserTypeAgent, FromCurrency: "USD", ToCurrency: "VES",
			MinAmount: dec("10"), MaxAmount: dec("10"), ValidFrom: monday, ValidUntil: monday.Add(time.Second)},
			Effect: Effect{Percent: dec("2.125"), Fixed: dec("1.50"), Min: dec("2"), Max: dec("2.00")}}},
		{"Tiers", Rule{Name: "t", Kind: Commission, Scope: usdScope, Effect: Effect{Tiers: []Tier{
			{UpTo: dec("100"), Percent: dec("5")}, {UpTo: dec("100.01"), Fixed: dec("1")}, {Percent: dec("2")}}}}},
		{"OneOpenTier", Rule{Name: "t", Kind: Commission, Effect: Effect{Tiers: []Tier{{Percent: dec("2")}}}}},
		{"Formula", Rule{Name: "f", Kind: Commission, Scope: usdScope, Effect: Effect{Formula: "amount / 100 + 50", Min: dec("1")}}},
		{"CLPWhole", Rule{Name: "c", Kind: Commission, Scope: Scope{FromCurrency: "CLP"}, Effect: Effect{Fixed: dec("500")}}},
		{"USDTSixDecimals", Rule{Name: "c", Kind: Commission, Scope: Scope{FromCurrency: "USDT"}, Effect: Effect{Fixed: dec("0.000001")}}},
		{"AgentShare", Rule{Name: "a", Kind: AgentShare, Effect: Effect{Percent: dec("33.34")}}},
		{"SpreadNegative", Rule{Name: "s", Kind: Spread, Effect: Effect{Percent: dec("-50")}}},
		{"SpreadPositive", Rule{Name: "s", Kind: Spread, Effect: Effect{Percent: dec("50")}}},
		{"Bonus", Rule{Name: "b", Kind: Bonus, Effect: Effect{Amount: dec("5.5"), Currency: "USDT", To: ToAgent}}},
		{"LimitDaily", Rule{Name: "l", Kind: Limit, Scope: usdScope, Effect: Effect{Daily: dec("1000")}}},
		{"LimitMonthly", Rule{Name: "l", Kind: Limit, Scope: usdScope, Effect: Effect{Monthly: dec("5000")}}},
		{"Condition", Rule{Name: "c", Kind: Bonus, Condition: `from_country == "CO" && amount > 10000`,
			Effect: Effect{Amount: dec("1"), Currency: "USD", To: ToClient}}},
		{"OnlyValidFrom", Rule{Name: "c", Kind: Commission, Scope: Scope{ValidFrom: monday}}},
	}
	for _, tt := range ok {
		t.Run("OK"+tt.name, func(t *testing.T) {
			if err := Validate(tt.rule, currencies); err != nil {
				t.Fatal(err)
			}
			if _, err := NewSet([]Rule{tt.rule}); err != nil {
				t.Fatalf("NewSet: %v", err)
			}
		})
	}

	commission := func(e Effect) Rule { return Rule{Name: "c", Kind: Commission, Scope: usdScope, Effect: e} }
	scoped := func(s Scope) Rule { return Rule{Name: "c", Kind: Commission, Scope: s} }
	bonus := func(e Effect) Rule { return Rule{Name: "b", Kind: Bonus, Effect: e} }
	tiers := func(ts ...Tier) Rule { return commission(Effect{Tiers: ts}) }
	errs := []struct {
		name  string
		rule  Rule
		msgID string
		// structural: NewSet refuses it too (it needs no currency definitions).
		structural bool
	}{
		{"ErrKind", Rule{Name: "x", Kind: "discount"}, "rules_bad_kind", true},
		{"ErrKindEmpty", Rule{Name: "x"}, "rules_bad_kind", true},
		{"ErrName", Rule{Name: "  ", Kind: Commission}, "rules_bad_name", true},
		{"ErrNameLong", Rule{Name: strings.Repeat("é", 81), Kind: Commission}, "rules_bad_name", true},
		{"ErrCommissionAbove100", commission(Effect{Percent: dec("100.01")}), "rules_bad_percent", true},
		{"ErrCommissionNegative", commission(Effect{Percent: dec("-1")}), "rules_bad_percent", true},
		{"ErrPercentDecimals", commission(Effect{Percent: dec("1.0000001")}), "rules_bad_percent", true},
		{"ErrAgentShareAbove100", Rule{Name: "a", Kind: AgentShare, Effect: Effect{Percent: dec("101")}}, "rules_bad_percent", true},
		{"ErrSpreadAbove50", Rule{Name: "s", Kind: Spread, Effect: Effect{Percent: dec("50.5")}}, "rules_bad_percent", true},
		{"ErrSpreadBelow50", Rule{Name: "s", Kind: Spread, Effect: Effect{Percent: dec("-51")}}, "rules_bad_percent", true},
		{"ErrFixedNegative", commission(Effect{Fixed: dec("-1")}), "rules_bad_amount", true},
		{"ErrFixedDecimals", commission(Effect{Fixed: dec("0.001")}), "rules_bad_amount", false},
		{"ErrCLPDecimals", Rule{Name: "c", Kind: Commission, Scope: Scope{FromCurrency: "CLP"}, Effect: Effect{Min: dec("0.5")}}, "rules_bad_amount", false},
		{"ErrFixedHuge", commission(Effect{Fixed: dec("1e30")}), "rules_bad_amount", true},
		// A hostile exponent is refused on digit counts, without building 10^1000000000.
		{"ErrHostileExponent", commission(Effect{Fixed: decimal.New(1, 1_000_000_000)}), "rules_bad_amount", true},
		{"ErrHostilePercent", commission(Effect{Percent: decimal.New(1, -1_000_000_000)}), "rules_bad_percent", true},
		{"ErrHostileJSON", commission(Effect{Min: dec("1e-10000")}), "rules_bad_amount", true},
		{"ErrFixedNeedsCurrency", Rule{Name: "c", Kind: Commission, Effect: Effect{Fixed: dec("1")}}, "rules_needs_currency", true},
		{"ErrCapNeedsCurrency", Rule{Name: "c", Kind: Commission, Effect: Effect{Percent: dec("1"), Max: dec("9")}}, "rules_needs_currency", true},
		{"ErrRangeNeedsCurrency", scoped(Scope{MinAmount: dec("100")}), "rules_needs_currency", true},
		{"ErrTierNeedsCurrency", Rule{Name: "t", Kind: Commission, Effect: Effect{Tiers: []Tier{{UpTo: dec("5")}, {}}}}, "rules_needs_currency", true},
		{"ErrLimitNeedsCurrency", Rule{Name: "l", Kind: Limit, Effect: Effect{Daily: dec("5")}}, "rules_needs_currency", true},
		{"ErrMinOverMax", commission(Effect{Percent: dec("1"), Min: dec("5"), Max: dec("4.99")}), "rules_min_over_max", true},
		{"ErrRangeMinOverMax", scoped(Scope{FromCurrency: "USD", MinAmount: dec("500"), MaxAmount: dec("100")}), "rules_min_over_max", true},
		{"ErrRangeNegative", scoped(Scope{FromCurrency: "USD", MinAmount: dec("-5")}), "rules_bad_amount", true},
		{"ErrTiersDescending", tiers(Tier{UpTo: dec("100")}, Tier{UpTo: dec("50")}, Tier{}), "rules_tier_order", true},
		{"ErrTiersEqual", tiers(Tier{UpTo: dec("100")}, Tier{UpTo: dec("100.00")}, Tier{}), "rules_tier_order", true},
		{"ErrTiersNotOpen", tiers(Tier{UpTo: dec("100")}, Tier{UpTo: dec("200")}), "rules_tier_last", true},
		{"ErrTiersOpenFirst", tiers(Tier{}, Tier{UpTo: dec("200")}), "rules_tier_last", true},
		{"ErrTierPercent", tiers(Tier{UpTo: dec("100"), Percent: dec("150")}, Tier{}), "rules_bad_percent", true},
		{"ErrMixedPercentTiers", commission(Effect{Percent: dec("1"), Tiers: []Tier{{}}}), "rules_commission_mixed", true},
		{"ErrMixedFormula", commission(Effect{Fixed: dec("1"), Formula: "amount"}), "rules_commission_mixed", true},
		{"ErrUnusedAmount", commission(Effect{Percent: dec("1"), Amount: dec("1")}), "rules_unused_field", true},
		{"ErrUnusedPercentOnBonus", bonus(Effect{Percent: dec("1"), Amount: dec("1"), Currency: "USD", To: ToAgent}), "rules_unused_field", true},
		{"ErrUnusedFormulaOnSpread", Rule{Name: "s", Kind: Spread, Effect: Effect{Formula: "1"}}, "rules_unused_field", true},
		{"ErrUnusedDailyOnCommission", commission(Effect{Daily: dec("1")}), "rules_unused_field", true},
		{"ErrBonusCurrencyMissing", bonus(Effect{Amount: dec("1"), To: ToAgent}), "rules_bonus_currency", true},
		{"ErrBonusCurrencyUnknown", bonus(Effect{Amount: dec("1"), Currency: "EUR", To: ToAgent}), "rules_unknown_currency", false},
		{"ErrBonusCurrencyShape", bonus(Effect{Amount: dec("1"), Currency: "usd", To: ToAgent}), "bad_currency", true},
		{"ErrBonusTo", bonus(Effect{Amount: dec("1"), Currency: "USD", To: "cashier"}), "rules_bonus_to", true},
		{"ErrBonusZero", bonus(Effect{Currency: "USD", To: ToClient}), "rules_bonus_amount", true},
		{"ErrBonusNegative", bonus(Effect{Amount: dec("-1"), Currency: "USD", To: ToClient}), "rules_bonus_amount", true},
		{"ErrBonusDecimals", bonus(Effect{Amount: dec("1.5"), Currency: "CLP", To: ToClient}), "rules_bad_amount", false},
		{"ErrLimitEmpty", Rule{Name: "l", Kind: Limit, Scope: usdScope}, "rules_limit_empty", true},
		{"ErrLimitNegative", Rule{Name: "l", Kind: Limit, Scope: usdScope, Effect: Effect{Daily: dec("-1")}}, "rules_bad_amount", true},
		{"ErrValidity", scoped(Scope{ValidFrom: monday, ValidUntil: monday}), "rules_validity", true},
		{"ErrValidityReversed", scoped(Scope{ValidFrom: monday, ValidUntil: monday.Add(-time.Hour)}), "rules_validity", true},
		{"ErrCountry", scoped(Scope{FromCountry: "co"}), "bad_country", true},
		{"ErrToCountry", scoped(Scope{ToCountry: "VEN"}), "bad_country", true},
		{"ErrUserType", scoped(Scope{UserType: "cashier"}), "bad_user_type", true},
		{"ErrCurrencyShape", scoped(Scope{ToCurrency: "V"}), "bad_currency", true},
		{"ErrCurrencyUnknown", scoped(Scope{FromCurrency: "EUR"}), "rules_unknown_currency", false},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.rule, currencies)
			e := wantErr(t, err, cambista.EINVALID, tt.msgID)
			if strings.Contains(e.Message.String(), "<no value>") {
				t.Errorf("message lacks data: %s", e.Message)
			}
			_, err = NewSet([]Rule{tt.rule})
			if tt.structural {
				wantErr(t, err, cambista.EINVALID, tt.msgID)
			} else if err != nil {
				t.Errorf("NewSet: %v; want it to leave currency checks to Validate and Quote", err)
			}
		})
	}
	t.Run("ErrNoLookup", func(t *testing.T) {
		// Without currency definitions no currency is known.
		err := Validate(Rule{Name: "c", Kind: Commission, Scope: usdScope}, nil)
		wantErr(t, err, cambista.EINVALID, "rules_unknown_currency")
	})
}

func TestValidateCEL(t *testing.T) {
	tests := []struct {
		name      string
		condition string
		formula   string
		msgID     string
		field     string
		inMessage string // part of the rendered message
	}{
		{"ErrSyntax", "amount >", "", "rules_cel_error", "condition", "Syntax error"},
		{"ErrUndeclared", "foo == 1", "", "rules_cel_error", "condition", "undeclared reference to 'foo'"},
		{"ErrNoOverload", "", "amount * 0.01", "rules_cel_error", "effect.formula", "no matching overload"},
		{"ErrConditionInt", "amount", "", "rules_cel_type_bool", "condition", "(bool); this expression gives int"},
		{"ErrConditionString", `from_country + "x"`, "", "rules_cel_type_bool", "condition", "this expression gives string"},
		{"ErrFormulaDouble", "", "double(amount) * 0.01", "rules_cel_type_int", "effect.formula", "(int); this expression gives double"},
		{"ErrFormulaString", "", `amount_major`, "rules_cel_type_int", "effect.formula", "this expression gives string"},
		{"ErrFormulaBool", "", `amount > 5`, "rules_cel_type_int", "effect.formula", "this expression gives bool"},
		{"ErrFormulaDyn", "", `[1, "a"][0]`, "rules_cel_type_int", "effect.formula", "this expression gives dyn"},
		{"ErrTooLong", strings.Repeat("true && ", 300) + "true", "", "rules_cel_too_long", "condition", "at most 2000 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Rule{Name: "c", Kind: Commission, Condition: tt.condition, Effect: Effect{Formula: tt.formula}}
			e := wantErr(t, Validate(r, currencies), cambista.EINVALID, tt.msgID)
			if e.Message.Data["Field"] != tt.field {
				t.Errorf("Field = %v, want %s", e.Message.Data["Field"], tt.field)
			}
			if msg := e.Message.String(); !strings.Contains(msg, tt.inMessage) {
				t.Errorf("message %q does not say %q", msg, tt.inMessage)
			}
			_, err := NewSet([]Rule{r})
			wantErr(t, err, cambista.EINVALID, tt.msgID)
		})
	}
}

func TestRuleJSON(t *testing.T) {
	full := Rule{
		ID: 42, Version: 3, Name: "Everything «ñ»", Priority: -7, Kind: Commission,
		Condition: `from_country == "CO" && amount > 10000`,
		Scope: Scope{FromCountry: "CO", ToCountry: "VE", UserType: cambista.UserTypeAgent,
			FromCurrency: "USD", ToCurrency: "VES", MinAmount: dec("10.50"), MaxAmount: dec("99999.99"),
			ValidFrom: monday, ValidUntil: monday.Add(48 * time.Hour)},
		Effect: Effect{Tiers: []Tier{{UpTo: dec("100"), Percent: dec("2.5"), Fixed: dec("0.99")}, {Percent: dec("1.125")}},
			Min: dec("1"), Max: dec("25.00")},
	}
	others := []Rule{
		{ID: 1, Name: "Bonus", Kind: Bonus, Effect: Effect{Amount: dec("0.000001"), Currency: "USDT", To: ToAgent}},
		{ID: 2, Name: "Limit", Kind: Limit, Scope: Scope{FromCurrency: "USD"}, Effect: Effect{Daily: dec("1000"), Monthly: dec("5000")}},
		{ID: 3, Name: "Spread", Kind: Spread, Effect: Effect{Percent: dec("-1.5")}},
		{ID: 4, Name: "Formula", Kind: Commission, Effect: Effect{Formula: "(amount + 50) / 100"}},
	}
	for _, r := range append([]Rule{full}, others...) {
		t.Run(r.Name, func(t *testing.T) {
			if err := Validate(r, currencies); err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			var back Rule
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if !sameRule(r, back) {
				t.Errorf("round trip:\n got %+v\nwant %+v\nJSON %s", back, r, b)
			}
			b2, _ := json.Marshal(back)
			if string(b) != string(b2) {
				t.Errorf("JSON changed:\n%s\n%s", b, b2)
			}
		})
	}
	t.Run("Stored", func(t *testing.T) {
		// The shape stored and documented in doc.go: zero fields left out.
		b, _ := json.Marshal(Rule{ID: 1, Version: 2, Name: "Standard", Priority: 10, Kind: Commission,
			Scope: Scope{FromCurrency: "USD"}, Effect: Effect{Percent: dec("3")}})
		want := `{"id":1,"version":2,"name":"Standard","priority":10,"scope":{"from_currency":"USD"},"kind":"commission","effect":{"percent":"3"}}`
		if string(b) != want {
			t.Errorf("JSON = %s\nwant %s", b, want)
		}
	})
	t.Run("DocExamples", func(t *testing.T) {
		// Examples from doc.go, which docs/rules.md links to.
		for _, src := range []string{
			`{"id": 2, "version": 1, "name": "Large USD→VES", "priority": 20, "kind": "commission",
			 "scope": {"from_currency": "USD", "to_currency": "VES", "min_amount": "1000"},
			 "effect": {"percent": "2", "fixed": "1.00", "max": "50.00"}}`,
			`{"id": 3, "version": 1, "name": "COP tiers", "priority": 10, "kind": "commission",
			 "scope": {"from_currency": "COP"},
			 "effect": {"tiers": [{"up_to": "500000", "percent": "4"},
			                      {"up_to": "2000000", "percent": "3", "fixed": "2000"},
			                      {"percent": "2"}]}}`,
			`{"id": 4, "version": 1, "name": "Agent third", "priority": 0, "kind": "agent_share",
			 "effect": {"percent": "33.34"}}`,
			`{"id": 5, "version": 1, "name": "March promo", "priority": 0, "kind": "bonus",
			 "scope": {"to_country": "VE", "valid_from": "2025-03-01T00:00:00Z", "valid_until": "2025-04-01T00:00:00Z"},
			 "effect": {"amount": "5", "currency": "USDT", "to": "agent"}}`,
			`{"id": 6, "version": 1, "name": "VES spread", "priority": 0, "kind": "spread",
			 "scope": {"to_currency": "VES"},
			 "effect": {"percent": "1.5"}}`,
			`{"id": 7, "version": 1, "name": "Client USD limits", "priority": 0, "kind": "limit",
			 "scope": {"user_type": "client", "from_currency": "USD"},
			 "effect": {"daily": "1000", "monthly": "5000"}}`,
			`{"id": 8, "version": 1, "name": "CO weekends", "priority": 30, "kind": "commission",
			 "scope": {"from_currency": "COP"},
			 "condition": "from_country == \"CO\" && amount > 10000 && (weekday == 0 || weekday == 6)",
			 "effect": {}}`,
			`{"id": 9, "version": 1, "name": "USD formula", "priority": 10, "kind": "commission",
			 "scope": {"from_currency": "USD"},
			 "effect": {"formula": "(amount + 50) / 100 + 50", "min": "2.00"}}`,
		} {
			var r Rule
			if err := json.Unmarshal([]byte(src), &r); err != nil {
				t.Fatalf("%s: %v", src, err)
			}
			if err := Validate(r, currencies); err != nil {
				t.Errorf("%s: %v", r.Name, err)
			}
		}
	})
}

// sameRule compares by value: decimals and times have several
// representations of one value.
func sameRule(a, b Rule) bool {
	if a.ID != b.ID || a.Version != b.Version || a.Name != b.Name || a.Priority != b.Priority ||
		a.Kind != b.Kind || a.Condition != b.Condition {
		return false
	}
	sa, sb := a.Scope, b.Scope
	if sa.FromCountry != sb.FromCountry || sa.ToCountry != sb.ToCountry || sa.UserType != sb.UserType ||
		sa.FromCurrency != sb.FromCurrency || sa.ToCurrency != sb.ToCurrency ||
		!sa.MinAmount.Equal(sb.MinAmount) || !sa.MaxAmount.Equal(sb.MaxAmount) ||
		!sa.ValidFrom.Equal(sb.ValidFrom) || !sa.ValidUntil.Equal(sb.ValidUntil) {
		return false
	}
	ea, eb := a.Effect, b.Effect
	if !ea.Percent.Equal(eb.Percent) || !ea.Fixed.Equal(eb.Fixed) || !ea.Min.Equal(eb.Min) || !ea.Max.Equal(eb.Max) ||
		ea.Formula != eb.Formula || !ea.Amount.Equal(eb.Amount) || ea.Currency != eb.Currency || ea.To != eb.To ||
		!ea.Daily.Equal(eb.Daily) || !ea.Monthly.Equal(eb.Monthly) || len(ea.Tiers) != len(eb.Tiers) {
		return false
	}
	for i := range ea.Tiers {
		ta, tb := ea.Tiers[i], eb.Tiers[i]
		if !ta.UpTo.Equal(tb.UpTo) || !ta.Percent.Equal(tb.Percent) || !ta.Fixed.Equal(tb.Fixed) {
			return false
		}
	}
	return true
}
