package storetest_test

import (
	"context"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/money"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

func TestAlerts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := apptest.Business(t, s)
		b := apptest.Must(e.Svc.OpenBatch(e.As(apptest.Cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))
		e.Send(apptest.Client, "100")
		e.Send(apptest.Client, "10")
		ves := b.Capital.Currency

		low := &cambista.Alert{Rule: cambista.AlertLowCapital, Subject: "batch:1", BatchID: b.ID,
			Value: money.New(12000, ves), Limit: money.New(100000, ves)}
		age := &cambista.Alert{Rule: cambista.AlertBatchAge, Subject: "batch:1", BatchID: b.ID, OpenFor: 50 * time.Hour, MaxOpen: 48 * time.Hour}
		raise := func(a *cambista.Alert) bool {
			t.Helper()
			ok, err := in(s, func(tx app.Tx) (bool, error) { return tx.RaiseAlert(ctx, a) })
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !raise(low) || !raise(age) || low.ID == 0 || low.RaisedAt.IsZero() {
			t.Fatalf("raise: %+v", low)
		}
		dup := *low
		dup.ID = 0
		if raise(&dup) || dup.ID != 0 {
			t.Fatal("a second active alert of one rule and subject was raised")
		}
		got, err := in(s, func(tx app.Tx) (*cambista.Alert, error) { return tx.Alert(ctx, low.ID) })
		if err != nil || got.CashierID != apptest.Cashier || got.Pair != "USD/VES" || got.Value.String() != "120.00 VES" ||
			got.Limit.String() != "1000.00 VES" || !got.RaisedAt.Equal(low.RaisedAt) || !got.Active() {
			t.Fatalf("alert %+v, %v", got, err)
		}
		got, err = in(s, func(tx app.Tx) (*cambista.Alert, error) { return tx.Alert(ctx, age.ID) })
		if err != nil || got.OpenFor != 50*time.Hour || got.MaxOpen != 48*time.Hour || got.Value.Currency.Code != "" {
			t.Fatalf("age alert %+v, %v", got, err)
		}
		_, err = in(s, func(tx app.Tx) (*cambista.Alert, error) { return tx.Alert(ctx, 999) })
		wantCode(t, err, cambista.ENOTFOUND)

		clear := func(id cambista.ID) bool {
			t.Helper()
			ok, err := in(s, func(tx app.Tx) (bool, error) { return tx.ClearAlert(ctx, id) })
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !clear(low.ID) || clear(low.ID) {
			t.Fatal("an alert must clear once")
		}
		active, err := in(s, func(tx app.Tx) ([]*cambista.Alert, error) { return tx.ActiveAlerts(ctx) })
		if err != nil || len(active) != 1 || active[0].ID != age.ID {
			t.Fatalf("active %v, %v", active, err)
		}
		// Cleared, the crossing can be raised again.
		dup.ID = 0
		if !raise(&dup) || dup.ID == low.ID {
			t.Fatal("a new crossing after a clear was not raised")
		}

		sums := map[string]int64{}
		_, err = in(s, func(tx app.Tx) (struct{}, error) {
			return struct{}{}, tx.PendingPayouts(ctx, func(base, quote string, minor int64) { sums[cambista.Pair(base, quote)] = minor })
		})
		if err != nil || len(sums) != 1 || sums["USD/VES"] != 388000+38800 {
			t.Fatalf("pending payouts %v, %v", sums, err)
		}
	})
}

func TestNotionPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		get := func(entity string, id cambista.ID) string {
			t.Helper()
			p, err := in(s, func(tx app.Tx) (string, error) { return tx.NotionPage(ctx, entity, id) })
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		if p := get("batch", 7); p != "" {
			t.Fatalf("page %q before any was saved", p)
		}
		mustTx(t, s, func(tx app.Tx) error { return tx.SaveNotionPage(ctx, "batch", 7, "p1") })
		mustTx(t, s, func(tx app.Tx) error { return tx.SaveNotionPage(ctx, "account", 7, "p2") })
		mustTx(t, s, func(tx app.Tx) error { return tx.SaveNotionPage(ctx, "batch", 7, "p3") })
		if get("batch", 7) != "p3" || get("account", 7) != "p2" {
			t.Fatalf("pages %q %q, want the replaced p3 and p2", get("batch", 7), get("account", 7))
		}
	})
}
