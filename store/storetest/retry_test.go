package storetest_test

import (
	"context"
	"sync"
	"testing"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
	"github.com/prometheus/client_golang/prometheus"
)

// TestDeadlockIsRetried makes two PostgreSQL transactions lock two users in
// opposite orders. The server aborts one with deadlock_detected; the store
// runs it again and both succeed.
func TestDeadlockIsRetried(t *testing.T) {
	reg := prometheus.NewRegistry()
	s := storetest.Open(t, "postgres", store.Options{Metrics: store.NewMetrics(reg)})
	ctx := context.Background()
	mustTx(t, s, func(tx app.Tx) error {
		for _, id := range []cambista.UserID{"1", "2"} {
			u := &cambista.User{ID: id, DisplayName: string(id), Type: cambista.UserTypeClient, Status: cambista.UserActive, Locale: "es"}
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
		}
		return nil
	})
	var barrier sync.WaitGroup
	barrier.Add(2)
	var once [2]sync.Once
	var wg sync.WaitGroup
	errs := make([]error, 2)
	attempts := make([]int, 2)
	for i, order := range [][2]cambista.UserID{{"1", "2"}, {"2", "1"}} {
		wg.Go(func() {
			errs[i] = s.WithTx(ctx, func(tx app.Tx) error {
				attempts[i]++
				u, err := tx.User(ctx, order[0]) // locks the row
				if err != nil {
					return err
				}
				once[i].Do(func() { barrier.Done(); barrier.Wait() }) // both hold their first lock
				v, err := tx.User(ctx, order[1])
				if err != nil {
					return err
				}
				u.DisplayName, v.DisplayName = u.DisplayName+"+", v.DisplayName+"+"
				if err := tx.UpdateUser(ctx, u); err != nil {
					return err
				}
				return tx.UpdateUser(ctx, v)
			})
		})
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("errors after retry: %v, %v", errs[0], errs[1])
	}
	if attempts[0]+attempts[1] < 3 {
		t.Fatalf("attempts %v: no transaction was retried", attempts)
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var retries float64
	for _, f := range families {
		if f.GetName() == "cambista_db_tx_retries_total" {
			for _, m := range f.GetMetric() {
				retries += m.GetCounter().GetValue()
			}
		}
	}
	if retries < 1 {
		t.Fatalf("cambista_db_tx_retries_total = %v, want at least 1", retries)
	}
}
