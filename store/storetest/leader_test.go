package storetest_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// leadEvent is a contender's work starting or ending.
type leadEvent struct {
	who   int
	start bool
}

// contender is one process's Lead, on a store of its own.
type contender struct {
	st     *store.Store
	cancel context.CancelFunc
	// done is closed when Lead has returned, with err.
	done chan struct{}
	err  error
	// standing receives a value each time the contender logs that it
	// stands by.
	standing chan struct{}
}

// contend runs Lead for role on a store of its own over dsn; the work
// reports its start and end on events and counts the contenders working.
func contend(t *testing.T, dsn, role string, who int, running *atomic.Int32, events chan<- leadEvent) *contender {
	t.Helper()
	c := &contender{done: make(chan struct{}), standing: make(chan struct{}, 100)}
	st, err := store.Open(context.Background(), dsn, store.Options{Logger: slog.New(&signalHandler{msg: "standing by: another process leads", c: c.standing})})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c.st = st
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	t.Cleanup(func() { cancel(); <-c.done })
	go func() {
		defer close(c.done)
		c.err = st.Lead(ctx, role, func(ctx context.Context) error {
			running.Add(1)
			events <- leadEvent{who: who, start: true}
			<-ctx.Done()
			running.Add(-1)
			events <- leadEvent{who: who}
			return nil
		})
	}()
	return c
}

// signalHandler signals c on each record with the message msg.
type signalHandler struct {
	msg string
	c   chan struct{}
}

func (h *signalHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *signalHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Message == h.msg {
		h.c <- struct{}{}
	}
	return nil
}
func (h *signalHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *signalHandler) WithGroup(string) slog.Handler      { return h }

// next returns the next event, failing the test after a minute.
func next(t *testing.T, events <-chan leadEvent) leadEvent {
	t.Helper()
	select {
	case e := <-events:
		return e
	case <-time.After(time.Minute):
		t.Fatal("no contender started or stopped its work within a minute")
		return leadEvent{}
	}
}

// TestLeadOneAtATime: three contenders on one PostgreSQL schema; one works,
// the others stand by. Stopped, the leader lets the lock go and another
// takes over, never two at once; the leader whose database session the
// server ends stops its work, and a contender takes over. A contender on
// another schema of the same database leads all along.
func TestLeadOneAtATime(t *testing.T) {
	dsn := storetest.PostgresSchema(t)
	other := storetest.PostgresSchema(t)
	const role = "scheduler"
	var running, runningOther atomic.Int32
	events := make(chan leadEvent, 100)
	otherEvents := make(chan leadEvent, 100)
	cs := make([]*contender, 3)
	for i := range cs {
		cs[i] = contend(t, dsn, role, i, &running, events)
	}
	contend(t, other, role, 0, &runningOther, otherEvents)
	if e := next(t, otherEvents); !e.start {
		t.Fatalf("the other schema's contender: %+v", e)
	}

	first := next(t, events)
	if !first.start || running.Load() != 1 {
		t.Fatalf("first event %+v with %d working", first, running.Load())
	}
	for i, c := range cs {
		if i != first.who {
			select { // it tried, and the lock was held
			case <-c.standing:
			case <-time.After(time.Minute):
				t.Fatalf("contender %d neither leads nor stands by", i)
			}
		}
	}
	if running.Load() != 1 {
		t.Fatalf("%d contenders working", running.Load())
	}

	// The leader keeps the lock across its checks: its session pings
	// twice (pgx's "-- ping", after waits that timed out), and it works on.
	db := cs[first.who].st.DB()
	holder := storetest.LeaderSession(t, db, dsn, role)
	var pinged time.Time
	for pings := 0; pings < 2; {
		var query string
		var at time.Time
		if err := db.QueryRow(`SELECT query, state_change FROM pg_stat_activity WHERE pid = $1`, holder).Scan(&query, &at); err != nil {
			t.Fatal(err)
		}
		if query == "-- ping" && at.After(pinged) {
			pinged = at
			pings++
			continue
		}
		select {
		case e := <-events:
			t.Fatalf("while the leader checks its lock: %+v", e)
		case <-time.After(20 * time.Millisecond):
		}
	}
	if now := storetest.LeaderSession(t, db, dsn, role); now != holder || running.Load() != 1 {
		t.Fatalf("after two checks, session %d holds the lock (was %d) and %d contenders work", now, holder, running.Load())
	}

	// A leader that stops lets the lock go after its work has ended.
	cs[first.who].cancel()
	if e := next(t, events); e != (leadEvent{who: first.who}) {
		t.Fatalf("after the leader's stop: %+v", e)
	}
	if <-cs[first.who].done; cs[first.who].err != nil {
		t.Fatalf("Lead returned %v after its context ended", cs[first.who].err)
	}
	second := next(t, events)
	if !second.start || second.who == first.who || running.Load() != 1 {
		t.Fatalf("after the handover: %+v with %d working", second, running.Load())
	}

	// The server ends the leader's session: its work stops, and a
	// contender (perhaps itself, on a new session) takes over. A stand-by
	// may take the lock before the leader's work has seen the loss (see
	// store.Lead), so the two events come in either order.
	pid := storetest.LeaderSession(t, db, dsn, role)
	if pid == 0 {
		t.Fatal("no session holds the lock")
	}
	if _, err := db.Exec(`SELECT pg_terminate_backend($1)`, pid); err != nil {
		t.Fatal(err)
	}
	stopped, tookOver := false, false
	for !stopped || !tookOver {
		switch e := next(t, events); {
		case e == leadEvent{who: second.who}:
			stopped = true
		case e.start && !tookOver:
			tookOver = true
		default:
			t.Fatalf("after the leader's session ended: %+v", e)
		}
	}
	if now := storetest.LeaderSession(t, db, dsn, role); now == 0 || now == pid {
		t.Fatalf("lock held by session %d after session %d ended", now, pid)
	}
	if runningOther.Load() != 1 {
		t.Fatal("the other schema's contender stopped working")
	}
}

// TestLeadSQLite: a SQLite database is one process's, which always leads.
func TestLeadSQLite(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "cambista.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- st.Lead(ctx, "scheduler", func(ctx context.Context) error {
			close(started)
			<-ctx.Done()
			return ctx.Err()
		})
	}()
	<-started
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Lead returned %v after its context ended", err)
	}
}
