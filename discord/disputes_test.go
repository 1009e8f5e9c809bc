package discord_test

import (
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestDisputes: a client disputes their completed transfer with
// /dispute open; a second dispute of it, one by another member and one
// after the configured days are refused in the reader's language. The
// admin channel gets the dispute's card and one thread on it, where the
// cashier is called in. A superuser rejects one dispute (the client is
// told why) and resolves another by refunding to the balance; the books
// balance and the audit chain holds.
func TestDisputes(t *testing.T) {
	type lang struct {
		locale                                                     discordgo.Locale
		opened, twice, notYours, late, rejected, refunded, daysSet string
	}
	langs := map[string]lang{
		"es": {discordgo.SpanishLATAM, "abierta", "ya está en disputa", "no es suya", "ya no se puede disputar", "rechazada", "reembolsada", "hasta 2 días"},
		"en": {discordgo.EnglishUS, "opened", "disputed already", "is not yours", "can no longer be disputed", "rejected", "refunded", "up to 2 days"},
	}
	eachModeAndLanguage(t, langs, func(t *testing.T, mode string, l lang) {
		storetest.EachOnClock(t, time.Now(), func(t *testing.T, s *store.Store, clock *storetest.Clock) {
			w := newWorld(t, s, mode)
			e := apptest.Business(t, s)
			boot, client, cashier, agent := apptest.Boot, apptest.Client, apptest.Cashier, apptest.Agent
			for _, u := range []cambista.UserID{boot, client, cashier, agent} {
				w.member(u, l.locale)
			}
			w.cmd(boot, "config", subcmd("channel", opt("kind", "admin"), opt("channel", adminChannel)))
			e.Account(client, "USD")
			apptest.Must(e.Svc.OpenBatch(e.As(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "10000", CostRate: "41"}))
			var done []*cambista.Transfer
			for _, amount := range []string{"100", "50", "20"} {
				tr := e.Send(client, amount)
				apptest.Must(e.Svc.TakeTransfer(e.As(cashier), "", tr.ID))
				done = append(done, apptest.Must(e.Svc.CompleteTransfer(e.As(cashier), "", app.Complete{ID: tr.ID, Reference: "R"})))
			}
			dispute := func(who cambista.UserID, tr *cambista.Transfer) *discordgo.InteractionResponse {
				return w.cmd(who, "dispute", subcmd("open", opt("id", int64(tr.ID)), opt("reason", "the beneficiary got nothing")))
			}

			w.want(dispute(client, done[0]), l.opened)
			w.want(dispute(client, done[0]), l.twice)
			w.want(dispute(agent, done[1]), l.notYours)
			w.deliver()
			w.deliver()                     // nothing is left: the thread is not opened again
			var cards []discordtest.Message // the account's card is there too
			for _, m := range w.cards(adminChannel) {
				if len(m.Embeds) > 0 && strings.HasPrefix(m.Embeds[0].Title, "Disputa #") {
					cards = append(cards, m)
				}
			}
			threads := w.fake.Threads(adminChannel)
			if len(cards) != 1 || len(threads) != 1 || threads[0].ID != cards[0].ID {
				t.Fatalf("%d cards and threads %+v in the admin channel, want one of each", len(cards), threads)
			}
			call := w.fake.Messages(threads[0].ID)
			if len(call) != 1 || !strings.Contains(call[0].Content, "<@"+string(cashier)+">") {
				t.Fatalf("the thread says %+v", call)
			}

			resolve := func(who cambista.UserID, id int64, outcome, reason string, more ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.InteractionResponse {
				opts := append([]*discordgo.ApplicationCommandInteractionDataOption{opt("id", id), opt("outcome", outcome), opt("reason", reason)}, more...)
				return w.cmd(who, "dispute", subcmd("resolve", opts...))
			}
			w.want(resolve(client, 1, "rejected", "no"), "")
			if got := apptest.Must(e.Svc.Dispute(e.As(boot), 1)); got.Status != cambista.DisputeOpened {
				t.Fatalf("a client resolved their own dispute: %s", got.Status)
			}
			w.want(resolve(boot, 1, "rejected", "the bank confirms the payout"), l.rejected)
			w.want(dispute(client, done[1]), l.opened)
			w.want(resolve(boot, 2, "refunded", "paid to the wrong account", opt("to_balance", true)), l.refunded)
			if views := apptest.Must(e.Svc.Accounts(e.As(client), "")); views[0].Balance.String() != "50.00 USD" {
				t.Fatalf("the client holds %s, want the 50.00 USD refunded", views[0].Balance)
			}

			w.want(w.cmd(boot, "config", subcmd("disputes", opt("days", 2))), l.daysSet)
			clock.Add(3 * 24 * time.Hour)
			w.want(dispute(client, done[2]), l.late)
			w.deliver()

			dms := strings.Join(w.dms(client), "\n")
			for _, want := range []string{"disputa #1", "disputa #2", "the bank confirms the payout", "reembolso #"} {
				if !strings.Contains(dms, want) {
					t.Fatalf("the client's DMs lack %q:\n%s", want, dms)
				}
			}
			if got := len(w.fake.Threads(adminChannel)); got != 2 {
				t.Fatalf("%d threads, want one per dispute", got)
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
