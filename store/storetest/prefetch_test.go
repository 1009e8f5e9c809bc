package storetest_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestPrefetch checks that every read returns the same with Prefetch as
// without, found or not, and that a write discards what was prefetched.
func TestPrefetch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := apptest.Business(t, s)
		q := apptest.Must(e.Svc.Quote(e.As(apptest.Client), "", app.QuoteRequest{Amount: "100", From: "USD", To: "VES"}))
		b := apptest.Must(e.Svc.OpenBatch(e.As(apptest.Cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "5000", CostRate: "41"}))
		tr := apptest.Must(e.Svc.CreateTransfer(e.As(apptest.Client), "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: apptest.Beneficiary}))
		apptest.Must(e.Svc.TakeTransfer(e.As(apptest.Cashier), "", tr.ID))
		mustTx(t, s, func(tx app.Tx) error { return tx.SetSetting(ctx, "k", "v", apptest.Boot) })
		at := time.Now()
		reads := []struct {
			name string
			read app.Read
			do   func(app.Tx) (any, error)
		}{
			{"user", app.UserRead(apptest.Client), func(tx app.Tx) (any, error) { return tx.User(ctx, apptest.Client) }},
			{"no user", app.UserRead("999"), func(tx app.Tx) (any, error) { return tx.User(ctx, "999") }},
			{"quote", app.QuoteRead(q.ID), func(tx app.Tx) (any, error) { return tx.Quote(ctx, q.ID) }},
			{"no quote", app.QuoteRead(q.ID + 100), func(tx app.Tx) (any, error) { return tx.Quote(ctx, q.ID+100) }},
			{"batch", app.BatchRead(b.ID), func(tx app.Tx) (any, error) { return tx.Batch(ctx, b.ID) }},
			{"no batch", app.BatchRead(b.ID + 100), func(tx app.Tx) (any, error) { return tx.Batch(ctx, b.ID+100) }},
			{"currencies", app.CurrenciesRead(), func(tx app.Tx) (any, error) { return tx.Currencies(ctx) }},
			{"countries", app.CountriesRead(), func(tx app.Tx) (any, error) { return tx.Countries(ctx) }},
			{"setting", app.SettingRead("k"), func(tx app.Tx) (any, error) { return tx.Setting(ctx, "k") }},
			{"unset", app.SettingRead("unset"), func(tx app.Tx) (any, error) { return tx.Setting(ctx, "unset") }},
			{"rate", app.CurrentRateRead("USD", "VES", at), func(tx app.Tx) (any, error) { return tx.CurrentRate(ctx, "USD", "VES", at) }},
			{"no rate", app.CurrentRateRead("VES", "USD", at), func(tx app.Tx) (any, error) { return tx.CurrentRate(ctx, "VES", "USD", at) }},
			{"transfer", app.TransferRead(tr.ID), func(tx app.Tx) (any, error) { return tx.Transfer(ctx, tr.ID) }},
			{"no transfer", app.TransferRead(tr.ID + 100), func(tx app.Tx) (any, error) { return tx.Transfer(ctx, tr.ID+100) }},
			{"open batch", app.OpenBatchRead(apptest.Cashier, "USD", "VES"), func(tx app.Tx) (any, error) {
				return tx.OpenBatchOf(ctx, apptest.Cashier, "USD", "VES")
			}},
			{"no open batch", app.OpenBatchRead(apptest.Other, "USD", "VES"), func(tx app.Tx) (any, error) {
				return tx.OpenBatchOf(ctx, apptest.Other, "USD", "VES")
			}},
			{"funds", app.BatchFundsRead(b.ID), func(tx app.Tx) (any, error) {
				balance, reserved, err := tx.BatchFunds(ctx, b.ID)
				return [2]int64{balance, reserved}, err
			}},
		}
		type outcome struct {
			v   any
			err string
		}
		run := func(tx app.Tx, i int) outcome {
			v, err := reads[i].do(tx)
			if err != nil {
				return outcome{v, cambista.ErrorCode(err) + ": " + err.Error()}
			}
			return outcome{v, ""}
		}
		want := make([]outcome, len(reads))
		mustTx(t, s, func(tx app.Tx) error {
			for i := range reads {
				want[i] = run(tx, i)
			}
			return nil
		})
		if want[1].err == "" || want[3].err == "" || want[5].err == "" || want[11].err == "" || want[9].v != "" ||
			want[13].err == "" || want[15].err == "" || want[16].v != [2]int64{500000, 388000} {
			t.Fatalf("reads of what is not there: %+v", want)
		}
		mustTx(t, s, func(tx app.Tx) error {
			all := make([]app.Read, len(reads))
			for i, r := range reads {
				all[i] = r.read
			}
			tx.Prefetch(ctx, all...)
			for i, r := range reads {
				if got := run(tx, i); !reflect.DeepEqual(got, want[i]) {
					t.Errorf("%s: prefetched %+v, read %+v", r.name, got, want[i])
				}
			}
			return nil
		})

		// The reads of the transfer's batch, quote, open batch and funds
		// give what the reads by their own keys give.
		mustTx(t, s, func(tx app.Tx) error {
			tx.Prefetch(ctx, app.TransferRead(tr.ID), app.TransferBatchRead(tr.ID), app.TransferQuoteRead(tr.ID),
				app.TransferOpenBatchRead(apptest.Cashier, tr.ID), app.TransferOpenBatchFundsRead(apptest.Cashier, tr.ID),
				app.TransferOpenBatchRead(apptest.Other, tr.ID))
			for i, r := range reads {
				switch r.name {
				case "transfer", "quote", "batch", "open batch", "no open batch", "funds":
					if got := run(tx, i); !reflect.DeepEqual(got, want[i]) {
						t.Errorf("%s of the transfer: prefetched %+v, read %+v", r.name, got, want[i])
					}
				}
			}
			return nil
		})

		// A read after a write sees the write.
		mustTx(t, s, func(tx app.Tx) error {
			tx.Prefetch(ctx, app.SettingRead("k"), app.UserRead(apptest.Client))
			if err := tx.SetSetting(ctx, "k", "w", apptest.Boot); err != nil {
				return err
			}
			if v, err := tx.Setting(ctx, "k"); err != nil || v != "w" {
				t.Errorf("setting after its write: %q, %v; want w", v, err)
			}
			return nil
		})
		// What is prefetched and never read changes nothing.
		mustTx(t, s, func(tx app.Tx) error {
			tx.Prefetch(ctx, app.UserRead(apptest.Client), app.QuoteRead(q.ID+100))
			return tx.SetSetting(ctx, "k2", "x", apptest.Boot)
		})
		mustTx(t, s, func(tx app.Tx) error {
			if v, err := tx.Setting(ctx, "k2"); err != nil || v != "x" {
				t.Errorf("k2 = %q, %v; want x", v, err)
			}
			return nil
		})
	})
}
