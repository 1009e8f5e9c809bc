package app_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestReplicaReads runs the business on a primary with a streaming read
// replica whose replay the test pauses: the dashboard reads the replica
// (the older snapshot) unless the read is Fresh (the panel's page after a
// person's own change), and the audit log, which promises every event
// committed before it, shows the newest event all the same.
func TestReplicaReads(t *testing.T) {
	pair := storetest.StartReplicated(t)
	ctx := context.Background()
	// This store's commits wait for the replica to have them on disk, not
	// to have applied them, so that they go on while replay is paused.
	s, err := store.Open(ctx, pair.Primary+"&synchronous_commit=on", store.Options{ReadDSN: pair.Replica})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	e := apptest.Business(t, s)
	boot := e.As(apptest.Boot)
	pair.CaughtUp(t)
	before := apptest.Must(e.Svc.Dashboard(boot)).Waiting.Transfers

	storetest.Exec(t, pair.Replica, `SELECT pg_wal_replay_pause()`)
	e.Send(apptest.Client, "100")
	if got := apptest.Must(e.Svc.Dashboard(boot)).Waiting.Transfers; got != before {
		t.Fatalf("the dashboard counts %d pending transfers, want the replica's %d", got, before)
	}
	if got := apptest.Must(e.Svc.Dashboard(app.Fresh(boot))).Waiting.Transfers; got != before+1 {
		t.Fatalf("a fresh dashboard counts %d pending transfers, want %d", got, before+1)
	}
	page := apptest.Must(e.Svc.AuditLog(boot, cambista.AuditFilter{}))
	newest := maxSeq(t, pair.Primary)
	if replica := maxSeq(t, pair.Replica); replica >= newest {
		t.Fatalf("the paused replica has event %d, the newest (%d): the test proves nothing", replica, newest)
	}
	if len(page.Events) == 0 || page.Events[0].Seq != newest {
		t.Fatalf("the audit log's newest event is not %d, the newest sealed", newest)
	}

	storetest.Exec(t, pair.Replica, `SELECT pg_wal_replay_resume()`)
	pair.CaughtUp(t)
	if got := apptest.Must(e.Svc.Dashboard(boot)).Waiting.Transfers; got != before+1 {
		t.Fatalf("after catching up the dashboard counts %d pending transfers, want %d", got, before+1)
	}
}

// maxSeq reads the newest sealed audit event's sequence number.
func maxSeq(t *testing.T, dsn string) int64 {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int64
	if err := db.QueryRow(`SELECT COALESCE(MAX(seq), 0) FROM audit_events`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
