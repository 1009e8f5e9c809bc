package discord_test

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestDepositsEndToEnd: a client declares a deposit with /deposit and a
// proof attached; the cashiers' channel gets its card; a client cannot
// confirm it, a cashier can, and the money shows in the balance; another
// is rejected with a reason through the form; a bad amount is refused in
// the client's language. In both modes and both languages, with DMs at
// each step and the books balanced.
func TestDepositsEndToEnd(t *testing.T) {
	type lang struct {
		locale                                  discordgo.Locale
		declared, balance, badAmount, forbidden string
	}
	langs := map[string]lang{
		"es": {discordgo.SpanishLATAM, "Depósito #", "250,00 USD", "no es un monto", "No tiene permiso"},
		"en": {discordgo.EnglishUS, "Deposit #", "250.00 USD", "is not an amount", "not allowed"},
	}
	const proof = "https://cdn.discordapp.com/attachments/5003/77/receipt.png"
	eachModeAndLanguage(t, langs, func(t *testing.T, mode string, l lang) {
		storetest.Each(t, func(t *testing.T, s *store.Store) {
			w := newWorld(t, s, mode)
			_, client, cashier := w.cashierDesk(l.locale)
			w.e.Account(client, "USD")

			deposit := func(amount string, withProof bool) *discordgo.InteractionResponse {
				data := discordgo.ApplicationCommandInteractionData{Name: "deposit", Options: []*discordgo.ApplicationCommandInteractionDataOption{
					opt("amount", amount), opt("currency", "USD"), opt("method", "Zelle")}}
				if withProof {
					data.Options = append(data.Options, &discordgo.ApplicationCommandInteractionDataOption{Name: "proof", Type: discordgo.ApplicationCommandOptionAttachment, Value: "77"})
					data.Resolved = &discordgo.ApplicationCommandInteractionDataResolved{Attachments: map[string]*discordgo.MessageAttachment{
						"77": {ID: "77", URL: proof, Filename: "receipt.png"}}}
				}
				return w.answer(w.fake.Command(string(client), generalChannel, data))
			}

			w.want(deposit("12a", false), l.badAmount)
			w.want(deposit("250", true), l.declared, l.balance)
			w.deliver()
			card := w.lastCard(cashierChannel)
			if got := messageText(card); !strings.Contains(got, proof) || !strings.Contains(got, "Zelle") {
				t.Fatalf("the cashiers' card lacks the proof or the method:\n%s", got)
			}
			ids := customIDs(card.Components)
			if len(ids) != 2 || !strings.HasPrefix(ids[0], "dep-ok:") {
				t.Fatalf("deposit card buttons %v", ids)
			}
			w.want(w.click(client, cashierChannel, card.ID, ids[0]), l.forbidden)
			r := w.click(cashier, cashierChannel, card.ID, ids[0])
			if r.Type != discordgo.InteractionResponseUpdateMessage || len(customIDs(r.Data.Components)) != 0 {
				t.Fatalf("confirmation answered %+v", r)
			}
			// A second click on the stale card changes nothing.
			w.click(cashier, cashierChannel, card.ID, ids[0])
			w.want(w.cmd(client, "balance"), l.balance)

			// Another, rejected with a reason.
			w.want(deposit("10", false), l.declared)
			w.deliver()
			card = w.lastCard(cashierChannel)
			reject := customIDs(card.Components)[1]
			if r = w.click(cashier, cashierChannel, card.ID, reject); r.Type != discordgo.InteractionResponseModal {
				t.Fatalf("reject answered %+v", r)
			}
			w.want(w.submit(cashier, reject, map[string]string{"reason": "nothing arrived"}), "nothing arrived")
			w.deliver()

			var credited int64
			err := w.e.Store.View(system(), func(tx app.Tx) error {
				b, err := tx.Balance(system(), ledger.User(client, "USD"))
				credited = b.Minor
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if credited != 25000 {
				t.Fatalf("the client holds %d, want 250.00 USD", credited)
			}
			var dms []string
			for _, m := range w.dms(client) {
				if strings.Contains(m, "depósito #") { // the client registered in Spanish
					dms = append(dms, m)
				}
			}
			if len(dms) != 4 { // declared, confirmed, declared, rejected
				t.Fatalf("the client got %d DMs, want 4: %q", len(dms), dms)
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

// TestPayFromBalanceEndToEnd: /send offers to pay from the balance when
// the client has the amount available; the transfer made so shows it in
// the cashiers' card and its completion takes the amount from the
// balance; a stale offer, when the money has been held meanwhile, is
// refused in the client's language and makes nothing.
func TestPayFromBalanceEndToEnd(t *testing.T) {
	type lang struct {
		locale                   discordgo.Locale
		created, left, shortWord string
	}
	langs := map[string]lang{
		"es": {discordgo.SpanishLATAM, "Transferencia #", "40,00 USD", "No hay suficiente disponible"},
		"en": {discordgo.EnglishUS, "Transfer #", "40.00 USD", "Not enough available"},
	}
	eachModeAndLanguage(t, langs, func(t *testing.T, mode string, l lang) {
		storetest.Each(t, func(t *testing.T, s *store.Store) {
			w := newWorld(t, s, mode)
			_, client, cashier := w.cashierDesk(l.locale)
			w.cmd(cashier, "batch", subcmd("open", opt("from", "USD"), opt("to", "VES"), opt("capital", "10000"), opt("cost_rate", "41")))
			w.e.Fund(client, "USD", "100")
			b := apptest.Beneficiary
			form := map[string]string{"name": b.Name, "bank": b.Bank, "number": b.AccountNumber, "document": b.DocumentID}

			r := w.cmd(client, "send", opt("amount", "60"), opt("from", "USD"), opt("to", "VES"))
			ids := customIDs(r.Data.Components)
			if len(ids) != 2 || !strings.HasPrefix(ids[1], "send-bal:") {
				t.Fatalf("/send with money in the balance offers %v", ids)
			}
			if r = w.click(client, generalChannel, "", ids[1]); r.Type != discordgo.InteractionResponseModal {
				t.Fatalf("pay from balance answered %+v", r)
			}
			w.want(w.submit(client, ids[1], form), l.created)
			w.deliver()
			cards := w.transferCards()
			card := cards[len(cards)-1]
			if !strings.Contains(card.Embeds[0].Description, "💳") {
				t.Fatalf("the cashiers' card does not say it is paid from the balance: %+v", card.Embeds[0])
			}
			take := customIDs(card.Components)[0]
			done := customIDs(w.click(cashier, cashierChannel, card.ID, take).Data.Components)
			w.submit(cashier, done[0], map[string]string{"reference": "REF-9", "proof": ""})
			w.want(w.cmd(client, "balance"), l.left)

			// 40.00 left: an offer for 40, then 10 of it held by a
			// withdrawal, then the stale offer taken up.
			if ids = customIDs(w.cmd(client, "send", opt("amount", "60"), opt("from", "USD"), opt("to", "VES")).Data.Components); len(ids) != 1 {
				t.Fatalf("/send beyond the balance offers %v", ids)
			}
			ids = customIDs(w.cmd(client, "send", opt("amount", "40"), opt("from", "USD"), opt("to", "VES")).Data.Components)
			if len(ids) != 2 {
				t.Fatalf("/send within the balance offers %v", ids)
			}
			w.cmd(client, "withdraw", opt("amount", "10"), opt("currency", "USD"))
			w.want(w.submit(client, ids[1], form), l.shortWord)
			w.deliver()
			if n := len(w.transferCards()); n != 1 {
				t.Fatalf("%d transfer cards, want only the first", n)
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

// transferCards are the cards of transfers in the cashiers' channel, where
// deposits have theirs too (in the channel's language, Spanish).
func (w *world) transferCards() []discordtest.Message {
	var out []discordtest.Message
	for _, m := range w.cards(cashierChannel) {
		if len(m.Embeds) > 0 && strings.HasPrefix(m.Embeds[0].Title, "Transferencia #") {
			out = append(out, m)
		}
	}
	return out
}
