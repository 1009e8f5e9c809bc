package demo_test

import (
	"context"
	"path/filepath"
	"testing"

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
