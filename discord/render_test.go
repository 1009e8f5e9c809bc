package discord

import (
	"encoding/csv"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/money"
)

var (
	usd = money.Currency{Code: "USD", Exponent: 2}
	ves = money.Currency{Code: "VES", Exponent: 2}
)

func TestWords(t *testing.T) {
	if err := i18n.Check(words); err != nil {
		t.Error(err)
	}
}

func buttons(c Card) []string {
	var out []string
	for _, r := range c.Components {
		for _, b := range r.(discordgo.ActionsRow).Components {
			out = append(out, b.(discordgo.Button).CustomID)
		}
	}
	return out
}

func TestTransferCardButtonsFollowTheState(t *testing.T) {
	tr := &cambista.Transfer{ID: 7, ClientID: "30", Send: money.New(10000, usd), Receive: money.New(388000, ves)}
	for _, tc := range []struct {
		status cambista.TransferStatus
		want   []string
	}{
		{cambista.TransferPending, []string{"take:7"}},
		{cambista.TransferTaken, []string{"done:7", "tr-free:7", "tr-no:7"}},
		{cambista.TransferCompleted, nil},
		{cambista.TransferRejected, nil},
	} {
		tr.Status = tc.status
		if got := buttons(TransferCard(i18n.EN, tr)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: buttons %v, want %v", tc.status, got, tc.want)
		}
	}
}

func TestCardsSpeakTheReadersLanguage(t *testing.T) {
	tr := &cambista.Transfer{ID: 7, ClientID: "30", Status: cambista.TransferPending, Send: money.New(123456, usd), Receive: money.New(4938240, ves)}
	es := TransferCard(i18n.ES, tr).Embeds[0]
	en := TransferCard(i18n.EN, tr).Embeds[0]
	if es.Title != "Transferencia #7" || en.Title != "Transfer #7" {
		t.Fatalf("titles %q / %q", es.Title, en.Title)
	}
	if es.Fields[1].Value != "1.234,56 USD" || en.Fields[1].Value != "1,234.56 USD" {
		t.Fatalf("amounts %q / %q", es.Fields[1].Value, en.Fields[1].Value)
	}
	if es.Fields[3].Value != "pendiente" {
		t.Fatalf("status %q", es.Fields[3].Value)
	}
}

func TestStatementCSV(t *testing.T) {
	st := &app.Statement{Currency: usd, Opening: money.New(0, usd), Closing: money.New(100, usd),
		Lines: []app.Line{{StatementLine: cambista.StatementLine{ID: 3, Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Description: cambista.TransferEntry(1), RefType: "transfer", RefID: 1,
			Minor: 100, Counter: "house:bonuses:USD"},
			Amount: money.New(100, usd), Balance: money.New(100, usd)}}}
	b, err := StatementCSV(st)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[2][4] != "1.00" || rows[2][5] != "1.00" || rows[3][5] != "1.00" || rows[2][1] != "2026-01-02 03:04:05" || rows[2][2] != "transfer 1" || rows[2][7] != "bonus" {
		t.Fatalf("rows %v", rows)
	}
}

// TestQueueCardRender: a queue card shows a line per transfer (ID, pair,
// countries, client, amounts, state) in the reader's language, a menu of
// those still pending, taken ones with their cashier, finished ones struck
// through; no menu once none is pending; at most QueueMax transfers.
func TestQueueCardRender(t *testing.T) {
	tr := func(id cambista.ID, st cambista.TransferStatus, cashier cambista.UserID) *cambista.Transfer {
		return &cambista.Transfer{ID: id, ClientID: "30", Status: st, CashierID: cashier, FromCountry: "US", ToCountry: "VE",
			Send: money.New(123456, usd), Receive: money.New(4938240, ves)}
	}
	ts := []*cambista.Transfer{tr(7, cambista.TransferPending, ""), tr(8, cambista.TransferTaken, "40"), tr(9, cambista.TransferCompleted, "40"), tr(10, cambista.TransferPending, "")}
	for _, tc := range []struct {
		lang                       i18n.Lang
		title, name, line, taken   string
		placeholder, label, option string
	}{
		{i18n.ES, "Transferencias en espera", "Transferencia #7 · USD/VES · US → VE", "<@30> · 1.234,56 USD → 49.382,40 VES",
			"tomada por <@40>", "Tomar una transferencia", "#7 · 1.234,56 USD → 49.382,40 VES", "USD/VES · US → VE"},
		{i18n.EN, "Transfers waiting", "Transfer #7 · USD/VES · US → VE", "<@30> · 1,234.56 USD → 49,382.40 VES",
			"taken by <@40>", "Take a transfer", "#7 · 1,234.56 USD → 49,382.40 VES", "USD/VES · US → VE"},
	} {
		c := QueueCard(tc.lang, ts)
		if len(c.Embeds) != 1 {
			t.Fatalf("%s: %d embeds, want 1", tc.lang, len(c.Embeds))
		}
		e := c.Embeds[0]
		if e.Title != tc.title || len(e.Fields) != 4 {
			t.Fatalf("%s: title %q with %d fields", tc.lang, e.Title, len(e.Fields))
		}
		if f := e.Fields[0]; f.Name != tc.name || !strings.HasPrefix(f.Value, tc.line+"\n") {
			t.Errorf("%s: pending line %q: %q", tc.lang, f.Name, f.Value)
		}
		if f := e.Fields[1]; !strings.Contains(strings.ToLower(f.Value), tc.taken) || strings.Contains(f.Value, "~~") {
			t.Errorf("%s: taken line %q", tc.lang, f.Value)
		}
		if f := e.Fields[2]; !strings.HasPrefix(f.Value, "~~"+tc.line+"~~") {
			t.Errorf("%s: completed line %q, want it struck", tc.lang, f.Value)
		}
		menu := c.Components[0].(discordgo.ActionsRow).Components[0].(discordgo.SelectMenu)
		if menu.CustomID != "pick" || menu.MenuType != discordgo.StringSelectMenu || menu.Placeholder != tc.placeholder || len(menu.Options) != 2 {
			t.Fatalf("%s: menu %+v", tc.lang, menu)
		}
		if o := menu.Options[0]; o.Value != "7" || o.Label != tc.label || o.Description != tc.option || menu.Options[1].Value != "10" {
			t.Errorf("%s: options %+v", tc.lang, menu.Options)
		}
		if _, _, err := parseCustomID(menu.CustomID); err != nil {
			t.Error(err)
		}
	}
	done := QueueCard(i18n.EN, []*cambista.Transfer{tr(8, cambista.TransferTaken, "40"), tr(9, cambista.TransferRejected, "40")})
	if done.Components != nil {
		t.Errorf("no transfer pending, yet a menu: %+v", done.Components)
	}
	var many []*cambista.Transfer
	for i := range QueueMax + 3 {
		many = append(many, tr(cambista.ID(i+1), cambista.TransferPending, ""))
	}
	c := QueueCard(i18n.EN, many)
	if n, m := len(c.Embeds[0].Fields), len(c.Components[0].(discordgo.ActionsRow).Components[0].(discordgo.SelectMenu).Options); n != QueueMax || m != QueueMax {
		t.Errorf("%d lines and %d options, want %d", n, m, QueueMax)
	}
}
