package discord_test

import (
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestRateSetAsksConfirmation: /rate set with a rate far from the current
// one shows both and the change, and sets nothing until run again with
// confirm: True.
func TestRateSetAsksConfirmation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s, "gateway")
		boot := apptest.Boot
		w.member(boot, discordgo.EnglishUS)
		ctx := w.e.As(boot)
		for _, c := range []app.AddCurrency{{Code: "USD", Exponent: 2, Name: "US dollar"}, {Code: "VES", Exponent: 2, Name: "Bolívar"}} {
			apptest.Must(w.e.Svc.AddCurrency(ctx, "", c))
		}
		apptest.Must(w.e.Svc.SetRate(ctx, "", app.SetRate{Base: "USD", Quote: "VES", Value: "41.25"}))
		w.want(w.cmd(boot, "rate", subcmd("set", opt("from", "USD"), opt("to", "VES"), opt("rate", "412.5"))),
			"41.25", "412.5", "900 %", "confirm: True")
		if r := apptest.Must(w.e.Svc.CurrentRate(ctx, "USD", "VES")); r.Value.String() != "41.25" {
			t.Fatalf("the rate changed without confirmation: %s", r.Value)
		}
		w.want(w.cmd(boot, "rate", subcmd("set", opt("from", "USD"), opt("to", "VES"), opt("rate", "412.5"), opt("confirm", true))), "412.5")
		if r := apptest.Must(w.e.Svc.CurrentRate(ctx, "USD", "VES")); r.Value.String() != "412.5" {
			t.Fatalf("the confirmed rate was not set: %s", r.Value)
		}
	})
}
