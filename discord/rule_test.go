package discord_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestRuleCommissionAtomic: /rule commission saves and publishes in one
// step, so a publish that fails leaves no draft behind.
func TestRuleCommissionAtomic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s, "http")
		e := apptest.Business(t, s)
		w.member(apptest.Boot, discordgo.EnglishUS)
		ctx := e.As(apptest.Boot)
		// A published rule that no longer decodes makes every publish fail,
		// after the draft is saved.
		published := apptest.Must(e.Svc.Rules(ctx, cambista.RulePublished))
		if _, err := s.DB().Exec(`UPDATE rules SET definition = '{' WHERE id = $1`, published[0].Version.ID); err != nil {
			t.Fatal(err)
		}
		r := w.cmd(apptest.Boot, "rule", subcmd("commission", opt("percent", "2")))
		if strings.Contains(text(r), "2 %") {
			t.Fatalf("the commission was published over a broken rule set: %s", text(r))
		}
		if drafts := apptest.Must(e.Svc.Rules(ctx, cambista.RuleDraft)); len(drafts) != 0 {
			t.Fatalf("%d drafts left by a failed /rule commission", len(drafts))
		}
	})
}

// TestRuleCommissionReplaces: /rule commission over the same scope as a
// published commission retires it, says so, and the next quote charges the
// new percentage.
func TestRuleCommissionReplaces(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s, "gateway")
		e := w.e
		ctx := e.As(apptest.Boot)
		for _, c := range []app.AddCurrency{{Code: "USD", Exponent: 2, Name: "US dollar"}, {Code: "VES", Exponent: 2, Name: "Bolívar"}} {
			apptest.Must(e.Svc.AddCurrency(ctx, "", c))
		}
		apptest.Must(e.Svc.AddCountry(ctx, "", app.AddCountry{Code: "VE", Name: "Venezuela", Currency: "VES"}))
		apptest.Must(e.Svc.SetRate(ctx, "", app.SetRate{Base: "USD", Quote: "VES", Value: "40"}))
		e.User(apptest.Client)
		w.member(apptest.Boot, discordgo.EnglishUS)
		w.member(apptest.Client, discordgo.EnglishUS)

		first := text(w.cmd(apptest.Boot, "rule", subcmd("commission", opt("percent", "3"), opt("to_country", "VE"))))
		if strings.Contains(first, "replaces") {
			t.Fatalf("the first rule replaced something: %s", first)
		}
		published := apptest.Must(e.Svc.Rules(ctx, cambista.RulePublished))
		if len(published) != 1 {
			t.Fatalf("%d published rules, want 1", len(published))
		}
		old := published[0].Version
		second := text(w.cmd(apptest.Boot, "rule", subcmd("commission", opt("percent", "2.5"), opt("to_country", "VE"))))
		if want := fmt.Sprintf("replaces rule #%d (%s)", old.RuleID, old.Name); !strings.Contains(second, "2.5 %") || !strings.Contains(second, want) {
			t.Fatalf("reply %q: want the new rule and %q", second, want)
		}
		if published = apptest.Must(e.Svc.Rules(ctx, cambista.RulePublished)); len(published) != 1 || published[0].Version.RuleID == old.RuleID {
			t.Fatalf("published after the second command: %d rules, first #%d; want only the new one", len(published), published[0].Version.RuleID)
		}
		// Another scope is another rule: nothing is replaced.
		other := text(w.cmd(apptest.Boot, "rule", subcmd("commission", opt("percent", "4"), opt("to_country", "VE"), opt("user_type", "agent"))))
		if strings.Contains(other, "replaces") {
			t.Fatalf("a rule over other quotes replaced one: %s", other)
		}
		w.want(w.cmd(apptest.Client, "quote", opt("amount", "100"), opt("from", "USD"), opt("to", "VES")), "2.50 USD", "3,900.00 VES")
		// In Spanish, the percentage is written as Spanish writes numbers.
		w.fake.SetLocale(string(apptest.Boot), discordgo.SpanishES)
		w.want(w.cmd(apptest.Boot, "rule", subcmd("commission", opt("percent", "2,75"), opt("to_country", "VE"))), "(2,75 %)", "Reemplaza a la regla")
	})
}
