package discord_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/shopspring/decimal"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestRefundsEndToEnd: a superuser refunds part of a completed transfer
// to the client's balance with /refund; a client may not; an amount
// beyond what is left is refused in the reader's language; a reversal
// above the limit waits in the admin channel for a second superuser,
// who approves it with the card's button; the client gets DMs, and the
// books balance.
func TestRefundsEndToEnd(t *testing.T) {
	type lang struct {
		locale                            discordgo.Locale
		posted, tooMuch, forbidden, other string
	}
	langs := map[string]lang{
		"es": {discordgo.SpanishLATAM, "asentado", "como máximo 90,00 USD", "No tiene permiso", "distinto del que lo pidió"},
		"en": {discordgo.EnglishUS, "posted", "At most 90.00 USD", "not allowed", "other than the one who asked"},
	}
	eachModeAndLanguage(t, langs, func(t *testing.T, mode string, l lang) {
		storetest.Each(t, func(t *testing.T, s *store.Store) {
			cfg := app.Config{RefundTwoSuperusersAbove: map[string]decimal.Decimal{"USD": decimal.NewFromInt(50)}}
			w := newWorldWith(t, s, mode, cfg)
			e := apptest.BusinessWith(t, s, cfg)
			boot, client, second := apptest.Boot, apptest.Client, cambista.UserID("2")
			e.User(second, cambista.RoleSuperuser)
			for _, u := range []cambista.UserID{boot, client, second} {
				w.member(u, l.locale)
			}
			w.cmd(boot, "config", subcmd("channel", opt("kind", "admin"), opt("channel", adminChannel)))
			e.Account(client, "USD")
			apptest.Must(e.Svc.OpenBatch(e.As(apptest.Cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))
			tr := e.Send(client, "100")
			apptest.Must(e.Svc.TakeTransfer(e.As(apptest.Cashier), "", tr.ID))
			apptest.Must(e.Svc.CompleteTransfer(e.As(apptest.Cashier), "", app.Complete{ID: tr.ID, Reference: "R"}))
			id := int64(tr.ID)

			w.want(w.cmd(client, "refund", opt("id", id), opt("amount", "10"), opt("reason", "overcharged"), opt("to_balance", true)), l.forbidden)
			w.want(w.cmd(boot, "refund", opt("id", id), opt("amount", "10"), opt("reason", "overcharged"), opt("to_balance", true)), l.posted)
			w.want(w.cmd(boot, "refund", opt("id", id), opt("amount", "95"), opt("reason", "again"), opt("to_balance", true)), l.tooMuch)

			w.cmd(boot, "reverse", opt("id", id), opt("reason", "wrong beneficiary"), opt("to_balance", true))
			w.deliver()
			// The admin channel has the first refund's card too, in
			// whatever order the two were delivered.
			var card discordtest.Message
			for _, m := range w.cards(adminChannel) {
				if len(m.Embeds) > 0 && strings.HasPrefix(m.Embeds[0].Title, "Reembolso #2") {
					card = m
				}
			}
			ids := customIDs(card.Components)
			if len(ids) != 2 || !strings.HasPrefix(ids[0], "ref-ok:") {
				t.Fatalf("the waiting reversal's card offers %v", ids)
			}
			w.want(w.click(boot, adminChannel, card.ID, ids[0]), l.other)
			r := w.click(second, adminChannel, card.ID, ids[0])
			if r.Type != discordgo.InteractionResponseUpdateMessage || len(customIDs(r.Data.Components)) != 0 {
				t.Fatalf("the approval answered %+v", r)
			}
			w.deliver()
			if got := apptest.Must(e.Svc.Transfer(e.As(boot), tr.ID)); got.Status != cambista.TransferReversed {
				t.Fatalf("the transfer is %s", got.Status)
			}
			views := apptest.Must(e.Svc.Accounts(e.As(client), ""))
			if views[0].Balance.String() != "100.00 USD" {
				t.Fatalf("the client holds %s, want all 100.00 USD back", views[0].Balance)
			}
			dms := strings.Join(w.dms(client), "\n")
			for _, want := range []string{fmt.Sprintf("#%d", tr.ID), "reembolso #"} {
				if !strings.Contains(dms, want) {
					t.Fatalf("the client's DMs lack %q:\n%s", want, dms)
				}
			}
			if v, err := app.CheckLedger(system(), w.e.Store); err != nil || len(v) != 0 {
				t.Fatalf("ledger: %v %v", v, err)
			}
			if _, err := app.VerifyAudit(system(), w.e.Store); err != nil {
				t.Fatal(err)
			}
		})
	})
}
