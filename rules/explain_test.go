package rules

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/money"
)

func render(lang i18n.Lang, ms []cambista.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = i18n.T(lang, m)
	}
	return out
}

func TestExplain(t *testing.T) {
	t.Run("WorkedExample", func(t *testing.T) {
		s, in := workedExample(t)
		ms := Explain(mustQuote(t, s, in))
		want := map[i18n.Lang][]string{
			i18n.EN: {
				"Base rate: 40 VES per 1 USD (rate #7).",
				`Commission 3 % (rule "Standard USD→VES" v2): 3.00 USD.`,
				`Of the commission, 33.34 % goes to the referring agent (rule "Agent share" v1): 1.00 USD.`,
				"Converted: 97.00 USD (sent 100.00 USD minus commission 3.00 USD).",
				"The beneficiary receives 3,880.00 VES at 40 VES per 1 USD.",
			},
			i18n.ES: {
				"Tasa base: 40 VES por 1 USD (tasa #7).",
				`Comisión 3 % (regla "Standard USD→VES" v2): 3,00 USD.`,
				`De la comisión, el 33,34 % es para el agente que refirió al cliente (regla "Agent share" v1): 1,00 USD.`,
				"Se convierte: 97,00 USD (enviado 100,00 USD menos la comisión 3,00 USD).",
				"El beneficiario recibe 3.880,00 VES a 40 VES por 1 USD.",
			},
		}
		for lang, lines := range want {
			got := render(lang, ms)
			if strings.Join(got, "\n") != strings.Join(lines, "\n") {
				t.Errorf("%s:\n got %q\nwant %q", lang, got, lines)
			}
		}
	})

	// Every kind of line at once: limit, tiered commission, agent share,
	// spread, bonuses.
	t.Run("EveryLine", func(t *testing.T) {
		s := mustSet(t,
			Rule{ID: 1, Version: 1, Name: "Tiers", Kind: Commission, Scope: Scope{FromCurrency: "USD"},
				Effect: Effect{Tiers: []Tier{{UpTo: dec("50"), Percent: dec("5")}, {Percent: dec("2"), Fixed: dec("0.50")}}}},
			Rule{ID: 2, Version: 1, Name: "Share", Kind: AgentShare, Effect: Effect{Percent: dec("50")}},
			Rule{ID: 3, Version: 5, Name: "VES spread", Kind: Spread, Effect: Effect{Percent: dec("1.25")}},
			Rule{ID: 4, Version: 1, Name: "Daily", Kind: Limit, Scope: Scope{FromCurrency: "USD"}, Effect: Effect{Daily: dec("5000")}},
			Rule{ID: 5, Version: 1, Name: "Agent promo", Kind: Bonus, Effect: Effect{Amount: dec("5"), Currency: "USDT", To: ToAgent}},
			Rule{ID: 6, Version: 1, Name: "Client promo", Kind: Bonus, Effect: Effect{Amount: dec("1000"), Currency: "VES", To: ToClient}},
		)
		in := input(t, amt(150000, usd), ves, "40")
		in.HasReferrer, in.Currencies, in.SentToday = true, currencies, amt(20000, usd)
		ms := Explain(mustQuote(t, s, in))
		// 2 % of 1,500.00 + 0.50 = 30.50, half of it to the agent;
		// 40 × (1 − 0.0125) = 39.5; 1,469.50 × 39.5 = 58,045.25.
		want := map[i18n.Lang][]string{
			i18n.EN: {
				"Base rate: 40 VES per 1 USD (rate #7).",
				`Daily limit 5,000.00 USD (rule "Daily" v1): 3,300.00 USD left after this transfer.`,
				`Commission 2 % + 0.50 USD for this amount's tier (rule "Tiers" v1): 30.50 USD.`,
				`Of the commission, 50 % goes to the referring agent (rule "Share" v1): 15.25 USD.`,
				`Spread 1.25 % (rule "VES spread" v5): rate 39.5 VES per 1 USD.`,
				"Converted: 1,469.50 USD (sent 1,500.00 USD minus commission 30.50 USD).",
				"The beneficiary receives 58,045.25 VES at 39.5 VES per 1 USD.",
				`Bonus for the referring agent (rule "Agent promo" v1): 5.000000 USDT.`,
				`Bonus for the client (rule "Client promo" v1): 1,000.00 VES.`,
			},
			i18n.ES: {
				"Tasa base: 40 VES por 1 USD (tasa #7).",
				`Límite diario 5.000,00 USD (regla "Daily" v1): quedan 3.300,00 USD después de esta transferencia.`,
				`Comisión 2 % + 0,50 USD según el tramo de este monto (regla "Tiers" v1): 30,50 USD.`,
				`De la comisión, el 50 % es para el agente que refirió al cliente (regla "Share" v1): 15,25 USD.`,
				`Margen 1,25 % (regla "VES spread" v5): tasa 39,5 VES por 1 USD.`,
				"Se convierte: 1.469,50 USD (enviado 1.500,00 USD menos la comisión 30,50 USD).",
				"El beneficiario recibe 58.045,25 VES a 39,5 VES por 1 USD.",
				`Bonificación para el agente que refirió al cliente (regla "Agent promo" v1): 5,000000 USDT.`,
				`Bonificación para el cliente (regla "Client promo" v1): 1.000,00 VES.`,
			},
		}
		for lang, lines := range want {
			if got := render(lang, ms); strings.Join(got, "\n") != strings.Join(lines, "\n") {
				t.Errorf("%s:\n got %q\nwant %q", lang, got, lines)
			}
		}
	})

	// How the commission was reached, line by line.
	t.Run("CommissionLines", func(t *testing.T) {
		tests := []struct {
			name string
			rule *Rule // nil: no commission rule
			want string
		}{
			{"None", nil, "No commission rule applies: commission 0.00 USD."},
			{"Fixed", &Rule{ID: 1, Version: 1, Name: "F", Kind: Commission, Scope: Scope{FromCurrency: "USD"},
				Effect: Effect{Percent: dec("1.5"), Fixed: dec("2")}}, `Commission 1.5 % + 2.00 USD (rule "F" v1): 3.50 USD.`},
			{"TierNoFixed", &Rule{ID: 1, Version: 1, Name: "T", Kind: Commission,
				Effect: Effect{Tiers: []Tier{{Percent: dec("4")}}}}, `Commission 4 % for this amount's tier (rule "T" v1): 4.00 USD.`},
			{"Formula", &Rule{ID: 1, Version: 2, Name: "CEL", Kind: Commission,
				Effect: Effect{Formula: "amount / 40"}}, `Commission by formula (rule "CEL" v2): 2.50 USD.`},
			{"Min", &Rule{ID: 1, Version: 1, Name: "M", Kind: Commission, Scope: Scope{FromCurrency: "USD"},
				Effect: Effect{Percent: dec("1"), Min: dec("5")}}, `Commission raised to the rule's minimum (rule "M" v1): 5.00 USD.`},
			{"Max", &Rule{ID: 1, Version: 1, Name: "M", Kind: Commission, Scope: Scope{FromCurrency: "USD"},
				Effect: Effect{Percent: dec("10"), Max: dec("5")}}, `Commission lowered to the rule's maximum (rule "M" v1): 5.00 USD.`},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var rules []Rule
				if tt.rule != nil {
					rules = append(rules, *tt.rule)
				}
				lines := render(i18n.EN, Explain(mustQuote(t, mustSet(t, rules...), input(t, amt(10000, usd), ves, "40"))))
				if len(lines) != 4 || lines[1] != tt.want {
					t.Errorf("lines = %q, want %q second", lines, tt.want)
				}
			})
		}
	})

	// An agent share without a commission still says there was none first.
	t.Run("ShareWithoutCommission", func(t *testing.T) {
		in := input(t, amt(10000, usd), ves, "40")
		in.HasReferrer = true
		ms := Explain(mustQuote(t, mustSet(t, Rule{ID: 2, Name: "S", Kind: AgentShare, Effect: Effect{Percent: dec("10")}}), in))
		if len(ms) != 5 || ms[1].ID != "rules_explain_no_commission" || ms[2].ID != "rules_explain_agent_share" {
			t.Errorf("messages = %v", ms)
		}
	})
}

// TestExplainData: amounts travel as money.Amount, so that i18n writes them
// the reader's way, and so do rates (money.Rate) and percentages
// (decimal.Decimal).
func TestExplainData(t *testing.T) {
	s, in := workedExample(t)
	for _, m := range Explain(mustQuote(t, s, in)) {
		for k, v := range m.Data {
			switch k {
			case "Amount", "Send", "Commission", "Fixed", "Limit":
				if _, ok := v.(money.Amount); !ok {
					t.Errorf("%s: %s is %T, want money.Amount", m.ID, k, v)
				}
			case "Rate":
				if _, ok := v.(money.Rate); !ok {
					t.Errorf("%s: %s is %T, want money.Rate", m.ID, k, v)
				}
			case "Percent":
				if _, ok := v.(decimal.Decimal); !ok {
					t.Errorf("%s: %s is %T, want decimal.Decimal", m.ID, k, v)
				}
			}
		}
	}
}
