package demo_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/demo"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestSeed plays the demo week and checks the business it leaves: sound
// books, an unbroken audit chain, and something in every state.
func TestSeed(t *testing.T) {
	ctx := context.Background()
	dsns := map[string]string{"sqlite": filepath.Join(t.TempDir(), "demo.db")}
	if storetest.HavePostgres() {
		dsns["postgres"] = storetest.PostgresSchema(t)
	}
	for name, dsn := range dsns {
		t.Run(name, func(t *testing.T) {
			// The week is played through a store on the demo's clock.
			seed := func(bootstrap ...cambista.UserID) error {
				c := demo.NewClock()
				s, err := store.Open(ctx, dsn, store.Options{Now: c.Now})
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				if _, err := s.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				return demo.Seed(ctx, app.New(s, app.Config{Bootstrap: append(demo.Superusers(), bootstrap...)}), c)
			}
			// The week lies before the hour the script started in.
			end := time.Now().UTC()
			begin := end.Add(-7 * 24 * time.Hour)
			if err := seed("123"); err != nil {
				t.Fatal(err)
			}
			if err := seed(); err == nil {
				t.Fatal("seeding a database with a business again was not refused")
			}
			s, err := store.Open(ctx, dsn, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if v, err := app.CheckLedger(ctx, s); err != nil || len(v) != 0 {
				t.Fatalf("ledger: %v %v", v, err)
			}
			if _, err := app.VerifyAudit(ctx, s); err != nil {
				t.Fatal(err)
			}
			t.Run("InThePastWeekInOrder", func(t *testing.T) { pastWeekInOrder(t, s, begin, end) })
			states := map[string]int{}
			err = s.View(ctx, func(tx app.Tx) error {
				ts, err := tx.Transfers(ctx, cambista.TransferFilter{Limit: 10000})
				for _, x := range ts {
					states[string(x.Status)]++
				}
				bs, err2 := tx.Batches(ctx, cambista.BatchFilter{Limit: 1000})
				for _, b := range bs {
					states["batch "+string(b.Status)]++
				}
				ws, err3 := tx.Withdrawals(ctx, cambista.WithdrawalFilter{Limit: 1000})
				for _, w := range ws {
					states["withdrawal "+string(w.Status)]++
				}
				as, err4 := tx.Accounts(ctx, cambista.AccountFilter{Limit: 1000})
				for _, a := range as {
					states["account "+string(a.Status)]++
				}
				rs, err5 := tx.Rates(ctx, "USD", "VES", 100)
				states["rates"] = len(rs)
				for _, e := range []error{err, err2, err3, err4, err5} {
					if e != nil {
						return e
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"completed", "pending", "taken", "rejected", "cancelled", "expired",
				"batch open", "batch closed", "withdrawal approved", "withdrawal rejected", "withdrawal requested",
				"account approved", "account rejected", "account frozen", "account requested"} {
				if states[want] == 0 {
					t.Errorf("the demo has no %s: %v", want, states)
				}
			}
			if states["rates"] < 7 || states["completed"] < 20 {
				t.Errorf("too little history: %v", states)
			}
		})
	}
}

// pastWeekInOrder checks that every time the demo wrote lies in
// [begin, end], and that the audit log runs forward in time.
func pastWeekInOrder(t *testing.T, s *store.Store, begin, end time.Time) {
	ctx := context.Background()
	check := func(what string, at time.Time) {
		if !at.IsZero() && (at.Before(begin) || at.After(end)) {
			t.Errorf("%s at %s: outside the past week [%s, %s]", what, at, begin, end)
		}
	}
	err := s.View(ctx, func(tx app.Tx) error {
		events, err := tx.AuditEvents(ctx, 0, 100000)
		if err != nil {
			return err
		}
		if len(events) < 100 {
			t.Errorf("only %d audit events", len(events))
		}
		for i, ev := range events {
			check(fmt.Sprintf("audit event %d (%s)", ev.Seq, ev.Action), ev.Time)
			if i > 0 && ev.Time.Before(events[i-1].Time) {
				t.Errorf("audit event %d at %s comes before event %d at %s", ev.Seq, ev.Time, events[i-1].Seq, events[i-1].Time)
			}
		}
		ts, err := tx.Transfers(ctx, cambista.TransferFilter{Limit: 10000})
		if err != nil {
			return err
		}
		for _, x := range ts {
			check(fmt.Sprintf("transfer %d created", x.ID), x.CreatedAt)
			check(fmt.Sprintf("transfer %d updated", x.ID), x.UpdatedAt)
		}
		bs, err := tx.Batches(ctx, cambista.BatchFilter{Limit: 1000})
		if err != nil {
			return err
		}
		for _, b := range bs {
			check(fmt.Sprintf("batch %d opened", b.ID), b.OpenedAt)
			check(fmt.Sprintf("batch %d closed", b.ID), b.ClosedAt)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
