package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/rules"
	"github.com/cambista/cambista/web"
	"github.com/shopspring/decimal"
)

// TestRuleReplaceWarned: a draft over the same quotes as a published rule
// of its kind says, before it is published, which rule it will retire, and
// the publication says which it retired.
func TestRuleReplaceWarned(t *testing.T) {
	e := sqlite(t, nil)
	ctx := e.As(apptest.Boot)
	var std *cambista.RuleVersion
	for _, v := range apptest.Must(e.Svc.Rules(ctx, cambista.RulePublished)) {
		if v.Rule.Kind == rules.Commission {
			std = v.Version
		}
	}
	draft := apptest.Must(e.Svc.SaveRule(ctx, "", rules.Rule{Name: "Cheaper", Kind: rules.Commission,
		Scope: rules.Scope{FromCurrency: "USD", ToCurrency: "VES"}, Effect: rules.Effect{Percent: decimal.RequireFromString("2.5")}}))
	b := e.browser()
	b.loginDiscord(string(apptest.Boot))
	warning := es(web.MsgRuleWillReplace.Msg("ID", draft.RuleID, "Name", "Cheaper", "OldID", std.RuleID, "OldName", std.Name))
	wantBody(t, b.get("/rules"), warning)
	wantRedirect(t, b.post("/rules/publish", url.Values{"csrf": {b.csrf()}, "key": {"web:p1"}}), "/rules")
	r := b.get("/rules")
	wantBody(t, r, es(web.MsgRulesReplaced.Msg("Count", 1, "Replaced", "#"+itoa(std.RuleID)+" ("+std.Name+")")))
	if strings.Contains(r.body, warning) {
		t.Fatal("the warning is still shown after the publication")
	}
	for _, v := range apptest.Must(e.Svc.Rules(ctx, cambista.RulePublished)) {
		if v.Version.RuleID == std.RuleID {
			t.Fatalf("rule #%d is still published", std.RuleID)
		}
	}
}
