package discord

import (
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/money"
)

// TestAlertCard draws each rule's card in English, and the card of a
// cleared alert.
func TestAlertCard(t *testing.T) {
	raised := time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		a    cambista.Alert
		want string
	}{
		{cambista.Alert{Rule: cambista.AlertLowCapital, BatchID: 7, CashierID: "40", Pair: "USD/VES", Value: money.New(12000, ves), Limit: money.New(100000, ves)},
			"Batch #7 (USD/VES) has 120.00 VES available, below the minimum of 1,000.00 VES."},
		{cambista.Alert{Rule: cambista.AlertQueueShort, BatchID: 7, CashierID: "40", Pair: "USD/VES", Value: money.New(400000, ves), Limit: money.New(776000, ves)},
			"Batch #7 (USD/VES) has 4,000.00 VES available, less than the 7,760.00 VES that the pending transfers of its pair would pay out."},
		{cambista.Alert{Rule: cambista.AlertBatchAge, BatchID: 7, CashierID: "40", Pair: "USD/VES", OpenFor: 50*time.Hour + time.Minute, MaxOpen: 48 * time.Hour},
			"Batch #7 (USD/VES) has been open for 50 hours, longer than the limit of 48 hours."},
		{cambista.Alert{Rule: cambista.AlertExposure, Subject: "VES", Value: money.New(600000, ves), Limit: money.New(500000, ves)},
			"The open batches hold 6,000.00 VES, above the exposure limit of 5,000.00 VES."},
	} {
		tc.a.ID, tc.a.RaisedAt = 3, raised
		e := AlertCard(i18n.EN, &tc.a).Embeds[0]
		if e.Title != "Liquidity alert #3" || e.Description != tc.want || e.Color != colorBad || e.Footer == nil {
			t.Errorf("%s: %q %q, want %q", tc.a.Rule, e.Title, e.Description, tc.want)
		}
		if cashier := tc.a.CashierID != ""; cashier != (len(e.Fields) == 2) {
			t.Errorf("%s: fields %d", tc.a.Rule, len(e.Fields))
		}
	}
	cleared := cambista.Alert{ID: 3, Rule: cambista.AlertExposure, Value: money.New(1, usd), Limit: money.New(0, usd), RaisedAt: raised, ClearedAt: raised.Add(time.Hour)}
	e := AlertCard(i18n.EN, &cleared).Embeds[0]
	if e.Color != colorOK || e.Footer != nil || e.Fields[len(e.Fields)-1].Name != "Resolved" || e.Fields[len(e.Fields)-1].Value != "2026-12-03T08:00:00Z" {
		t.Fatalf("cleared card %+v", e)
	}
}
