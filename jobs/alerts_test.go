package jobs_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/jobs"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestAlertReachesAdminChannel: the periodic check and the outbox worker
// together post a liquidity alert to the admin channel once per crossing
// (however many checks see it), DM the batch's cashier, and edit the card
// when the alert clears.
func TestAlertReachesAdminChannel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, jobs.Config{})
		e.drain(5, time.Second) // the setup's notices and role changes
		watch := jobs.NewAlertWatch(e.svc, time.Minute, nil)
		setMin := func(amount string) {
			must(e.svc.SetAlertThresholds(e.as(boot), "", app.AlertSettings{MinCapital: map[string]string{"VES": amount}}))
		}
		check := func() {
			t.Helper()
			if _, err := watch.Check(system()); err != nil {
				t.Fatal(err)
			}
			e.drain(5, time.Second)
		}
		posts := func() []string {
			var out []string
			for _, c := range e.succeeded(http.MethodPost, "/channels/"+adminChannel+"/messages") {
				out = append(out, string(c.Body))
			}
			return out
		}

		// The batch holds 1,000,000.00 VES; the minimum is set above it.
		setMin("2000000")
		check()
		check()
		check()
		if got := posts(); len(got) != 1 {
			t.Fatalf("%d alert messages in the admin channel after three checks of one crossing, want 1: %v", len(got), got)
		}
		t.Logf("the admin channel received: %s", posts()[0])
		var body struct {
			Embeds []struct {
				Title, Description string
				Color              int
			}
		}
		if err := json.Unmarshal([]byte(posts()[0]), &body); err != nil || len(body.Embeds) != 1 {
			t.Fatalf("body %s: %v", posts()[0], err)
		}
		alerts := must(e.svc.ActiveAlerts(e.as(boot)))
		if len(alerts) != 1 {
			t.Fatalf("active alerts %v", alerts)
		}
		want := fmt.Sprintf("El lote #%d (USD/VES) tiene 1.000.000,00 VES disponibles, menos que el mínimo de 2.000.000,00 VES.", alerts[0].BatchID)
		if body.Embeds[0].Title != fmt.Sprintf("Alerta de liquidez #%d", alerts[0].ID) || body.Embeds[0].Description != want {
			t.Fatalf("card %+v, want the Spanish description %q", body.Embeds[0], want)
		}
		dms := e.dc.Messages(e.dc.DMChannel(string(cashier)))
		if len(dms) != 1 || dms[0].Content != fmt.Sprintf("La alerta de liquidez #%d se refiere a uno de sus lotes.", alerts[0].ID) {
			t.Fatalf("cashier's DMs %+v", dms)
		}

		// Below the capital again: the alert clears, its card is edited in
		// place, and no new message is posted.
		setMin("10")
		check()
		cards := e.dc.Messages(adminChannel)
		if len(posts()) != 1 || len(cards) != 1 || !cards[0].Edited || field(cards[0], "Resuelta") == "" {
			t.Fatalf("after the recovery: %d posts, cards %+v", len(posts()), cards)
		}
		check()

		// A new crossing is a new message.
		setMin("3000000")
		check()
		check()
		if got := posts(); len(got) != 2 || !strings.Contains(got[1], "3.000.000,00 VES") {
			t.Fatalf("after a second crossing: %v, want a second message", got)
		}
		if dms := e.dc.Messages(e.dc.DMChannel(string(cashier))); len(dms) != 2 {
			t.Fatalf("cashier's DMs %d, want one per crossing", len(dms))
		}
	})
}
