package discord_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestHistory: a client with a deposit and a dozen transfers — one sent
// through Discord and completed from the cashiers' card, one cancelled,
// the rest waiting — reads their latest ten with /transfer list (number,
// state in their language, amounts) and /statement: the account's
// opening and closing balances beside the transfers of the period, the
// latest ten in the message within Discord's limits, and every posting and
// transfer in the CSV file (date, sent, fee, rate, received, beneficiary,
// state). In both modes and both languages, with the books balanced.
func TestHistory(t *testing.T) {
	type lang struct {
		locale                                           discordgo.Locale
		latest, period, more, completed, pending, closed string
		sent, received, fee                              string
	}
	langs := map[string]lang{
		"es": {discordgo.SpanishLATAM, "Sus últimas transferencias", "Sus transferencias del período", "Las últimas 10 de 12",
			"completada", "pendiente", "cancelada", "100,00 USD", "3.880,00 VES", "Comisión 3,00 USD · tasa 40"},
		"en": {discordgo.EnglishUS, "Your latest transfers", "Your transfers in the period", "The latest 10 of 12",
			"completed", "pending", "cancelled", "100.00 USD", "3,880.00 VES", "Fee 3.00 USD · rate 40"},
	}
	eachModeAndLanguage(t, langs, func(t *testing.T, mode string, l lang) {
		storetest.Each(t, func(t *testing.T, s *store.Store) {
			w := newWorld(t, s, mode)
			_, client, cashier := w.cashierDesk(l.locale)
			w.cmd(cashier, "batch", subcmd("open", opt("from", "USD"), opt("to", "VES"), opt("capital", "10000"), opt("cost_rate", "41")))
			w.e.Fund(client, "USD", "50")

			// One sent and completed through Discord.
			send := customIDs(w.cmd(client, "send", opt("amount", "100"), opt("from", "USD"), opt("to", "VES")).Data.Components)
			b := apptest.Beneficiary
			w.submit(client, send[0], map[string]string{"name": b.Name, "bank": b.Bank, "number": b.AccountNumber, "document": b.DocumentID})
			w.deliver()
			card := w.transferCards()[0]
			done := customIDs(w.click(cashier, cashierChannel, card.ID, customIDs(card.Components)[0]).Data.Components)
			w.submit(cashier, done[0], map[string]string{"reference": "REF-1", "proof": ""})
			// One cancelled, ten waiting.
			cancelled := w.e.Send(client, "20")
			w.cmd(client, "transfer", subcmd("cancel", opt("id", int64(cancelled.ID))))
			w.want(w.cmd(client, "transfer", subcmd("list")), l.latest, l.completed, l.closed, l.sent, l.received, l.fee, b.Name)
			for i := range 10 {
				w.e.Send(client, fmt.Sprint(10+i))
			}

			r := w.cmd(client, "transfer", subcmd("list"))
			w.want(r, l.latest, l.pending)
			if e := r.Data.Embeds[0]; len(e.Fields) != 10 || r.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
				t.Fatalf("/transfer list answered %d fields: %+v", len(e.Fields), e)
			}
			if got := text(r); strings.Contains(got, l.closed) || strings.Contains(got, fmt.Sprintf("#%d ·", cancelled.ID)) {
				t.Fatalf("/transfer list shows more than the latest ten:\n%s", got)
			}

			embeds, file := w.fileReply(client, "statement-USD.csv", "statement", opt("currency", "USD"))
			if len(embeds) != 2 || embeds[1].Title != l.period || embeds[1].Footer == nil || !strings.HasPrefix(embeds[1].Footer.Text, l.more) {
				t.Fatalf("the statement's message: %+v", embeds)
			}
			if n := len(embeds[1].Fields); n != 10 {
				t.Fatalf("the statement lists %d transfers, want the latest 10", n)
			}
			rows, err := csv.NewReader(strings.NewReader(string(file))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			var transfers [][]string
			for _, row := range rows {
				if row[7] == "transfer" {
					transfers = append(transfers, row)
				}
			}
			first := transfers[0]
			if len(transfers) != 12 || first[9] != "completed" || first[10] != "100.00" || first[11] != "3.00" || first[12] != "40" ||
				first[13] != "3880.00" || first[14] != "VES" || first[15] != b.Name || transfers[1][9] != "cancelled" {
				t.Fatalf("the file's transfers: %q", transfers)
			}
			if rows[1][2] != "opening balance" || !strings.Contains(string(file), "closing balance,,,50.00,USD") {
				t.Fatalf("the file's postings:\n%s", file)
			}

			// A period after them all: the balances, and no transfer.
			after := time.Now().UTC().Add(24 * time.Hour).Format("2006-01-02")
			if embeds, _ = w.fileReply(client, "statement-USD.csv", "statement", opt("currency", "USD"), opt("start", after)); len(embeds) != 2 || len(embeds[1].Fields) != 0 {
				t.Fatalf("a period with no transfer: %+v", embeds[1])
			}
			booksHold(t, w)
		})
	})
}

// fileReply runs a command whose answer carries the file, and waits for
// that message: the answer itself in gateway mode, a follow-up in http
// mode, where the endpoint's "thinking…" is handed to the fake as Discord
// takes it, the interaction's callback, before which it refuses
// follow-ups. It returns the message's embeds and the file.
func (w *world) fileReply(user cambista.UserID, name, command string, opts ...*discordgo.ApplicationCommandInteractionDataOption) ([]*discordgo.MessageEmbed, []byte) {
	w.t.Helper()
	after := len(w.fake.Calls())
	i := w.fake.Command(string(user), generalChannel, discordgo.ApplicationCommandInteractionData{Name: command, Options: opts})
	if r := w.answer(i); w.mode == "http" {
		if err := w.dg.InteractionRespond(i, r); err != nil {
			w.t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var embeds []*discordgo.MessageEmbed
	var data []byte
	err := w.fake.Wait(ctx, func() bool {
		for _, c := range w.fake.Calls()[after:] {
			if c.Status >= 300 {
				continue // refused: the answer is sent again
			}
			for _, f := range c.Files {
				if f.Name != name {
					continue
				}
				// A callback wraps the message in data; a follow-up is it.
				var body struct {
					Data   *struct{ Embeds []*discordgo.MessageEmbed } `json:"data"`
					Embeds []*discordgo.MessageEmbed                   `json:"embeds"`
				}
				if err := json.Unmarshal(c.Body, &body); err != nil {
					w.t.Fatal(err)
				}
				embeds, data = body.Embeds, f.Data
				if body.Data != nil {
					embeds = body.Data.Embeds
				}
				return true
			}
		}
		return false
	})
	if err != nil {
		w.t.Fatalf("no file %s was sent", name)
	}
	return embeds, data
}
