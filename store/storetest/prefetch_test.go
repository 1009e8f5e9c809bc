package storetest_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// prefetchFixture is a business with a quote, an open batch and a transfer
// taken in it, and a setting k = v.
type prefetchFixture struct {
	quote, batch, transfer cambista.ID
}

func newPrefetchFixture(t *testing.T, s *store.Store) prefetchFixture {
	t.Helper()
	e := apptest.Business(t, s)
	q := apptest.Must(e.Svc.Quote(e.As(apptest.Client), "", app.QuoteRequest{Amount: "100", From: "USD", To: "VES"}))
	b := apptest.Must(e.Svc.OpenBatch(e.As(apptest.Cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "5000", CostRate: "41"}))
	tr := apptest.Must(e.Svc.CreateTransfer(e.As(apptest.Client), "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: apptest.Beneficiary}))
	apptest.Must(e.Svc.TakeTransfer(e.As(apptest.Cashier), "", tr.ID))
	mustTx(t, s, func(tx app.Tx) error { return tx.SetSetting(context.Background(), "k", "v", apptest.Boot) })
	return prefetchFixture{quote: q.ID, batch: b.ID, transfer: tr.ID}
}

// readCase is one prefetchable read: the hint, the Tx method it stands
// for, and what reading it directly must give where the fixture decides
// it.
type readCase struct {
	read app.Read
	do   func(app.Tx) (any, error)
	// absent reads find nothing (ENOTFOUND); want, when set, is the value.
	absent bool
	want   any
}

// outcome is what a read returned, comparable across transactions.
type outcome struct {
	v   any
	err string
}

func (c readCase) run(tx app.Tx) outcome {
	v, err := c.do(tx)
	if err != nil {
		return outcome{v, cambista.ErrorCode(err) + ": " + err.Error()}
	}
	return outcome{v, ""}
}

// TestPrefetch checks that every read returns the same with Prefetch as
// without, found or not.
func TestPrefetch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newPrefetchFixture(t, s)
		at := time.Now()
		cases := map[string]readCase{
			"user":    {read: app.UserRead(apptest.Client), do: func(tx app.Tx) (any, error) { return tx.User(ctx, apptest.Client) }},
			"no user": {read: app.UserRead("999"), do: func(tx app.Tx) (any, error) { return tx.User(ctx, "999") }, absent: true},
			"quote":   {read: app.QuoteRead(f.quote), do: func(tx app.Tx) (any, error) { return tx.Quote(ctx, f.quote) }},
			"no quote": {read: app.QuoteRead(f.quote + 100), do: func(tx app.Tx) (any, error) { return tx.Quote(ctx, f.quote+100) },
				absent: true},
			"batch": {read: app.BatchRead(f.batch), do: func(tx app.Tx) (any, error) { return tx.Batch(ctx, f.batch) }},
			"no batch": {read: app.BatchRead(f.batch + 100), do: func(tx app.Tx) (any, error) { return tx.Batch(ctx, f.batch+100) },
				absent: true},
			"currencies": {read: app.CurrenciesRead(), do: func(tx app.Tx) (any, error) { return tx.Currencies(ctx) }},
			"countries":  {read: app.CountriesRead(), do: func(tx app.Tx) (any, error) { return tx.Countries(ctx) }},
			"setting":    {read: app.SettingRead("k"), do: func(tx app.Tx) (any, error) { return tx.Setting(ctx, "k") }, want: "v"},
			"unset":      {read: app.SettingRead("unset"), do: func(tx app.Tx) (any, error) { return tx.Setting(ctx, "unset") }, want: ""},
			"rate": {read: app.CurrentRateRead("USD", "VES", at),
				do: func(tx app.Tx) (any, error) { return tx.CurrentRate(ctx, "USD", "VES", at) }},
			"no rate": {read: app.CurrentRateRead("VES", "USD", at),
				do: func(tx app.Tx) (any, error) { return tx.CurrentRate(ctx, "VES", "USD", at) }, absent: true},
			"transfer": {read: app.TransferRead(f.transfer), do: func(tx app.Tx) (any, error) { return tx.Transfer(ctx, f.transfer) }},
			"no transfer": {read: app.TransferRead(f.transfer + 100),
				do: func(tx app.Tx) (any, error) { return tx.Transfer(ctx, f.transfer+100) }, absent: true},
			"open batch": {read: app.OpenBatchRead(apptest.Cashier, "USD", "VES"),
				do: func(tx app.Tx) (any, error) { return tx.OpenBatchOf(ctx, apptest.Cashier, "USD", "VES") }},
			"no open batch": {read: app.OpenBatchRead(apptest.Other, "USD", "VES"),
				do: func(tx app.Tx) (any, error) { return tx.OpenBatchOf(ctx, apptest.Other, "USD", "VES") }, absent: true},
			// 5000.00 of capital, 3880.00 reserved by the taken transfer.
			"funds": {read: app.BatchFundsRead(f.batch), do: func(tx app.Tx) (any, error) {
				balance, reserved, err := tx.BatchFunds(ctx, f.batch)
				return [2]int64{balance, reserved}, err
			}, want: [2]int64{500000, 388000}},
		}
		direct := map[string]outcome{}
		mustTx(t, s, func(tx app.Tx) error {
			for name, c := range cases {
				direct[name] = c.run(tx)
			}
			return nil
		})
		for name, c := range cases {
			got := direct[name]
			switch {
			case c.absent && !strings.HasPrefix(got.err, cambista.ENOTFOUND+":"):
				t.Errorf("%s: read %+v, want %s", name, got, cambista.ENOTFOUND)
			case !c.absent && got.err != "":
				t.Errorf("%s: %s", name, got.err)
			case c.want != nil && !reflect.DeepEqual(got.v, c.want):
				t.Errorf("%s: read %v, want %v", name, got.v, c.want)
			}
		}
		mustTx(t, s, func(tx app.Tx) error {
			var all []app.Read
			for _, c := range cases {
				all = append(all, c.read)
			}
			tx.Prefetch(ctx, all...)
			for name, c := range cases {
				if got := c.run(tx); !reflect.DeepEqual(got, direct[name]) {
					t.Errorf("%s: prefetched %+v, read %+v", name, got, direct[name])
				}
			}
			return nil
		})

		// The reads of the transfer's batch, quote, open batch and funds
		// give what the reads by their own keys give.
		mustTx(t, s, func(tx app.Tx) error {
			tx.Prefetch(ctx, app.TransferRead(f.transfer), app.TransferBatchRead(f.transfer), app.TransferQuoteRead(f.transfer),
				app.TransferOpenBatchRead(apptest.Cashier, f.transfer), app.TransferOpenBatchFundsRead(apptest.Cashier, f.transfer),
				app.TransferOpenBatchRead(apptest.Other, f.transfer))
			for _, name := range []string{"transfer", "quote", "batch", "open batch", "no open batch", "funds"} {
				if got := cases[name].run(tx); !reflect.DeepEqual(got, direct[name]) {
					t.Errorf("%s of the transfer: prefetched %+v, read %+v", name, got, direct[name])
				}
			}
			return nil
		})
	})
}

// writeThenRead prefetches the setting k and the client, writes k = w and
// reads k, which must see the write.
func writeThenRead(t *testing.T) func(app.Tx) error {
	return func(tx app.Tx) error {
		ctx := context.Background()
		tx.Prefetch(ctx, app.SettingRead("k"), app.UserRead(apptest.Client))
		if err := tx.SetSetting(ctx, "k", "w", apptest.Boot); err != nil {
			return err
		}
		wantSetting(t, tx, "k", "w")
		return nil
	}
}

// wantSetting checks that the setting key reads want in tx.
func wantSetting(t *testing.T, tx app.Tx, key, want string) {
	t.Helper()
	if v, err := tx.Setting(context.Background(), key); err != nil || v != want {
		t.Errorf("setting %s = %q, %v; want %q", key, v, err, want)
	}
}

// TestPrefetchAfterWrite checks, with the store as it runs in production
// (no CheckPrefetch), that a read after a write sees the write although it
// was prefetched before it, and that what is prefetched and never read
// changes nothing.
func TestPrefetchAfterWrite(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			s := storetest.Open(t, d, store.Options{})
			ctx := context.Background()
			f := newPrefetchFixture(t, s)
			mustTx(t, s, writeThenRead(t))
			mustTx(t, s, func(tx app.Tx) error {
				tx.Prefetch(ctx, app.UserRead(apptest.Client), app.QuoteRead(f.quote+100))
				return tx.SetSetting(ctx, "k2", "x", apptest.Boot)
			})
			mustTx(t, s, func(tx app.Tx) error {
				wantSetting(t, tx, "k2", "x")
				return nil
			})
		})
	}
}

// skipSQLite skips a test of how reads are prefetched on SQLite, which
// ignores Prefetch.
func skipSQLite(t *testing.T, s *store.Store) {
	t.Helper()
	if s.Dialect() != "postgres" {
		t.Skip("SQLite ignores Prefetch")
	}
}

// TestPrefetchChecked checks that, with CheckPrefetch (as in every test of
// storetest.Each), a transaction fails when it prefetched a read it never
// read, or read it only after a write discarded it; and commits nothing.
func TestPrefetchChecked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		skipSQLite(t, s)
		ctx := context.Background()
		f := newPrefetchFixture(t, s)
		for _, c := range []struct {
			name string
			fn   func(app.Tx) error
			want []string
		}{
			{"NeverRead", func(tx app.Tx) error {
				tx.Prefetch(ctx, app.UserRead(apptest.Client), app.QuoteRead(f.quote+100), app.TransferBatchRead(f.transfer))
				if _, err := tx.User(ctx, apptest.Client); err != nil {
					return err
				}
				return tx.SetSetting(ctx, "k", "w", apptest.Boot)
			}, []string{
				fmt.Sprintf("QuoteRead [%d] was never read", f.quote+100),
				// Filed under the batch's own read once fetched.
				fmt.Sprintf("BatchRead [%d] was never read", f.batch),
			}},
			{"ReadAfterDiscard", writeThenRead(t), []string{
				"SettingRead [k] was read after a write discarded it",
				"UserRead [" + string(apptest.Client) + "] was never read",
			}},
		} {
			t.Run(c.name, func(t *testing.T) {
				err := tx(t, s, c.fn)
				wantCode(t, err, cambista.EINTERNAL)
				for _, w := range c.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not say %q", err, w)
					}
				}
				mustTx(t, s, func(tx app.Tx) error {
					wantSetting(t, tx, "k", "v") // as before the failed transaction
					return nil
				})
			})
		}
	})
}

// TestPrefetchLockOrder checks that Prefetch sends its reads in the order of
// their kinds, which is the lock order, whatever the order of its
// arguments: of two reads that fail, the one of the first kind reports.
func TestPrefetchLockOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		skipSQLite(t, s)
		ctx := context.Background()
		// Not valid UTF-8: PostgreSQL refuses either read.
		user, batch := app.UserRead("\xff"), app.OpenBatchRead("\xff", "USD", "VES")
		for _, order := range [][]app.Read{{user, batch}, {batch, user}} {
			err := tx(t, s, func(tx app.Tx) error {
				tx.Prefetch(ctx, order...)
				_, err := tx.User(ctx, "\xff")
				return err
			})
			if err == nil || !strings.Contains(err.Error(), "store: UserRead (held): ") {
				t.Errorf("prefetched in the order %v: %v; want the user's read to fail first", order, err)
			}
		}
	})
}
