package app_test

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// system is the context the periodic check runs in.
func system() context.Context {
	return cambista.WithActor(context.Background(), cambista.SystemActor)
}

// alertNotices returns the outbox notices about alerts, in order.
func (e *env) alertNotices() []app.Notice {
	e.T.Helper()
	rows, err := e.Store.DB().Query(`SELECT payload FROM outbox WHERE kind = 'notice' ORDER BY id`)
	if err != nil {
		e.T.Fatal(err)
	}
	defer rows.Close()
	var out []app.Notice
	for rows.Next() {
		var p string
		var n app.Notice
		if err := rows.Scan(&p); err != nil {
			e.T.Fatal(err)
		}
		if err := json.Unmarshal([]byte(p), &n); err != nil {
			e.T.Fatal(err)
		}
		if n.Entity == "alert" {
			out = append(out, n)
		}
	}
	return out
}

// check runs the periodic check and wants what it changed.
func (e *env) check(raised, cleared int) {
	e.T.Helper()
	got, err := e.Svc.CheckAlerts(system())
	if err != nil {
		e.T.Fatal(err)
	}
	if got != (app.AlertCheck{Raised: raised, Cleared: cleared}) {
		e.T.Fatalf("check %+v, want %d raised, %d cleared", got, raised, cleared)
	}
}

// active returns the active alerts as "rule subject" strings.
func (e *env) active() map[string]*cambista.Alert {
	e.T.Helper()
	out := map[string]*cambista.Alert{}
	for _, a := range apptest.Must(e.Svc.ActiveAlerts(e.As(apptest.Boot))) {
		out[string(a.Rule)+" "+a.Subject] = a
	}
	return out
}

func TestAlertThresholds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		ctx := e.As(apptest.Boot) // reads Spanish conventions
		cfg := apptest.Must(e.Svc.AlertThresholds(ctx))
		if len(cfg.MinCapital)+len(cfg.MaxExposure) != 0 || cfg.MaxBatchAge != 0 || cfg.QueueCover || len(cfg.Currencies) != 2 {
			t.Fatalf("thresholds before any is set: %+v", cfg)
		}
		events := e.auditCount()
		in := app.AlertSettings{MinCapital: map[string]string{"VES": "1.000,50", "USD": ""}, MaxExposure: map[string]string{"VES": "5000"},
			MaxBatchAge: "48", QueueCover: true}
		apptest.Must(e.Svc.SetAlertThresholds(ctx, "k1", in))
		cfg = apptest.Must(e.Svc.AlertThresholds(ctx))
		amount(t, cfg.MinCapital["VES"], "1000.50 VES")
		amount(t, cfg.MaxExposure["VES"], "5000.00 VES")
		if _, ok := cfg.MinCapital["USD"]; ok || cfg.MaxBatchAge != 48*time.Hour || !cfg.QueueCover {
			t.Fatalf("thresholds %+v", cfg)
		}
		if e.auditCount() != events+1 {
			t.Fatalf("%d audit events for setting the thresholds, want 1", e.auditCount()-events)
		}
		for _, bad := range []struct {
			in   app.AlertSettings
			code string
		}{
			{app.AlertSettings{MaxBatchAge: "dos"}, cambista.EINVALID},
			{app.AlertSettings{MaxBatchAge: "-1"}, cambista.EINVALID},
			{app.AlertSettings{MinCapital: map[string]string{"VES": "0"}}, cambista.EINVALID},
			{app.AlertSettings{MinCapital: map[string]string{"VES": "1.2.3"}}, cambista.EINVALID},
			{app.AlertSettings{MaxExposure: map[string]string{"EUR": "10"}}, cambista.ENOTFOUND},
		} {
			_, err := e.Svc.SetAlertThresholds(ctx, "", bad.in)
			wantCode(t, err, bad.code)
		}
		if after := apptest.Must(e.Svc.AlertThresholds(ctx)); after.MaxBatchAge != 48*time.Hour || len(after.MinCapital) != 1 {
			t.Fatalf("a refused change changed the thresholds: %+v", after)
		}
		_, err := e.Svc.SetAlertThresholds(e.As(cashier), "", in)
		wantCode(t, err, cambista.EFORBIDDEN)
		if e.auditCount() != events+1 {
			t.Fatal("a refused change was audited")
		}
	})
}

// TestAlertCrossings walks every rule across its threshold and back: each
// crossing raises one alert, told once to the admin channel (and the
// cashier), however many checks see it; each recovery clears it once.
func TestAlertCrossings(t *testing.T) {
	storetest.EachOnClock(t, time.Now(), func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		e := business(t, s)
		b := apptest.Must(e.Svc.OpenBatch(e.As(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))
		first := e.Send(client, "100") // pays out 3,880.00 VES
		e.check(0, 0)                  // every rule is off
		apptest.Must(e.Svc.SetAlertThresholds(e.As(apptest.Boot), "", app.AlertSettings{
			MinCapital: map[string]string{"VES": "1000"}, MaxExposure: map[string]string{"VES": "5000"}, MaxBatchAge: "48", QueueCover: true}))
		e.check(0, 0) // 4,000.00 VES covers the queue's 3,880.00

		second := e.Send(client, "100") // the queue now pays 7,760.00
		e.check(1, 0)
		e.check(0, 0)
		short := e.active()["batch.queue_short batch:"+itoa(b.ID)]
		if short == nil || short.CashierID != cashier || short.Pair != "USD/VES" {
			t.Fatalf("active alerts %v", e.active())
		}
		amount(t, short.Value, "4000.00 VES")
		amount(t, short.Limit, "7760.00 VES")
		notices := e.alertNotices()
		if len(notices) != 1 || notices[0] != (app.Notice{Event: "alert.raised", Entity: "alert", ID: short.ID, Channel: app.ChannelAdmin, DM: cashier, Actor: "system"}) {
			t.Fatalf("notices %+v", notices)
		}

		// Taking one reserves 3,880.00: 120.00 available, below 1,000.00.
		apptest.Must(e.Svc.TakeTransfer(e.As(cashier), "", first.ID))
		e.check(1, 0)
		amount(t, e.active()["batch.low_capital batch:"+itoa(b.ID)].Value, "120.00 VES")

		// A second cashier's batch: 6,000.00 VES held, above 5,000.00.
		b2 := apptest.Must(e.Svc.OpenBatch(e.As(other), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "2000", CostRate: "41"}))
		e.check(2, 0) // the exposure, and b2 cannot pay the queue's 3,880.00 either
		exp := e.active()["currency.exposure VES"]
		if exp == nil || exp.CashierID != "" {
			t.Fatalf("active alerts %v", e.active())
		}
		amount(t, exp.Value, "6000.00 VES")

		clock.Add(48*time.Hour + time.Second)
		e.check(2, 0) // both batches open too long
		age := e.active()["batch.open_too_long batch:"+itoa(b2.ID)]
		if age == nil || age.MaxOpen != 48*time.Hour || age.OpenFor <= 48*time.Hour || age.CashierID != other {
			t.Fatalf("active alerts %v", e.active())
		}

		// The pending transfer is cancelled: the queue is empty. b2 closes:
		// its alerts clear, and 4,000.00 VES held is under the limit.
		apptest.Must(e.Svc.CancelTransfer(e.As(client), "", second.ID))
		apptest.Must(e.Svc.CloseBatch(e.As(other), "", b2.ID))
		e.check(0, 4) // both queue alerts, the exposure and b2's age
		if got := e.active(); len(got) != 2 || got["batch.low_capital batch:"+itoa(b.ID)] == nil || got["batch.open_too_long batch:"+itoa(b.ID)] == nil {
			t.Fatalf("active alerts %v, want b's low capital and age", got)
		}
		written := len(e.alertNotices())
		e.check(0, 0)
		if len(e.alertNotices()) != written {
			t.Fatal("a check with nothing new wrote notices")
		}

		// Released, the transfer is pending again: 4,000.00 available
		// covers it, and the low capital clears. A new transfer crosses the
		// queue's threshold again: a new alert, told again.
		apptest.Must(e.Svc.ReleaseTransfer(e.As(cashier), "", first.ID))
		e.check(0, 1)
		e.Send(client, "100")
		e.check(1, 0)
		again := e.active()["batch.queue_short batch:"+itoa(b.ID)]
		if again == nil || again.ID == short.ID {
			t.Fatalf("active alerts %v: want a new queue alert", e.active())
		}
		raised, cleared := 0, 0
		for _, n := range e.alertNotices() {
			switch n.Event {
			case "alert.raised":
				raised++
			case "alert.cleared":
				cleared++
				if n.DM != "" || n.Channel != app.ChannelAdmin {
					t.Fatalf("clearing notice %+v", n)
				}
			}
		}
		if raised != 7 || cleared != 5 {
			t.Fatalf("%d raised and %d cleared notices, want 7 and 5", raised, cleared)
		}
	})
}

func itoa(id cambista.ID) string { return strconv.FormatInt(int64(id), 10) }

// TestAlertsOnceAcrossChecks: checks running at once (two processes, or a
// restart in the middle) raise each crossing once.
func TestAlertsOnceAcrossChecks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		apptest.Must(e.Svc.OpenBatch(e.As(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))
		apptest.Must(e.Svc.OpenBatch(e.As(other), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "100", CostRate: "41"}))
		apptest.Must(e.Svc.SetAlertThresholds(e.As(apptest.Boot), "", app.AlertSettings{MinCapital: map[string]string{"VES": "1000"}, MaxExposure: map[string]string{"VES": "10"}}))
		second := app.New(s, app.Config{}) // another process's service
		var wg sync.WaitGroup
		var mu sync.Mutex
		raised := 0
		for i := range 8 {
			svc := e.Svc
			if i%2 == 1 {
				svc = second
			}
			wg.Go(func() {
				got, err := svc.CheckAlerts(system())
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				raised += got.Raised
				mu.Unlock()
			})
		}
		wg.Wait()
		if raised != 2 || len(e.alertNotices()) != 2 || e.count("alerts") != 2 {
			t.Fatalf("%d raised, %d notices, %d alerts; want 2 (other's low capital, the exposure)", raised, len(e.alertNotices()), e.count("alerts"))
		}
	})
}
