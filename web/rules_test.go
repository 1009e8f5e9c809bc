package web_test

import (
	"net/http"
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

// TestFormsRedirect: a refused rule or report form answers 303 to a page
// that shows, once, why and what was typed; a question before an action is
// a page of its own, which only this session's own form can leave.
func TestFormsRedirect(t *testing.T) {
	e := sqlite(t, nil)
	b := e.browser()
	b.loginDiscord(string(apptest.Boot))

	t.Run("RuleRefused", func(t *testing.T) {
		bad := url.Values{"csrf": {b.csrf()}, "key": {"web:r1"}, "kind": {"limit"}, "name": {"Límites"},
			"from_currency": {"USD"}, "daily": {"1.000"}, "monthly": {"mil"}}
		r := b.refused(b.post("/rules", bad), "/rules/new")
		wantBody(t, r, `id="error-monthly"`, es(web.MsgFormNumber.Msg("Field", "Límite mensual", "Input", "mil", "Example", decimal.RequireFromString("1234.5"))),
			`name="daily" value="1.000"`, `name="monthly" value="mil"`, `name="name" value="Límites"`)
		// Shown once: the page loaded again is a fresh form.
		again := b.get("/rules/new")
		wantStatus(t, again, http.StatusOK)
		if strings.Contains(again.body, "mil") {
			t.Fatal("the refusal is shown twice")
		}
		if n := len(apptest.Must(e.Svc.Rules(e.As(apptest.Boot), cambista.RuleDraft))); n != 0 {
			t.Fatalf("%d drafts", n)
		}
	})

	t.Run("RuleReshaped", func(t *testing.T) {
		// Another kind, or a row more, sends the form back as typed, without
		// a word of refusal and without saving.
		r := b.post("/rules", url.Values{"csrf": {b.csrf()}, "kind": {"commission"}, "name": {"Tramos"}, "switch_kind": {"bonus"}})
		wantRedirect(t, r, "/rules/new")
		page := b.get("/rules/new")
		wantStatus(t, page, http.StatusOK)
		wantBody(t, page, `name="kind" value="bonus"`, `name="name" value="Tramos"`, `name="amount"`)
		r = b.post("/rules", url.Values{"csrf": {b.csrf()}, "kind": {"commission"}, "id": {"1"}, "tier_percent": {"2"}, "add_tier": {"1"}})
		wantRedirect(t, r, "/rules/1")
		page = b.get("/rules/1")
		wantBody(t, page, `name="extra_rows" value="1"`, `name="tier_percent" value="2"`)
		if n := strings.Count(page.body, `name="tier_up_to"`); n != 1+2+1 {
			t.Fatalf("%d tier rows, want 4", n)
		}
	})

	t.Run("RuleEdited", func(t *testing.T) {
		// The edit page shows the rule as the reader writes numbers; posted
		// with a change, it is the rule's next version.
		wantBody(t, b.get("/rules/1"), `name="percent" value="3"`, `<option value="USD" selected>USD</option>`)
		r := b.post("/rules", url.Values{"csrf": {b.csrf()}, "key": {"web:e1"}, "id": {"1"}, "kind": {"commission"},
			"name": {"Standard USD→VES"}, "priority": {"10"}, "from_currency": {"USD"}, "to_currency": {"VES"}, "percent": {"2,75"}})
		wantRedirect(t, r, "/rules")
		d := apptest.Must(e.Svc.Rules(e.As(apptest.Boot), cambista.RuleDraft))
		if len(d) != 1 || d[0].Version.RuleID != 1 || d[0].Version.Version != 2 || !d[0].Rule.Effect.Percent.Equal(decimal.RequireFromString("2.75")) {
			t.Fatalf("drafts %+v", d)
		}
		wantBody(t, b.get("/rules/1"), `name="percent" value="2,75"`)
		apptest.Must(e.Svc.DiscardDraft(e.As(apptest.Boot), "", 1))
	})

	t.Run("ReportRefused", func(t *testing.T) {
		day := e.clock.Now().UTC().Format("2006-01-02")
		r := b.refused(b.post("/reports", url.Values{"csrf": {b.csrf()}, "kind": {"statement"}, "format": {"xlsx"}, "lang": {"en"},
			"from": {day}, "to": {day}}), "/reports")
		wantBody(t, r, `<option value="statement" selected>`, `<option value="xlsx" selected>`, `<option value="en" selected>`)
	})

	t.Run("Confirmation", func(t *testing.T) {
		wantRedirect(t, b.get("/confirm"), "/") // nothing to confirm
		r := b.post("/rules/1/retire", url.Values{"csrf": {b.csrf()}, "key": {"web:c1"}, "rule_name": {"Standard USD→VES"}})
		wantRedirect(t, r, "/confirm")
		wantBody(t, b.get("/confirm"), `id="confirm"`, `action="/rules/1/retire"`, `name="key" value="web:c1"`)
		// Another session holding the same cookie is shown nothing.
		other := e.browser()
		other.loginDiscord(string(apptest.Boot))
		planted := 0
		for _, c := range b.c.Jar.Cookies(mustURL(e.url + "/confirm")) {
			if c.Name == "cambista_confirm" {
				other.c.Jar.SetCookies(mustURL(e.url), []*http.Cookie{{Name: c.Name, Value: c.Value, Path: "/"}})
				planted++
			}
		}
		if planted != 1 {
			t.Fatal("no question cookie")
		}
		wantRedirect(t, other.get("/confirm"), "/")
		if n := len(apptest.Must(e.Svc.Rules(e.As(apptest.Boot), cambista.RulePublished))); n != 2 {
			t.Fatalf("%d published rules: retired before confirming", n)
		}
	})
}
