package web

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/money"
	"github.com/cambista/cambista/rules"
)

var formCurrencies = map[string]money.Currency{
	"USD": {Code: "USD", Exponent: 2}, "VES": {Code: "VES", Exponent: 2}, "USDT": {Code: "USDT", Exponent: 6},
}

func formCurrency(code string) (money.Currency, bool) {
	c, ok := formCurrencies[code]
	return c, ok
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// form builds posted fields: key, value, key, value…
func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// TestRuleFormReads: each kind's form gives the rule's params, figures read
// as the reader writes them (Spanish "2,5" and "1.000", English "2.5" and
// "1,000"), and the rule is valid; shown again, the rule reads the same.
func TestRuleFormReads(t *testing.T) {
	march := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	usdVes := rules.Scope{FromCurrency: "USD", ToCurrency: "VES"}
	tests := []struct {
		name string
		lang i18n.Lang
		in   url.Values
		want rules.Rule
	}{
		{"CommissionES", i18n.ES,
			form("kind", "commission", "name", "Estándar", "priority", "10", "from_currency", "USD", "to_currency", "VES",
				"from_country", "CO", "to_country", "VE", "user_type", "client", "min_amount", "1.000", "max_amount", "2.500,50",
				"valid_from", "2025-03-01", "valid_until", "2025-04-01T08:30",
				"percent", "2,5", "fixed", "1,00", "min", "3", "max", "50", "condition", "has_referrer"),
			rules.Rule{Name: "Estándar", Priority: 10, Kind: rules.Commission, Condition: "has_referrer",
				Scope: rules.Scope{FromCountry: "CO", ToCountry: "VE", UserType: cambista.UserTypeClient, FromCurrency: "USD", ToCurrency: "VES",
					MinAmount: dec("1000"), MaxAmount: dec("2500.5"), ValidFrom: march, ValidUntil: time.Date(2025, 4, 1, 8, 30, 0, 0, time.UTC)},
				Effect: rules.Effect{Percent: dec("2.5"), Fixed: dec("1"), Min: dec("3"), Max: dec("50")}}},
		{"CommissionEN", i18n.EN,
			form("kind", "commission", "name", "Standard", "from_currency", "USD", "min_amount", "1,000", "percent", "2.5 %", "max", "1,234.50"),
			rules.Rule{Name: "Standard", Kind: rules.Commission, Scope: rules.Scope{FromCurrency: "USD", MinAmount: dec("1000")},
				Effect: rules.Effect{Percent: dec("2.5"), Max: dec("1234.5")}}},
		{"TiersES", i18n.ES,
			// The empty row between the tiers is left out; so are the
			// fields of other kinds, which this form does not show.
			form("kind", "commission", "name", "Tramos", "from_currency", "USD", "to_currency", "VES", "amount", "9", "daily", "1",
				"tier_up_to", "500", "tier_percent", "2,5", "tier_fixed", "",
				"tier_up_to", "", "tier_percent", "", "tier_fixed", "",
				"tier_up_to", "2.000", "tier_percent", "2", "tier_fixed", "0,50",
				"tier_up_to", "", "tier_percent", "1,25", "tier_fixed", ""),
			rules.Rule{Name: "Tramos", Kind: rules.Commission, Scope: usdVes, Effect: rules.Effect{Tiers: []rules.Tier{
				{UpTo: dec("500"), Percent: dec("2.5")}, {UpTo: dec("2000"), Percent: dec("2"), Fixed: dec("0.5")}, {Percent: dec("1.25")}}}}},
		{"FormulaEN", i18n.EN,
			form("kind", "commission", "name", "F", "from_currency", "USD", "formula", "(amount + 50) / 100", "min", "2"),
			rules.Rule{Name: "F", Kind: rules.Commission, Scope: rules.Scope{FromCurrency: "USD"},
				Effect: rules.Effect{Formula: "(amount + 50) / 100", Min: dec("2")}}},
		{"AgentShareES", i18n.ES, form("kind", "agent_share", "name", "Parte", "percent", "33,34", "fixed", "1"),
			rules.Rule{Name: "Parte", Kind: rules.AgentShare, Effect: rules.Effect{Percent: dec("33.34")}}},
		{"AgentShareEN", i18n.EN, form("kind", "agent_share", "name", "Share", "percent", "33.34"),
			rules.Rule{Name: "Share", Kind: rules.AgentShare, Effect: rules.Effect{Percent: dec("33.34")}}},
		{"SpreadES", i18n.ES, form("kind", "spread", "name", "Margen", "to_currency", "VES", "percent", "-1,5"),
			rules.Rule{Name: "Margen", Kind: rules.Spread, Scope: rules.Scope{ToCurrency: "VES"}, Effect: rules.Effect{Percent: dec("-1.5")}}},
		{"SpreadEN", i18n.EN, form("kind", "spread", "name", "Spread", "percent", "1.5%"),
			rules.Rule{Name: "Spread", Kind: rules.Spread, Effect: rules.Effect{Percent: dec("1.5")}}},
		{"BonusES", i18n.ES, form("kind", "bonus", "name", "Promo", "to_country", "VE", "amount", "5,5", "currency", "USDT", "to", "agent", "percent", "3"),
			rules.Rule{Name: "Promo", Kind: rules.Bonus, Scope: rules.Scope{ToCountry: "VE"},
				Effect: rules.Effect{Amount: dec("5.5"), Currency: "USDT", To: rules.ToAgent}}},
		{"BonusEN", i18n.EN, form("kind", "bonus", "name", "Gift", "amount", "1,000.25", "currency", "USD", "to", "client"),
			rules.Rule{Name: "Gift", Kind: rules.Bonus, Effect: rules.Effect{Amount: dec("1000.25"), Currency: "USD", To: rules.ToClient}}},
		{"LimitES", i18n.ES, form("kind", "limit", "name", "Límites", "user_type", "client", "from_currency", "USD", "daily", "1.000", "monthly", "5.000,00"),
			rules.Rule{Name: "Límites", Kind: rules.Limit, Scope: rules.Scope{UserType: cambista.UserTypeClient, FromCurrency: "USD"},
				Effect: rules.Effect{Daily: dec("1000"), Monthly: dec("5000")}}},
		{"LimitEN", i18n.EN, form("kind", "limit", "name", "Limits", "from_currency", "USD", "monthly", "5,000"),
			rules.Rule{Name: "Limits", Kind: rules.Limit, Scope: rules.Scope{FromCurrency: "USD"}, Effect: rules.Effect{Monthly: dec("5000")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := readRuleForm(tt.in)
			got, bad := f.rule(tt.lang)
			if bad != nil {
				t.Fatalf("refused: %s", i18n.T(tt.lang, bad.Msg))
			}
			if !sameRule(got, tt.want) {
				t.Fatalf("rule\n got %+v\nwant %+v", got, tt.want)
			}
			if err := rules.Validate(got, formCurrency); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			// The stored rule shown in the form and posted again is the same
			// rule, in either language.
			for _, lang := range []i18n.Lang{i18n.ES, i18n.EN} {
				again, bad := readRuleForm(ruleFormOf(lang, 0, got).values()).rule(lang)
				if bad != nil || !sameRule(again, got) {
					t.Errorf("%s: shown and posted again: %+v, %v", lang, again, bad)
				}
			}
		})
	}
}

// sameRule compares rules by value, decimals by number.
func sameRule(a, b rules.Rule) bool {
	eq := func(x, y decimal.Decimal) bool { return x.Equal(y) }
	sa, sb, ea, eb := a.Scope, b.Scope, a.Effect, b.Effect
	if a.ID != b.ID || a.Name != b.Name || a.Priority != b.Priority || a.Kind != b.Kind || a.Condition != b.Condition || !sa.Equal(sb) ||
		!eq(ea.Percent, eb.Percent) || !eq(ea.Fixed, eb.Fixed) || !eq(ea.Min, eb.Min) || !eq(ea.Max, eb.Max) || ea.Formula != eb.Formula ||
		!eq(ea.Amount, eb.Amount) || ea.Currency != eb.Currency || ea.To != eb.To || !eq(ea.Daily, eb.Daily) || !eq(ea.Monthly, eb.Monthly) ||
		len(ea.Tiers) != len(eb.Tiers) {
		return false
	}
	for i := range ea.Tiers {
		if !eq(ea.Tiers[i].UpTo, eb.Tiers[i].UpTo) || !eq(ea.Tiers[i].Percent, eb.Tiers[i].Percent) || !eq(ea.Tiers[i].Fixed, eb.Tiers[i].Fixed) {
			return false
		}
	}
	return true
}

// TestRuleFormErrors: what the form or rules.Validate refuses is said in
// the reader's language, naming the field by its label on the form, and
// is placed beside that field's input.
func TestRuleFormErrors(t *testing.T) {
	tests := []struct {
		name   string
		in     url.Values
		input  string
		es, en string
	}{
		{"CommissionNotANumber", form("kind", "commission", "name", "c", "percent", "dos"), "percent",
			`Porcentaje: "dos" no es un número; escríbalo, por ejemplo, así: 1.234,5.`,
			`Percentage of the amount: "dos" is not a number; write it as, for example, 1,234.5.`},
		{"CommissionRange", form("kind", "commission", "name", "c", "percent", "150"), "percent",
			"Porcentaje: debe ser un número entre 0 y 100, con como máximo 6 decimales; se recibió 150.",
			"Percentage of the amount: must be a number between 0 and 100, with at most 6 decimals; got 150."},
		{"CommissionNeedsCurrency", form("kind", "commission", "name", "c", "fixed", "1"), "fixed",
			"Cargo fijo está en unidades de la moneda de envío: elija también la moneda de envío (Moneda de envío).",
			"Fixed fee is in units of the send currency: choose the send currency (Send currency) too."},
		{"CommissionMinOverMax", form("kind", "commission", "name", "c", "from_currency", "USD", "min", "5", "max", "4"), "min",
			"Mínimo (5) no puede ser mayor que Máximo (4).", "Minimum (5) must not be greater than Maximum (4)."},
		{"CommissionInexact", form("kind", "commission", "name", "c", "from_currency", "USD", "fixed", "0,001"), "fixed",
			"Cargo fijo: debe ser un monto de USD de cero o más, con como máximo 2 decimales; se recibió 0.001.",
			""}, // 0,001 is a thousandth in Spanish only
		{"TierOrder", form("kind", "commission", "name", "t", "from_currency", "USD",
			"tier_up_to", "500", "tier_percent", "3", "tier_up_to", "400", "tier_percent", "2", "tier_up_to", "", "tier_percent", "1"), "tier_up_to.2",
			"Tramo 2, Hasta: el tramo 2 debe llegar más alto que el tramo anterior (400 no es mayor que 500).",
			"Tier 2, Up to: tier 2 must go up to more than the tier before it (400 is not above 500)."},
		{"TierPercent", form("kind", "commission", "name", "t", "from_currency", "USD",
			"tier_up_to", "500", "tier_percent", "2,5", "tier_up_to", "", "tier_percent", "150"), "tier_percent.2",
			"Tramo 2, Porcentaje: debe ser un número entre 0 y 100, con como máximo 6 decimales; se recibió 150.",
			""}, // "2,5" is no English number
		{"TierLastBounded", form("kind", "commission", "name", "t", "from_currency", "USD", "tier_up_to", "500", "tier_percent", "2"), "tier_up_to.1",
			"Tramo 1, Hasta: solo el último tramo queda abierto",
			"Tier 1, Up to: only the last tier is open-ended"},
		{"Mixed", form("kind", "commission", "name", "t", "percent", "2", "tier_percent", "1"), "",
			"Defina la comisión de una sola forma", "Set the commission one way only"},
		{"FormulaCEL", form("kind", "commission", "name", "f", "formula", "amount * 0.01"), "formula",
			"Fórmula de la comisión (CEL, en unidades menores, en lugar del porcentaje y los tramos) no compila",
			"Commission formula (CEL, minor units, instead of percentage and tiers) does not compile"},
		{"ConditionCEL", form("kind", "spread", "name", "s", "percent", "1", "condition", "amount"), "condition",
			"Condición (CEL, opcional) debe ser verdadero o falso (bool); esta expresión da int.",
			"Condition (CEL, optional) must be true or false (bool); this expression gives int."},
		{"AgentShareRange", form("kind", "agent_share", "name", "a", "percent", "101"), "percent",
			"Porcentaje de la comisión: debe ser un número entre 0 y 100",
			"Percentage of the commission: must be a number between 0 and 100"},
		{"SpreadRange", form("kind", "spread", "name", "s", "percent", "60"), "percent",
			"Margen sobre la tasa (%): debe ser un número entre -50 y 50",
			"Spread on the rate (%): must be a number between -50 and 50"},
		{"BonusAmount", form("kind", "bonus", "name", "b", "currency", "USD", "to", "agent"), "amount",
			"Monto: una bonificación necesita un monto mayor que cero.", "Amount: a bonus needs an amount greater than zero."},
		{"BonusCurrency", form("kind", "bonus", "name", "b", "amount", "5", "to", "agent"), "currency",
			"Moneda: una bonificación necesita el código de la moneda", "Currency: a bonus needs the code of the currency"},
		{"BonusDecimals", form("kind", "bonus", "name", "b", "amount", "5.0000001", "currency", "USDT", "to", "client"), "amount",
			"", "Amount: must be an amount of USDT of zero or more, with at most 6 decimals; got 5.0000001."},
		{"LimitEmpty", form("kind", "limit", "name", "l", "from_currency", "USD"), "daily",
			"Una regla de límite necesita Límite diario o Límite mensual mayor que cero.",
			"A limit rule needs Daily limit or Monthly limit greater than zero."},
		{"LimitNeedsCurrency", form("kind", "limit", "name", "l", "monthly", "5000"), "monthly",
			"Límite mensual está en unidades de la moneda de envío", "Monthly limit is in units of the send currency"},
		{"RangeMinOverMax", form("kind", "commission", "name", "c", "from_currency", "USD", "min_amount", "500", "max_amount", "100"), "min_amount",
			"Monto desde (500) no puede ser mayor que Monto hasta (100).", "Amount from (500) must not be greater than Amount up to (100)."},
		{"Validity", form("kind", "commission", "name", "c", "valid_from", "2025-04-01", "valid_until", "2025-03-01"), "valid_from",
			"Válida desde (UTC) (2025-04-01 00:00 UTC) debe ser anterior a Válida hasta (UTC, excluido) (2025-03-01 00:00 UTC).",
			"Valid from (UTC) (2025-04-01 00:00 UTC) must be before Valid until (UTC, excluded) (2025-03-01 00:00 UTC)."},
		{"BadDate", form("kind", "commission", "name", "c", "valid_until", "mañana"), "valid_until",
			`Válida hasta (UTC, excluido): "mañana" no es una fecha`, `Valid until (UTC, excluded): "mañana" is not a date`},
		{"Priority", form("kind", "commission", "name", "c", "priority", "alta"), "priority",
			`Prioridad: "alta" no es un número entero.`, `Priority: "alta" is not a whole number.`},
		{"Name", form("kind", "commission", "name", " "), "name",
			"Una regla necesita un nombre de 1 a 80 caracteres.", "A rule needs a name of 1 to 80 characters."},
	}
	for _, tt := range tests {
		for _, lang := range []i18n.Lang{i18n.ES, i18n.EN} {
			want := map[i18n.Lang]string{i18n.ES: tt.es, i18n.EN: tt.en}[lang]
			if want == "" {
				continue
			}
			t.Run(tt.name+"_"+string(lang), func(t *testing.T) {
				f := readRuleForm(tt.in)
				rl, bad := f.rule(lang)
				var err error
				if bad == nil {
					if err = rules.Validate(rl, formCurrency); err == nil {
						t.Fatalf("accepted: %+v", rl)
					}
				}
				m, input := ruleRefusal(lang, f.Kind, err, bad)
				if got := i18n.T(lang, m); !strings.Contains(got, want) {
					t.Errorf("message %q\nwant it to say %q", got, want)
				}
				if input != tt.input {
					t.Errorf("beside %q, want %q", input, tt.input)
				}
			})
		}
	}
}

// TestRuleFormRows: the table keeps its filled rows in order whatever the
// empty ones between them, and asks for empty rows to fill beyond them.
func TestRuleFormRows(t *testing.T) {
	f := readRuleForm(form("kind", "commission", "extra_rows", "1",
		"tier_up_to", "", "tier_percent", "", "tier_up_to", "100", "tier_percent", "2", "tier_up_to", "", "tier_percent", "1"))
	if want := []tierRow{{UpTo: "100", Percent: "2"}, {Percent: "1"}}; !reflect.DeepEqual(f.Tiers, want) {
		t.Fatalf("tiers %+v", f.Tiers)
	}
	rows := f.Rows()
	if len(rows) != 2+blankTiers+1 || rows[0].N != 1 || rows[1].Percent != "1" || !rows[len(rows)-1].blank() {
		t.Fatalf("rows %+v", rows)
	}
	if got := readRuleForm(f.values()); !reflect.DeepEqual(got, f) {
		t.Fatalf("sent back and read: %+v, want %+v", got, f)
	}
	if got := readRuleForm(form("kind", "commission", "extra_rows", "1000")).Extra; got != maxExtraRows {
		t.Fatalf("extra rows %d", got)
	}
}
