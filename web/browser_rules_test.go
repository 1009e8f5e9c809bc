package web_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app/apptest"
)

// TestBrowserRules writes a rule whose CEL does not compile, sees the
// compiler's message beside the field, fixes it, simulates it against the
// published rules, publishes it, and retires it.
func TestBrowserRules(t *testing.T) {
	chromium(t)
	e := sqlite(t, nil)
	p := newPage(t, e)
	p.do("log in", chromedp.Navigate(e.bootstrapLink()), chromedp.WaitVisible(chromedp.CSS("#pending-approvals")))
	p.do("open the rules", chromedp.Click(chromedp.CSS(`nav a[href="/rules"]`)), chromedp.WaitVisible(chromedp.CSS("#rule-form")))
	p.wantText("#published", "Standard USD→VES")
	p.wantText("#rule-1 .does", "Cobra una comisión de 3 %. Para envíos USD→VES.")

	t.Run("CELError", func(t *testing.T) {
		p.t = t
		p.do("save a rule with bad CEL", chromedp.SetValue(chromedp.CSS(`input[name="name"]`), "Large sends"),
			chromedp.SetValue(chromedp.CSS(`select[name="kind"]`), "commission"),
			chromedp.SetValue(chromedp.CSS(`input[name="priority"]`), "20"),
			chromedp.SetValue(chromedp.CSS(`textarea[name="condition"]`), `amount >= "5000"`),
			chromedp.SetValue(chromedp.CSS(`textarea[name="scope"]`), `{"from_currency": "USD", "to_currency": "VES"}`),
			chromedp.SetValue(chromedp.CSS(`textarea[name="effect"]`), `{"percent": "1"}`),
			chromedp.Click(chromedp.CSS("#save-rule")), chromedp.WaitVisible(chromedp.CSS("#condition-error")))
		p.wantText("#condition-error", "condition no compila")
		p.wantText("#condition-error", "no matching overload")
		// What was typed is still there.
		got, err := chromedp.Run(p.ctx, chromedp.Value(chromedp.CSS(`textarea[name="effect"]`)))
		if err != nil || got != `{"percent": "1"}` {
			t.Fatalf("effect %q, %v", got, err)
		}
	})

	t.Run("Fix", func(t *testing.T) {
		p.t = t
		p.do("fix the condition", chromedp.SetValue(chromedp.CSS(`textarea[name="condition"]`), `amount >= 5000`),
			chromedp.Click(chromedp.CSS("#save-rule")), chromedp.WaitVisible(chromedp.CSS("#drafts table")))
		p.wantText(".flash.ok", "Borrador v1")
		p.wantText("#drafts", "Large sends")
	})

	t.Run("Simulate", func(t *testing.T) {
		p.t = t
		p.do("simulate", chromedp.SetValue(chromedp.CSS(`#sim-form input[name="amount"]`), "100"),
			chromedp.SetValue(chromedp.CSS(`#sim-form input[name="from"]`), "USD"),
			chromedp.SetValue(chromedp.CSS(`#sim-form input[name="to"]`), "VES"),
			chromedp.Click(chromedp.CSS("#run-sim")), chromedp.WaitVisible(chromedp.CSS("#sim-result")))
		p.wantText("#sim-published", "3,00 USD")
		p.wantText("#sim-published", "Standard USD→VES")
		p.wantText("#sim-draft", "1,00 USD")
		p.wantText("#sim-draft", "Large sends")
		p.wantText("#sim-draft", "3.960,00 VES") // 99.00 × 40
	})

	t.Run("Publish", func(t *testing.T) {
		p.t = t
		p.do("publish", chromedp.Click(chromedp.CSS("#publish button")), chromedp.WaitVisible(chromedp.CSS(".flash.ok")))
		p.wantText(".flash.ok", "1 borrador publicado")
		p.wantText("#published", "Large sends")
		views := apptest.Must(e.Svc.Rules(e.As(apptest.Boot), cambista.RulePublished))
		if len(views) != 3 {
			t.Fatalf("%d published rules", len(views))
		}
	})

	t.Run("Retire", func(t *testing.T) {
		p.t = t
		var row string
		for _, v := range apptest.Must(e.Svc.Rules(e.As(apptest.Boot), cambista.RulePublished)) {
			if v.Version.Name == "Large sends" {
				row = fmt.Sprintf("#rule-%d", v.Version.ID)
			}
		}
		p.do("retire", chromedp.Click(chromedp.CSS(row+" form button")), chromedp.WaitVisible(chromedp.CSS("#confirm")))
		p.wantText("#confirm", "Large sends")
		p.do("confirm", chromedp.Click(chromedp.CSS("#confirm-yes")), chromedp.WaitVisible(chromedp.CSS(".flash.ok")))
		p.wantText(".flash.ok", "retirada")
		for _, v := range apptest.Must(e.Svc.Rules(e.As(apptest.Boot), cambista.RulePublished)) {
			if v.Version.Name == "Large sends" {
				t.Fatal("still published")
			}
		}
	})

	t.Run("DiscardDraft", func(t *testing.T) {
		p.t = t
		published := apptest.Must(e.Svc.Rules(e.As(apptest.Boot), cambista.RulePublished))[0]
		rl := published.Rule
		rl.ID, rl.Name = int64(published.Version.RuleID), "Second thoughts"
		v := apptest.Must(e.Svc.SaveRule(e.As(apptest.Boot), "", rl))
		p.do("discard the draft", chromedp.Navigate(e.url+"/rules"),
			chromedp.Click(chromedp.CSS(fmt.Sprintf("#rule-%d form.discard button", v.ID))), chromedp.WaitVisible(chromedp.CSS(".flash.ok")))
		p.wantText(".flash.ok", "Se descartó el borrador")
		p.wantText("#drafts", "Ninguna regla.")
		p.wantText("#published", published.Version.Name) // still in use
	})
}
