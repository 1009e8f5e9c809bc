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
