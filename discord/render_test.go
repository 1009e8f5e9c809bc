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

// TestStatementCSV: one table, the postings between the opening and
// closing balances and then the transfers, oldest first, with the columns
// only they fill; a name that a spreadsheet would run as a formula stays
// text. Without an account, the transfers alone.
func TestStatementCSV(t *testing.T) {
	st := &app.Statement{Currency: usd, Opening: money.New(0, usd), Closing: money.New(100, usd),
		Lines: []app.Line{{StatementLine: cambista.StatementLine{ID: 3, Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Description: cambista.TransferEntry(1), RefType: "transfer", RefID: 1,
			Minor: 100, Counter: "house:bonuses:USD"},
			Amount: money.New(100, usd), Balance: money.New(100, usd)}}}
	rate, err := money.ParseRate("40.5")
	if err != nil {
		t.Fatal(err)
	}
	transfer := func(id cambista.ID, name string) app.TransferLine {
		return app.TransferLine{Rate: rate, Transfer: &cambista.Transfer{ID: id, Status: cambista.TransferCompleted, CreatedAt: time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC),
			Send: money.New(10000, usd), Commission: money.New(300, usd), Receive: money.New(392850, ves), Beneficiary: cambista.Beneficiary{Name: name}}}
	}
	transfers := []app.TransferLine{transfer(9, "=HYPERLINK(\"x\")"), transfer(8, "María Pérez")} // newest first
	b, err := StatementCSV(st, transfers)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 || rows[2][4] != "1.00" || rows[2][5] != "1.00" || rows[3][5] != "1.00" || rows[2][1] != "2026-01-02 03:04:05" || rows[2][2] != "transfer 1" || rows[2][7] != "bonus" {
		t.Fatalf("rows %v", rows)
	}
	want := []string{"", "2026-01-02 03:00:00", "transfer 8", "transfer 8", "", "", "USD", "transfer", "8", "completed", "100.00", "3.00", "40.5", "3928.50", "VES", "María Pérez"}
	if !reflect.DeepEqual(rows[4], want) || rows[0][15] != "beneficiary" || rows[5][8] != "9" || rows[5][15] != "'=HYPERLINK(\"x\")" {
		t.Fatalf("transfer rows %q\n%q", rows[4], rows[5])
	}
	if b, err = StatementCSV(nil, transfers[:1]); err != nil {
		t.Fatal(err)
	}
	if rows, err = csv.NewReader(strings.NewReader(string(b))).ReadAll(); err != nil || len(rows) != 2 || rows[1][8] != "9" {
		t.Fatalf("transfers alone: %q %v", rows, err)
	}
}

// TestTransfersEmbed: the latest ten transfers, one field each with the
// state, date, amounts, fee, rate and beneficiary in the reader's words;
// the statement's card says how many more the file holds, and stays
// within Discord's limits whatever the names.
func TestTransfersEmbed(t *testing.T) {
	rate, _ := money.ParseRate("40")
	var lines []app.TransferLine
	for i := range 30 {
		lines = append(lines, app.TransferLine{Rate: rate, Transfer: &cambista.Transfer{ID: cambista.ID(30 - i), Status: cambista.TransferPending,
			Send: money.New(123456, usd), Commission: money.New(300, usd), Receive: money.New(4000000, ves),
			Beneficiary: cambista.Beneficiary{Name: strings.Repeat("[Ñ]", 40)}}})
	}
	c := StatementCard(i18n.ES, nil, lines)
	e := c.Embeds[0]
	if len(c.Embeds) != 1 || len(e.Fields) != 10 || e.Fields[0].Name != "#30 · pendiente" || e.Footer == nil || !strings.Contains(e.Footer.Text, "10 de 30") {
		t.Fatalf("card %+v", e)
	}
	for _, s := range []string{"1.234,56 USD → 40.000,00 VES", "Comisión 3,00 USD", "tasa 40", "\\[Ñ\\]"} {
		if !strings.Contains(e.Fields[0].Value, s) {
			t.Fatalf("field lacks %q: %s", s, e.Fields[0].Value)
		}
	}
	size := len(e.Title) + len(e.Footer.Text)
	for _, f := range e.Fields {
		if len(f.Value) > 1024 || len(f.Name) > 256 {
			t.Fatalf("field over Discord's limits: %d / %d", len(f.Name), len(f.Value))
		}
		size += len(f.Name) + len(f.Value)
	}
	if size > 6000 {
		t.Fatalf("card of %d characters", size)
	}
	if e := transfersEmbed(i18n.EN, "t", nil); e.Description != "No transfers." {
		t.Fatalf("empty: %+v", e)
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
