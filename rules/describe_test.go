package rules_test

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/rules"
)

func TestDescribe(t *testing.T) {
	d := decimal.RequireFromString
	for _, tc := range []struct {
		rule   rules.Rule
		es, en string
	}{
		{rules.Rule{Kind: rules.Commission, Scope: rules.Scope{FromCurrency: "USD", ToCurrency: "VES"}, Effect: rules.Effect{Percent: d("3"), Fixed: d("1"), Min: d("2")}},
			"Cobra una comisión de 3 % más 1 USD, como mínimo 2 USD. Para envíos USD→VES.",
			"Charges a commission of 3 % plus 1 USD, at least 2 USD. For sends USD→VES."},
		{rules.Rule{Kind: rules.AgentShare, Effect: rules.Effect{Percent: d("33.34")}},
			"Paga al agente que refirió al cliente el 33.34 % de la comisión. Para todo envío.",
			"Pays the referring agent 33.34 % of the commission. For every send."},
		{rules.Rule{Kind: rules.Bonus, Scope: rules.Scope{UserType: "agent", ToCountry: "VE"}, Condition: "amount > 100", Effect: rules.Effect{Amount: d("5"), Currency: "USD", To: rules.ToAgent}},
			"Acredita un bono de 5 USD al agente que refirió al cliente. Para todo envío de *→VE, de usuarios de tipo agente, cuando se cumple su condición.",
			"Credits a bonus of 5 USD to the referring agent. For every send from *→VE, by users of type agent, when its condition holds."},
		{rules.Rule{Kind: rules.Limit, Scope: rules.Scope{FromCurrency: "USD"}, Effect: rules.Effect{Daily: d("1000"), Monthly: d("5000")}},
			"Cada usuario puede enviar como máximo 1000 USD al día y 5000 USD al mes. Para envíos USD→*.",
			"Lets each user send at most 1000 USD a day and 5000 USD a month. For sends USD→*."},
		{rules.Rule{Kind: rules.Commission, Scope: rules.Scope{FromCurrency: "USD", MinAmount: d("100")}, Effect: rules.Effect{Tiers: []rules.Tier{{UpTo: d("500"), Percent: d("4")}, {Percent: d("3")}}}},
			"Cobra una comisión según el monto, en 2 tramos. Para envíos USD→*, de 100 USD o más.",
			"Charges a commission by amount, in 2 tiers. For sends USD→*, of 100 USD or more."},
	} {
		for lang, want := range map[i18n.Lang]string{i18n.ES: tc.es, i18n.EN: tc.en} {
			var got string
			for i, m := range rules.Describe(tc.rule) {
				if i > 0 {
					got += " "
				}
				got += i18n.T(lang, m)
			}
			if got != want {
				t.Errorf("%s %s:\n got %s\nwant %s", lang, tc.rule.Kind, got, want)
			}
		}
	}
}
