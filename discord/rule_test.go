package discord_test

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
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
