package storetest_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
	"github.com/cambista/cambista/web"
)

// reads counts the store's transactions of a kind ("read", "read_replica",
// "stream", "stream_replica").
func reads(t *testing.T, reg *prometheus.Registry, kind string) uint64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var n uint64
	for _, f := range families {
		if f.GetName() != "cambista_db_tx_duration_seconds" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "kind" && l.GetValue() == kind {
					n += m.GetHistogram().GetSampleCount()
				}
			}
		}
	}
	return n
}

// gauge returns a gauge's value, and whether it was there.
func gauge(t *testing.T, reg *prometheus.Registry, name string) (float64, bool) {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() == name && len(f.GetMetric()) == 1 {
			return f.GetMetric()[0].GetGauge().GetValue(), true
		}
	}
	return 0, false
}

// sees reports whether a read with read finds the user.
func sees(t *testing.T, ctx context.Context, read func(context.Context, func(app.Tx) error) error, id cambista.UserID) bool {
	t.Helper()
	found := false
	err := read(ctx, func(tx app.Tx) error {
		_, err := tx.User(ctx, id)
		if cambista.ErrorCode(err) == cambista.ENOTFOUND {
			found = false
			return nil
		}
		found = err == nil
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// TestReadReplica runs a store with a read replica against a real
// streaming replica: ViewReplica and StreamReplica read it; a replica whose
// replay is paused serves an older snapshot (unless the read asks for the
// latest writes, or the lag passes the store's limit), and its lag shows in
// /metrics, 0 again once it caught up with an idle primary; a replica that
// died leaves its reads to the primary, and /readyz ready.
func TestReadReplica(t *testing.T) {
	pair := storetest.StartReplicated(t)
	ctx := context.Background()
	reg := prometheus.NewRegistry()
	s, err := store.Open(ctx, pair.Primary, store.Options{ReadDSN: pair.Replica, ReplicaMaxLag: time.Hour, Metrics: store.NewMetrics(reg)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	// The primary returns a commit once the replica applied it.
	mustTx(t, s, func(tx app.Tx) error { return tx.CreateUser(ctx, client("1")) })

	t.Run("ReadsGoToTheReplica", func(t *testing.T) {
		if !sees(t, ctx, s.ViewReplica, "1") || !sees(t, ctx, s.StreamReplica, "1") {
			t.Fatal("the replica does not have a user committed before")
		}
		if n, m := reads(t, reg, "read_replica"), reads(t, reg, "stream_replica"); n != 1 || m != 1 {
			t.Fatalf("%d views and %d streams on the replica, want 1 and 1", n, m)
		}
		// Caught up with an idle primary: no lag, however long ago the
		// last commit was.
		if lag, err := s.CheckReplica(ctx); err != nil || lag != 0 {
			t.Fatalf("lag %v, %v; want 0", lag, err)
		}
		if v, ok := gauge(t, reg, "cambista_db_replica_lag_seconds"); !ok || v != 0 {
			t.Fatalf("cambista_db_replica_lag_seconds %v (present %v), want 0", v, ok)
		}
	})

	t.Run("Lagging", func(t *testing.T) {
		storetest.Exec(t, pair.Replica, `SELECT pg_wal_replay_pause()`)
		// Committed once the replica has it on disk, not replayed.
		storetest.Exec(t, pair.Primary, `INSERT INTO users (id, display_name, created_at, updated_at) VALUES ('2', 'Bea', 0, 0)`,
			"synchronous_commit = on")
		if sees(t, ctx, s.ViewReplica, "2") {
			t.Fatal("a replica whose replay is paused has the newest user")
		}
		if !sees(t, ctx, s.View, "2") || !sees(t, app.Fresh(ctx), s.ViewReplica, "2") {
			t.Fatal("the primary's reads, or a fresh read, miss the newest user")
		}
		lag, err := s.CheckReplica(ctx)
		if err != nil || lag <= 0 {
			t.Fatalf("lag %v, %v; want more than 0 while replay is paused", lag, err)
		}
		if v, ok := gauge(t, reg, "cambista_db_replica_lag_seconds"); !ok || v <= 0 {
			t.Fatalf("cambista_db_replica_lag_seconds %v (present %v), want more than 0", v, ok)
		}
		// A store that allows less lag reads the primary.
		strict, err := store.Open(ctx, pair.Primary, store.Options{ReadDSN: pair.Replica, ReplicaMaxLag: time.Microsecond})
		if err != nil {
			t.Fatal(err)
		}
		defer strict.Close()
		if !sees(t, ctx, strict.ViewReplica, "2") {
			t.Fatal("a replica lagging past the store's limit served a read")
		}
		storetest.Exec(t, pair.Replica, `SELECT pg_wal_replay_resume()`)
		// Applied on the replica when it commits, and so is all before it.
		mustTx(t, s, func(tx app.Tx) error { return tx.CreateUser(ctx, client("3")) })
		if !sees(t, ctx, s.ViewReplica, "2") || !sees(t, ctx, s.ViewReplica, "3") {
			t.Fatal("the replica did not catch up")
		}
		// Caught up, it serves the reads that must see the latest writes.
		n := reads(t, reg, "read_replica")
		if !sees(t, app.Fresh(ctx), s.ViewReplica, "3") || reads(t, reg, "read_replica") != n+1 {
			t.Fatal("a fresh read did not go to a replica that had caught up")
		}
	})

	t.Run("ReplicaDown", func(t *testing.T) {
		pair.StopReplica(t)
		before := reads(t, reg, "read") + reads(t, reg, "stream")
		if !sees(t, ctx, s.StreamReplica, "3") || !sees(t, ctx, s.ViewReplica, "3") {
			t.Fatal("reads of a dead replica did not go to the primary")
		}
		if n := reads(t, reg, "read") + reads(t, reg, "stream") - before; n != 2 {
			t.Fatalf("%d reads on the primary, want 2", n)
		}
		if _, err := s.CheckReplica(ctx); err == nil {
			t.Fatal("a dead replica answers")
		}
		srv := httptest.NewServer(web.NewServer(s, reg, nil).OpsHandler())
		defer srv.Close()
		res, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("/readyz answered %d with the replica down, want 200", res.StatusCode)
		}
		res, err = http.Get(srv.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(body), "\ncambista_db_replica_up 0\n") || strings.Contains(string(body), "cambista_db_replica_lag_seconds ") {
			t.Fatalf("/metrics with the replica down does not say it is down:\n%s", body)
		}
	})
}
