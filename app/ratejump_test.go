package app_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestRateJumpNeedsConfirming: a rate more than 10 % (by default) away
// from the current one is refused, naming both and the change, and changes
// nothing; confirmed, it is set. Within the limit, no question is asked.
func TestRateJumpNeedsConfirming(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s) // USD/VES at 40
		ctx := e.As(boot)
		events := e.auditCount()
		_, err := e.Svc.SetRate(ctx, "", app.SetRate{Base: "USD", Quote: "VES", Value: "1.234,5678"})
		wantCode(t, err, cambista.ECONFLICT)
		m := cambista.ErrorMessage(err)
		if m.ID != cambista.MsgRateJump.ID || fmt.Sprint(m.Data["Old"]) != "40" || fmt.Sprint(m.Data["New"]) != "1234.5678" || fmt.Sprint(m.Data["Change"]) != "2986.4" {
			t.Fatalf("message %s %v", m.ID, m.Data)
		}
		if es := i18n.T(i18n.ES, m); !strings.Contains(es, "1.234,5678") || !strings.Contains(es, "2.986,4 %") {
			t.Fatalf("in Spanish: %s", es)
		}
		if r := apptest.Must(e.Svc.CurrentRate(ctx, "USD", "VES")); r.Value.String() != "40" || e.auditCount() != events {
			t.Fatalf("a refused rate changed something: %s", r.Value)
		}
		_, err = e.Svc.SetRate(ctx, "", app.SetRate{Base: "USD", Quote: "VES", Value: "35,9"})
		wantCode(t, err, cambista.ECONFLICT)
		apptest.Must(e.Svc.SetRate(ctx, "", app.SetRate{Base: "USD", Quote: "VES", Value: "43,9"})) // +9.75 %
		apptest.Must(e.Svc.SetRate(ctx, "", app.SetRate{Base: "USD", Quote: "VES", Value: "1.234,5678", Confirmed: true}))
		if r := apptest.Must(e.Svc.CurrentRate(ctx, "USD", "VES")); r.Value.String() != "1234.5678" {
			t.Fatalf("confirmed rate not set: %s", r.Value)
		}
	})
}

// TestRateJumpLimit: the limit is configurable.
func TestRateJumpLimit(t *testing.T) {
	s := storetest.Open(t, "sqlite", store.Options{})
	e := apptest.New(t, s, app.Config{RateConfirmPercent: decimal.NewFromInt(50)})
	ctx := e.As(boot)
	for _, c := range []app.AddCurrency{{Code: "USD", Exponent: 2, Name: "US dollar"}, {Code: "VES", Exponent: 2, Name: "Bolívar"}} {
		apptest.Must(e.Svc.AddCurrency(ctx, "", c))
	}
	apptest.Must(e.Svc.SetRate(ctx, "", app.SetRate{Base: "USD", Quote: "VES", Value: "40"}))
	apptest.Must(e.Svc.SetRate(ctx, "", app.SetRate{Base: "USD", Quote: "VES", Value: "59"}))
	_, err := e.Svc.SetRate(ctx, "", app.SetRate{Base: "USD", Quote: "VES", Value: "100"})
	wantCode(t, err, cambista.ECONFLICT)
}

// TestToggleThatChangesNothing: enabling what is enabled is refused, and
// leaves no audit event.
func TestToggleThatChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		ctx := e.As(boot)
		events := e.auditCount()
		_, err := e.Svc.SetCurrencyEnabled(ctx, "", app.Toggle{Code: "USD", Enabled: true})
		wantCode(t, err, cambista.ECONFLICT)
		_, err = e.Svc.SetCountryEnabled(ctx, "", app.Toggle{Code: "VE", Enabled: true})
		wantCode(t, err, cambista.ECONFLICT)
		if cambista.ErrorMessage(err).ID != cambista.MsgAlreadySo.ID || e.auditCount() != events {
			t.Fatalf("%v; %d audit events, want %d", err, e.auditCount(), events)
		}
	})
}

// TestDiscardDraft: a draft discarded is no longer a draft, the published
// version stays in use, and a rule without a draft has none to discard.
func TestDiscardDraft(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		ctx := e.As(boot)
		published := apptest.Must(e.Svc.Rules(ctx, cambista.RulePublished))[0]
		rl := published.Rule
		rl.ID, rl.Name = int64(published.Version.RuleID), "draft to drop"
		apptest.Must(e.Svc.SaveRule(ctx, "", rl))
		v := apptest.Must(e.Svc.DiscardDraft(ctx, "", published.Version.RuleID))
		if v.Status != cambista.RuleRetired || v.Name != "draft to drop" {
			t.Fatalf("discarded %+v", v)
		}
		if d := apptest.Must(e.Svc.Rules(ctx, cambista.RuleDraft)); len(d) != 0 {
			t.Fatalf("%d drafts left", len(d))
		}
		if p := apptest.Must(e.Svc.Rules(ctx, cambista.RulePublished)); len(p) != 2 {
			t.Fatalf("%d published rules, want the 2 still", len(p))
		}
		_, err := e.Svc.DiscardDraft(ctx, "", published.Version.RuleID)
		wantCode(t, err, cambista.ENOTFOUND)
	})
}
