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
		{cambista.TransferTaken, []string{"done:7", "tr-no:7"}},
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
