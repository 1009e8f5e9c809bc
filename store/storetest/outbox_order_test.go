package storetest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

func enqueueAbout(t *testing.T, s *store.Store, subject string, runAt time.Time) *cambista.OutboxMessage {
	t.Helper()
	m := &cambista.OutboxMessage{Kind: "notice", Payload: json.RawMessage(`{}`), Subject: subject, RunAt: runAt}
	mustTx(t, s, func(tx app.Tx) error { return tx.Enqueue(context.Background(), m) })
	return m
}

func idsOf(ms ...*cambista.OutboxMessage) string { return fmt.Sprint(ids(ms)) }

// TestOutboxSubjectOrder: a subject's rows are claimed in order, each once
// those before it are done; the rows of a subject waiting together are
// claimed together; a row not yet due holds back the rows after it.
func TestOutboxSubjectOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Now().Add(time.Second) // the rows below are due
		a1 := enqueueAbout(t, s, "transfer:1", time.Time{})
		b := enqueueAbout(t, s, "transfer:2", time.Time{})
		a2 := enqueueAbout(t, s, "transfer:1", time.Time{})
		free := enqueueAbout(t, s, "", time.Time{})
		a3 := enqueueAbout(t, s, "transfer:1", now.Add(time.Hour))
		a4 := enqueueAbout(t, s, "transfer:1", time.Time{})

		got := claim(t, s, now, 10)
		if idsOf(got...) != idsOf(a1, b, a2, free) {
			t.Fatalf("claimed %v, want %v: the heads, with a1's due follower but not what waits behind a3", ids(got), idsOf(a1, b, a2, free))
		}
		if got[0].Claim == "" || got[0].Claim != got[3].Claim || got[0].Subject != "transfer:1" {
			t.Fatalf("claimed rows carry claim %q and %q, subject %q", got[0].Claim, got[3].Claim, got[0].Subject)
		}
		// A new row of a held subject is no head: nobody else takes it.
		a5 := enqueueAbout(t, s, "transfer:1", time.Time{})
		if got := claim(t, s, now, 10); len(got) != 0 {
			t.Fatalf("while transfer:1's head is held, another claim got %v", ids(got))
		}
		for _, m := range []*cambista.OutboxMessage{a1, a2, b, free} {
			mustTx(t, s, func(tx app.Tx) error { return tx.MarkDelivered(ctx, m.ID, held(t, s, m.ID)) })
		}
		if got := claim(t, s, now, 10); len(got) != 0 {
			t.Fatalf("before a3 is due, claimed %v", ids(got))
		}
		if got := claim(t, s, now.Add(2*time.Hour), 10); idsOf(got...) != idsOf(a3, a4, a5) {
			t.Fatalf("once a3 is due, claimed %v, want %v", ids(got), idsOf(a3, a4, a5))
		}
		for _, m := range []*cambista.OutboxMessage{a3, a4, a5} {
			mustTx(t, s, func(tx app.Tx) error { return tx.MarkDelivered(ctx, m.ID, held(t, s, m.ID)) })
		}
		// A row given up does not hold its subject back.
		c1 := enqueueAbout(t, s, "transfer:3", time.Time{})
		c2 := enqueueAbout(t, s, "transfer:3", now.Add(time.Hour))
		if got := claim(t, s, now.Add(3*time.Hour), 10); idsOf(got...) != idsOf(c1, c2) {
			t.Fatalf("claimed %v, want %v", ids(got), idsOf(c1, c2))
		}
		mustTx(t, s, func(tx app.Tx) error { return tx.MarkGivenUp(ctx, c1.ID, held(t, s, c1.ID), "403") })
		mustTx(t, s, func(tx app.Tx) error { return tx.MarkRetry(ctx, c2.ID, held(t, s, c2.ID), 1, "502", now) })
		if got := claim(t, s, now.Add(4*time.Hour), 10); idsOf(got...) != idsOf(c2) {
			t.Fatalf("after its head was given up, claimed %v, want %v", ids(got), idsOf(c2))
		}
	})
}

// TestOutboxRenew: a claim renews only the rows it still holds: not those
// marked, nor those claimed again by another once its lease ended.
func TestOutboxRenew(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Now().Add(time.Second)
		a := enqueueAbout(t, s, "", time.Time{})
		b := enqueueAbout(t, s, "", time.Time{})
		c := enqueueAbout(t, s, "", time.Time{})
		first := claim(t, s, now, 10)
		renew := func(claim string, until time.Time) []cambista.ID {
			t.Helper()
			held, err := in(s, func(tx app.Tx) ([]cambista.ID, error) { return tx.RenewOutbox(ctx, claim, until) })
			if err != nil {
				t.Fatal(err)
			}
			return held
		}
		token := first[0].Claim
		if got := renew(token, now.Add(3*time.Minute)); fmt.Sprint(got) != idsOf(a, b, c) {
			t.Fatalf("renewed %v, want all three", got)
		}
		// The lease (one minute) was renewed: not due after it.
		if got := claim(t, s, now.Add(2*time.Minute), 10); len(got) != 0 {
			t.Fatalf("renewed rows claimed again: %v", ids(got))
		}
		mustTx(t, s, func(tx app.Tx) error { return tx.MarkDelivered(ctx, a.ID, held(t, s, a.ID)) })
		mustTx(t, s, func(tx app.Tx) error { return tx.MarkRetry(ctx, b.ID, held(t, s, b.ID), 1, "502", now.Add(time.Hour)) })
		if got := renew(token, now.Add(3*time.Minute)); fmt.Sprint(got) != idsOf(c) {
			t.Fatalf("after marks, renewed %v, want only %d", got, c.ID)
		}
		second := claim(t, s, now.Add(4*time.Minute), 10)
		if idsOf(second...) != idsOf(c) || second[0].Claim == token {
			t.Fatalf("after the lease ended, claimed %v with claim %q", ids(second), second[0].Claim)
		}
		if got := renew(token, now.Add(10*time.Minute)); len(got) != 0 {
			t.Fatalf("the first claim renewed %v after losing its rows", got)
		}
		if got := renew("", now.Add(10*time.Minute)); len(got) != 0 {
			t.Fatalf("an empty claim renewed %v", got)
		}
	})
}

// waitWake fails the test unless c receives within ten seconds.
func waitWake(t *testing.T, c <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-c:
	case <-time.After(10 * time.Second):
		t.Fatalf("no wake-up after %s", what)
	}
}

// TestOutboxWakeups: a commit that wrote outbox rows wakes the workers of
// the process; one that wrote none, or rolled back, does not.
func TestOutboxWakeups(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		wake, stop := s.OutboxWakeups()
		defer stop()
		other, stopOther := s.OutboxWakeups()
		defer stopOther()
		// Nothing enqueued: a settings write and a rolled-back enqueue.
		mustTx(t, s, func(tx app.Tx) error { return tx.SetSetting(ctx, "x", "1", "1") })
		_ = s.WithTx(ctx, func(tx app.Tx) error {
			if err := tx.Enqueue(ctx, &cambista.OutboxMessage{Kind: "notice", Payload: json.RawMessage(`{}`)}); err != nil {
				return err
			}
			return cambista.Errorf(cambista.EINVALID, cambista.MsgForbidden.Msg("Action", "test"))
		})
		// The in-process wake-up is sent before the commit returns, so
		// none is due now; this process's own NOTIFY is not for it.
		select {
		case <-wake:
			t.Fatal("woken by a commit without outbox rows")
		default:
		}
		enqueueAbout(t, s, "", time.Time{})
		waitWake(t, wake, "a commit with an outbox row")
		waitWake(t, other, "a commit with an outbox row, for the second worker")
		if got := claim(t, s, time.Now(), 10); len(got) != 1 {
			t.Fatalf("woken, claimed %d rows, want the one committed", len(got))
		}
	})
}

// TestOutboxWakeupsAcrossProcesses: on PostgreSQL a commit in one process
// wakes the workers of another, through LISTEN/NOTIFY.
func TestOutboxWakeupsAcrossProcesses(t *testing.T) {
	dsn := storetest.PostgresSchema(t)
	ctx := context.Background()
	open := func() *store.Store {
		s, err := store.Open(ctx, dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		return s
	}
	writer, worker := open(), open()
	wake, stop := worker.OutboxWakeups()
	defer stop()
	// The listener may not listen yet when the first row commits: commit
	// rows until one wakes the worker, within a deadline. Only another
	// process's NOTIFY can: the listener does not wake on starting.
	deadline := time.Now().Add(10 * time.Second)
	for woken := false; !woken; {
		if time.Now().After(deadline) {
			t.Fatal("no wake-up from another process's commits")
		}
		enqueueAbout(t, writer, "", time.Time{})
		select {
		case <-wake:
			woken = true
		case <-time.After(100 * time.Millisecond):
		}
	}
	if got := claim(t, worker, time.Now(), 100); len(got) == 0 {
		t.Fatal("woken, claimed no row")
	}
}
