package storetest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

func enqueue(t *testing.T, s *store.Store, kind string, runAt time.Time) *cambista.OutboxMessage {
	t.Helper()
	m := &cambista.OutboxMessage{Kind: kind, Payload: json.RawMessage(`{"n":1}`), RunAt: runAt}
	mustTx(t, s, func(tx app.Tx) error { return tx.Enqueue(context.Background(), m) })
	return m
}

// in runs fn in a transaction of its own, as each step of the outbox worker
// runs, and returns its value.
func in[T any](s *store.Store, fn func(tx app.Tx) (T, error)) (T, error) {
	var v T
	err := s.WithTx(context.Background(), func(tx app.Tx) error {
		var err error
		v, err = fn(tx)
		return err
	})
	return v, err
}

// held returns the claim that holds the row now ("" for none), for marks
// in tests that are not about claims.
func held(t *testing.T, s *store.Store, id cambista.ID) string {
	t.Helper()
	var claim string
	if err := s.DB().QueryRow(`SELECT claim FROM outbox WHERE id = $1`, id).Scan(&claim); err != nil {
		t.Fatal(err)
	}
	return claim
}

func claim(t *testing.T, s *store.Store, now time.Time, limit int) []*cambista.OutboxMessage {
	t.Helper()
	got, err := in(s, func(tx app.Tx) ([]*cambista.OutboxMessage, error) {
		return tx.ClaimOutbox(context.Background(), now, limit, time.Minute)
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func oldest(s *store.Store, kinds ...string) (time.Time, error) {
	return in(s, func(tx app.Tx) (time.Time, error) { return tx.OldestUndelivered(context.Background(), kinds...) })
}

func progress(s *store.Store, id cambista.ID) (string, error) {
	return in(s, func(tx app.Tx) (string, error) { return tx.OutboxProgress(context.Background(), id) })
}

func ids(ms []*cambista.OutboxMessage) []cambista.ID {
	out := make([]cambista.ID, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

func TestOutboxDelivery(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := enqueue(t, s, "notice", time.Time{})
		b := enqueue(t, s, "discord.role", time.Time{})
		later := enqueue(t, s, "notice", time.Now().Add(time.Hour))
		now := time.Now()

		t.Run("ClaimDueByIDAndLease", func(t *testing.T) {
			got := claim(t, s, now, 10)
			if fmt.Sprint(ids(got)) != fmt.Sprint([]cambista.ID{a.ID, b.ID}) {
				t.Fatalf("claimed %v, want [%d %d]", ids(got), a.ID, b.ID)
			}
			if g := got[1]; g.Kind != "discord.role" || string(g.Payload) != `{"n":1}` || g.Attempts != 0 ||
				!g.CreatedAt.Equal(b.CreatedAt) || !g.RunAt.Equal(now.Add(time.Minute).Truncate(time.Microsecond)) {
				t.Fatalf("claimed %+v", g)
			}
			if got := claim(t, s, now.Add(59*time.Second), 10); len(got) != 0 {
				t.Fatalf("leased rows claimed again: %v", ids(got))
			}
			if got := claim(t, s, now.Add(61*time.Second), 1); fmt.Sprint(ids(got)) != fmt.Sprint([]cambista.ID{a.ID}) {
				t.Fatalf("after the lease, limit 1: claimed %v, want [%d]", ids(got), a.ID)
			}
		})

		t.Run("MarkRetry", func(t *testing.T) {
			mustTx(t, s, func(tx app.Tx) error {
				return tx.MarkRetry(ctx, a.ID, held(t, s, a.ID), 3, "HTTP 500", now.Add(10*time.Minute))
			})
			if got := claim(t, s, now.Add(9*time.Minute), 10); fmt.Sprint(ids(got)) != fmt.Sprint([]cambista.ID{b.ID}) {
				t.Fatalf("claimed %v before the retry time, want only [%d]", ids(got), b.ID)
			}
			got := claim(t, s, now.Add(11*time.Minute), 10)
			if len(got) != 2 || got[0].ID != a.ID || got[0].Attempts != 3 || got[0].LastError != "HTTP 500" {
				t.Fatalf("claimed %+v, want row %d with 3 attempts and its error, then row %d", got, a.ID, b.ID)
			}
		})

		t.Run("OldestUndelivered", func(t *testing.T) {
			got, err := oldest(s)
			if err != nil || !got.Equal(a.CreatedAt) {
				t.Fatalf("oldest = %v, %v; want %v", got, err, a.CreatedAt)
			}
		})

		t.Run("DeliveredAndGivenUpAreDone", func(t *testing.T) {
			mustTx(t, s, func(tx app.Tx) error { return tx.MarkDelivered(ctx, a.ID, held(t, s, a.ID)) })
			mustTx(t, s, func(tx app.Tx) error { return tx.MarkGivenUp(ctx, b.ID, held(t, s, b.ID), "HTTP 403 Missing Access") })
			if got := claim(t, s, now.Add(24*time.Hour), 10); fmt.Sprint(ids(got)) != fmt.Sprint([]cambista.ID{later.ID}) {
				t.Fatalf("claimed %v, want only the row not yet done [%d]", ids(got), later.ID)
			}
			var lastErr string
			var delivered, givenUp *int64
			if err := s.DB().QueryRow(`SELECT last_error, given_up_at, delivered_at FROM outbox WHERE id = $1`, b.ID).Scan(&lastErr, &givenUp, &delivered); err != nil {
				t.Fatal(err)
			}
			if lastErr != "HTTP 403 Missing Access" || givenUp == nil || delivered != nil {
				t.Fatalf("given-up row: last_error %q, given_up_at %v, delivered_at %v", lastErr, givenUp, delivered)
			}
			got, err := oldest(s)
			if err != nil || !got.Equal(later.CreatedAt) {
				t.Fatalf("oldest = %v, %v; want %v (delivered and given-up rows do not count)", got, err, later.CreatedAt)
			}
			mustTx(t, s, func(tx app.Tx) error { return tx.MarkDelivered(ctx, later.ID, held(t, s, later.ID)) })
			if got, err := oldest(s); err != nil || !got.IsZero() {
				t.Fatalf("oldest with nothing pending = %v, %v; want zero", got, err)
			}
		})

		t.Run("Progress", func(t *testing.T) {
			m := enqueue(t, s, "notice", time.Time{})
			first := claim(t, s, now.Add(time.Hour), 10)
			mustTx(t, s, func(tx app.Tx) error {
				return tx.MarkRetry(ctx, m.ID, first[0].Claim, 1, "HTTP 502", now.Add(time.Hour))
			})
			if p, err := progress(s, m.ID); err != nil || p != "" {
				t.Fatalf("new row progress = %q, %v", p, err)
			}
			got := claim(t, s, now.Add(2*time.Hour), 10)
			mustTx(t, s, func(tx app.Tx) error { return tx.SaveOutboxProgress(ctx, m.ID, got[0].Claim, "channel", "") })
			if p, err := progress(s, m.ID); err != nil || p != "channel" || len(got) != 1 || got[0].LastError != "HTTP 502" {
				t.Fatalf("progress = %q, %v; row %+v: want progress saved and last_error kept", p, err, got)
			}
			mustTx(t, s, func(tx app.Tx) error {
				return tx.SaveOutboxProgress(ctx, m.ID, got[0].Claim, "channel,dm", "DM blocked")
			})
			again := claim(t, s, now.Add(3*time.Hour), 10)
			if p, _ := progress(s, m.ID); p != "channel,dm" || len(again) != 1 || again[0].LastError != "DM blocked" {
				t.Fatalf("progress = %q, row %+v: want progress and note saved", p, again)
			}
			// The claim before holds the row no more: what it records is refused.
			for name, step := range map[string]func(tx app.Tx) error{
				"SaveOutboxProgress":   func(tx app.Tx) error { return tx.SaveOutboxProgress(ctx, m.ID, got[0].Claim, "", "late") },
				"MarkRetry":            func(tx app.Tx) error { return tx.MarkRetry(ctx, m.ID, got[0].Claim, 9, "late", now) },
				"MarkGivenUp":          func(tx app.Tx) error { return tx.MarkGivenUp(ctx, m.ID, got[0].Claim, "late") },
				"MarkDelivered":        func(tx app.Tx) error { return tx.MarkDelivered(ctx, m.ID, got[0].Claim) },
				"MarkDeliveredNoClaim": func(tx app.Tx) error { return tx.MarkDelivered(ctx, m.ID, "") },
			} {
				if err := tx(t, s, step); !errors.Is(err, cambista.ErrClaimLost) {
					t.Errorf("%s by the old claim: %v, want ErrClaimLost", name, err)
				}
			}
			mustTx(t, s, func(tx app.Tx) error { return tx.MarkDelivered(ctx, m.ID, again[0].Claim) })
			var lastErr string
			var attempts int
			var delivered *int64
			if err := s.DB().QueryRow(`SELECT last_error, attempts, delivered_at FROM outbox WHERE id = $1`, m.ID).Scan(&lastErr, &attempts, &delivered); err != nil {
				t.Fatal(err)
			}
			if p, _ := progress(s, m.ID); p != "channel,dm" || lastErr != "DM blocked" || attempts != 1 || delivered == nil {
				t.Fatalf("after the old claim's marks: progress %q, last_error %q, attempts %d, delivered %v; want the holder's record alone", p, lastErr, attempts, delivered)
			}
		})

		t.Run("ErrNotFound", func(t *testing.T) {
			wantCode(t, tx(t, s, func(tx app.Tx) error { return tx.MarkDelivered(ctx, 999999, "x") }), cambista.ENOTFOUND)
			wantCode(t, tx(t, s, func(tx app.Tx) error { return tx.MarkRetry(ctx, 999999, "x", 1, "x", now) }), cambista.ENOTFOUND)
			wantCode(t, tx(t, s, func(tx app.Tx) error { return tx.MarkGivenUp(ctx, 999999, "x", "x") }), cambista.ENOTFOUND)
			wantCode(t, tx(t, s, func(tx app.Tx) error { return tx.SaveOutboxProgress(ctx, 999999, "x", "dm", "") }), cambista.ENOTFOUND)
			_, err := progress(s, 999999)
			wantCode(t, err, cambista.ENOTFOUND)
		})
	})
}

// TestOutboxKinds: a worker claims and measures only the kinds it
// delivers, leaving the others to their own workers.
// TestOutboxAfter: the rows of a subject after a row, still to deliver,
// in order; other subjects' rows and rows done are not among them.
func TestOutboxAfter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		add := func(subject string) *cambista.OutboxMessage {
			m := &cambista.OutboxMessage{Kind: "notice", Payload: json.RawMessage(`{"n":1}`), Subject: subject}
			mustTx(t, s, func(tx app.Tx) error { return tx.Enqueue(ctx, m) })
			return m
		}
		first, other, second, third := add("transfer:1"), add("transfer:2"), add("transfer:1"), add("transfer:1")
		after := func(m *cambista.OutboxMessage) []cambista.ID {
			t.Helper()
			got, err := in(s, func(tx app.Tx) ([]*cambista.OutboxMessage, error) { return tx.OutboxAfter(ctx, m.Subject, m.ID) })
			if err != nil {
				t.Fatal(err)
			}
			return ids(got)
		}
		if got := after(first); fmt.Sprint(got) != fmt.Sprint([]cambista.ID{second.ID, third.ID}) {
			t.Fatalf("after the first: %v, want [%d %d]", got, second.ID, third.ID)
		}
		if got := after(other); len(got) != 0 {
			t.Fatalf("after the other subject's row: %v, want none", got)
		}
		claim(t, s, time.Now(), 10)
		mustTx(t, s, func(tx app.Tx) error { return tx.MarkDelivered(ctx, second.ID, held(t, s, second.ID)) })
		mustTx(t, s, func(tx app.Tx) error { return tx.MarkGivenUp(ctx, third.ID, held(t, s, third.ID), "x") })
		if got := after(first); len(got) != 0 {
			t.Fatalf("after the first, the rest done: %v, want none", got)
		}
	})
}

func TestOutboxKinds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		notion := enqueue(t, s, "notion.page", time.Time{})
		notice := enqueue(t, s, "notice", time.Time{})
		role := enqueue(t, s, "discord.role", time.Time{})
		now := time.Now()
		if got, err := oldest(s, "notice", "discord.role"); err != nil || !got.Equal(notice.CreatedAt) {
			t.Fatalf("oldest of two kinds = %v, %v; want %v", got, err, notice.CreatedAt)
		}
		got, err := in(s, func(tx app.Tx) ([]*cambista.OutboxMessage, error) {
			return tx.ClaimOutbox(ctx, now, 10, time.Minute, "notice", "discord.role")
		})
		if err != nil || fmt.Sprint(ids(got)) != fmt.Sprint([]cambista.ID{notice.ID, role.ID}) {
			t.Fatalf("claimed %v, %v; want [%d %d]", ids(got), err, notice.ID, role.ID)
		}
		if got := claim(t, s, now, 10); fmt.Sprint(ids(got)) != fmt.Sprint([]cambista.ID{notion.ID}) {
			t.Fatalf("claim of any kind got %v, want the row left [%d]", ids(got), notion.ID)
		}
	})
}

func TestMessageRefs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ref := func(entity string, id cambista.ID, channel string) string {
			t.Helper()
			r, err := in(s, func(tx app.Tx) (string, error) { return tx.MessageRef(ctx, entity, id, channel) })
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		if r := ref("transfer", 7, "100"); r != "" {
			t.Fatalf("ref before any save = %q", r)
		}
		for _, save := range []struct {
			entity     string
			id         cambista.ID
			channel, m string
		}{{"transfer", 7, "100", "m1"}, {"transfer", 7, "200", "m2"}, {"batch", 7, "100", "m3"}, {"transfer", 7, "100", "m4"}} {
			mustTx(t, s, func(tx app.Tx) error {
				return tx.SaveMessageRefs(ctx, save.entity, []cambista.ID{save.id}, save.channel, save.m)
			})
		}
		if a, b, c, d := ref("transfer", 7, "100"), ref("transfer", 7, "200"), ref("batch", 7, "100"), ref("transfer", 8, "100"); a != "m4" || b != "m2" || c != "m3" || d != "" {
			t.Fatalf("refs = %q %q %q %q, want m4 (replaced) m2 m3 and none", a, b, c, d)
		}

		// A message shared by several transfers (a queue card), first under
		// a placeholder, then under its ID; 7 moves to it from m4.
		for _, m := range []string{"posting:q1", "m5"} {
			mustTx(t, s, func(tx app.Tx) error { return tx.SaveMessageRefs(ctx, "transfer", []cambista.ID{9, 7, 8}, "100", m) })
			shows, err := in(s, func(tx app.Tx) ([]cambista.ID, error) { return tx.MessageShows(ctx, "transfer", "100", m) })
			if err != nil || !slices.Equal(shows, []cambista.ID{7, 8, 9}) {
				t.Fatalf("message %s shows %v (%v), want 7 8 9", m, shows, err)
			}
		}
		refs, err := in(s, func(tx app.Tx) (map[cambista.ID]string, error) {
			return tx.MessageRefs(ctx, "transfer", []cambista.ID{7, 8, 10}, "100")
		})
		if err != nil || !maps.Equal(refs, map[cambista.ID]string{7: "m5", 8: "m5"}) {
			t.Fatalf("refs %v (%v), want 7 and 8 on m5, 10 none", refs, err)
		}
		if shows, err := in(s, func(tx app.Tx) ([]cambista.ID, error) { return tx.MessageShows(ctx, "transfer", "100", "m4") }); err != nil || len(shows) != 0 {
			t.Fatalf("m4 still shows %v (%v)", shows, err)
		}
	})
}

// TestOutboxConcurrentClaims: several workers claim from one queue at once.
// Every row is claimed, and none by two workers.
func TestOutboxConcurrentClaims(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		const rows, workers = 300, 8
		ctx := context.Background()
		mustTx(t, s, func(tx app.Tx) error {
			for range rows {
				if err := tx.Enqueue(ctx, &cambista.OutboxMessage{Kind: "notice", Payload: json.RawMessage(`{}`)}); err != nil {
					return err
				}
			}
			return nil
		})
		now := time.Now()
		var mu sync.Mutex
		claimedBy := map[cambista.ID][]int{}
		var start, wg sync.WaitGroup
		start.Add(1)
		errs := make([]error, workers)
		for w := range workers {
			wg.Go(func() {
				start.Wait()
				for {
					got, err := in(s, func(tx app.Tx) ([]*cambista.OutboxMessage, error) { return tx.ClaimOutbox(ctx, now, 7, time.Hour) })
					if err != nil {
						errs[w] = err
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, m := range got {
						claimedBy[m.ID] = append(claimedBy[m.ID], w)
					}
					mu.Unlock()
				}
			})
		}
		start.Done()
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if len(claimedBy) != rows {
			t.Fatalf("%d rows claimed, want %d", len(claimedBy), rows)
		}
		for id, by := range claimedBy {
			if len(by) != 1 {
				t.Errorf("row %d claimed by workers %v", id, by)
			}
		}
	})
}
