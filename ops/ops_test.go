package ops_test

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/ops"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
	"github.com/prometheus/client_golang/prometheus"
)

// counting counts the reads that reach the service.
type counting struct {
	svc   *app.Service
	reads atomic.Int32
	fail  error
}

func (c *counting) Operations(ctx context.Context) (*app.Operations, error) {
	c.reads.Add(1)
	if c.fail != nil {
		return nil, c.fail
	}
	return c.svc.Operations(ctx)
}

func TestCollector(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := apptest.Business(t, s)
		apptest.Must(e.Svc.OpenBatch(e.As(apptest.Cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))
		e.Send(apptest.Client, "100") // pending, pays 3,880.00 VES

		r := &counting{svc: e.Svc}
		sys := cambista.WithActor(t.Context(), cambista.SystemActor)
		direct := apptest.Must(e.Svc.Operations(sys))
		if direct.OutboxWaiting == 0 {
			t.Fatal("no outbox message waits")
		}
		reg := prometheus.NewPedanticRegistry()
		reg.MustRegister(ops.New(sys, r, ops.Config{Cache: time.Hour, PendingTTL: 24 * time.Hour}))
		for _, c := range []struct {
			name   string
			labels []string
			want   float64
		}{
			{"cambista_batch_capital_minor", []string{"USD", "VES"}, 400000},
			{"cambista_batch_capital_lowest_minor", []string{"USD", "VES"}, 400000},
			{"cambista_batches_open", []string{"USD", "VES"}, 1},
			{"cambista_pending_transfers", []string{"USD", "VES"}, 1},
			{"cambista_pending_payout_minor", []string{"USD", "VES"}, 388000},
			{"cambista_transfers", []string{"pending"}, 1},
			{"cambista_transfers", []string{"expired"}, 0}, // every state, none missing
			{"cambista_pending_ttl_seconds", nil, 86400},
			{"cambista_outbox_waiting", nil, float64(direct.OutboxWaiting)},
			{"cambista_audit_last_verified_timestamp_seconds", nil, 0},
			{"cambista_business_read_ok", nil, 1},
		} {
			if got := gauge(t, reg, c.name, c.labels...); got != c.want {
				t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
			}
		}
		if v := gauge(t, reg, "cambista_pending_oldest_age_seconds"); v <= 0 {
			t.Fatalf("oldest pending transfer's age %v", v)
		}
		// Many gatherings, one read: the cache serves the scrapes.
		if n := r.reads.Load(); n != 1 {
			t.Fatalf("%d reads for gatherings within the cache period", n)
		}

		// A failed read says so, and exports no stale figure.
		r2 := &counting{svc: e.Svc, fail: errors.New("database down")}
		reg2 := prometheus.NewPedanticRegistry()
		reg2.MustRegister(ops.New(sys, r2, ops.Config{}))
		if v := gauge(t, reg2, "cambista_business_read_ok"); v != 0 {
			t.Fatalf("read_ok %v after a failed read", v)
		}
		mfs, err := reg2.Gather()
		if err != nil || len(mfs) != 2 {
			t.Fatalf("after a failed read, %d families (want read_ok and the TTL), %v", len(mfs), err)
		}
	})
}

// gauge gathers reg and returns the value of the gauge name whose label
// values are labels, in order.
func gauge(t *testing.T, reg prometheus.Gatherer, name string, labels ...string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			var values []string
			for _, l := range m.GetLabel() {
				values = append(values, l.GetValue())
			}
			if slices.Equal(values, labels) {
				return m.GetGauge().GetValue()
			}
		}
	}
	t.Fatalf("no %s%v", name, labels)
	return 0
}
