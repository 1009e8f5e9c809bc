package discord_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestQueueCard: new transfers waiting together reach the cashier channel
// as one message with a menu; picking one takes it and answers with its
// card and buttons for the cashier alone (again on a second pick, and in
// /transfer status); a second cashier's pick is refused and changes
// nothing; completing it from that card edits the shared message, which
// strikes it through and drops it from the menu.
func TestQueueCard(t *testing.T) {
	for _, mode := range []string{"gateway", "http"} {
		for _, lang := range []string{"es", "en"} {
			t.Run(mode+"/"+lang, func(t *testing.T) {
				storetest.Each(t, func(t *testing.T, s *store.Store) { queueCard(t, newWorld(t, s, mode), languages[lang]) })
			})
		}
	}
}

func queueCard(t *testing.T, w *world, l words) {
	e := apptest.Business(t, w.e.Store)
	boot, client, cashier, other := apptest.Boot, apptest.Client, apptest.Cashier, apptest.Other
	w.member(boot, discordgo.EnglishUS)
	for _, u := range []cambista.UserID{client, cashier, other} {
		w.member(u, l.locale)
	}
	w.cmd(boot, "config", subcmd("channel", opt("kind", "cashier"), opt("channel", cashierChannel)))
	for _, c := range []cambista.UserID{cashier, other} {
		apptest.Must(e.Svc.OpenBatch(e.As(c), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "10000", CostRate: "41"}))
	}
	var ids []string
	for _, amount := range []string{"100", "50", "20"} {
		ids = append(ids, fmt.Sprint(e.Send(client, amount).ID))
	}
	w.deliver()
	cards := w.cards(cashierChannel)
	if len(cards) != 1 {
		t.Fatalf("%d messages in the cashier channel for 3 new transfers, want one queue card", len(cards))
	}
	card := cards[0]
	if got := options(card.Components); !slices.Equal(got, ids) {
		t.Fatalf("the queue card's menu offers %v, want %v", got, ids)
	}
	if text := messageText(card); !strings.Contains(text, "Transferencias en espera") || !strings.Contains(text, "#"+ids[2]) {
		t.Fatalf("the queue card reads:\n%s", text)
	}

	// The pick answers with the transfer's card, for the cashier alone.
	first := ids[0]
	working := func(r *discordgo.InteractionResponse) {
		t.Helper()
		if r.Type != discordgo.InteractionResponseChannelMessageWithSource || r.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
			t.Fatalf("the pick answered %+v, want a reply only the cashier sees", r)
		}
		w.want(r, l.created+first)
		if got := customIDs(r.Data.Components); !slices.Equal(got, []string{"done:" + first, "tr-free:" + first, "tr-no:" + first}) {
			t.Fatalf("the working card's buttons %v", got)
		}
	}
	working(w.click(cashier, cashierChannel, card.ID, "pick", first))
	working(w.click(cashier, cashierChannel, card.ID, "pick", first)) // held already: the same card
	taken := map[string]string{"es": "la tomó otro cajero", "en": "was taken by another cashier"}[langOf(l)]
	w.want(w.click(other, cashierChannel, card.ID, "pick", first), taken)
	tr := apptest.Must(e.Svc.Transfer(e.As(boot), cambista.ID(idOf(first))))
	if tr.Status != cambista.TransferTaken || tr.CashierID != cashier {
		t.Fatalf("after the refused pick the transfer is %s by %s", tr.Status, tr.CashierID)
	}
	status := func(who cambista.UserID) []string {
		return customIDs(w.cmd(who, "transfer", subcmd("status", opt("id", idOf(first)))).Data.Components)
	}
	if got := status(cashier); len(got) != 3 {
		t.Fatalf("/transfer status shows its holder the buttons %v", got)
	}
	if got := status(boot); len(got) != 0 {
		t.Fatalf("/transfer status shows others the buttons %v", got)
	}

	// Completed from the working card; the take and the completion edit
	// the shared message once.
	if r := w.click(cashier, cashierChannel, "", "done:"+first); r.Type != discordgo.InteractionResponseModal {
		t.Fatalf("complete answered %+v", r)
	}
	if r := w.submit(cashier, "done:"+first, map[string]string{"reference": "REF-Q", "proof": ""}); len(customIDs(r.Data.Components)) != 0 {
		t.Fatalf("completion answered %+v", r)
	}
	w.deliver()
	if n := len(w.cards(cashierChannel)); n != 1 {
		t.Fatalf("%d messages in the cashier channel, want the queue card edited in place", n)
	}
	if n := len(w.fake.CallsTo("PATCH", "/channels/"+cashierChannel+"/messages/"+card.ID)); n != 1 {
		t.Fatalf("%d edits of the queue card, want one for the take and the completion waiting together", n)
	}
	card = w.cards(cashierChannel)[0]
	if got := options(card.Components); !slices.Equal(got, ids[1:]) {
		t.Fatalf("after the completion the menu offers %v, want %v", got, ids[1:])
	}
	if text := messageText(card); !strings.Contains(text, "~~") || !strings.Contains(text, "<@"+string(cashier)+">") {
		t.Fatalf("the completed transfer is not struck through with its cashier:\n%s", text)
	}
}

// idOf reads a transfer ID.
func idOf(id string) int64 {
	var n int64
	fmt.Sscan(id, &n)
	return n
}

// options returns the values of the select menus' options.
func options(comps []discordgo.MessageComponent) []string {
	var out []string
	for _, c := range comps {
		var row discordgo.ActionsRow
		switch r := c.(type) {
		case *discordgo.ActionsRow:
			row = *r
		case discordgo.ActionsRow:
			row = r
		}
		for _, x := range row.Components {
			var menu discordgo.SelectMenu
			switch m := x.(type) {
			case *discordgo.SelectMenu:
				menu = *m
			case discordgo.SelectMenu:
				menu = m
			}
			for _, o := range menu.Options {
				out = append(out, o.Value)
			}
		}
	}
	return out
}
