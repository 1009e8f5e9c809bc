package storetest_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

func TestLoginLimits(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	storetest.EachOnClock(t, start, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		take := func(client string) time.Duration {
			t.Helper()
			wait, err := in(s, func(tx app.Tx) (time.Duration, error) {
				return tx.TakeLoginAttempt(context.Background(), client, 3, 10*time.Second)
			})
			if err != nil {
				t.Fatal(err)
			}
			return wait
		}
		for i := range 3 {
			if w := take("198.51.100.1"); w != 0 {
				t.Fatalf("attempt %d refused, wait %v", i+1, w)
			}
		}
		if w := take("198.51.100.1"); w != 10*time.Second {
			t.Fatalf("fourth attempt: wait %v, want 10s", w)
		}
		// A refusal counts nothing: the wait does not grow.
		if w := take("198.51.100.1"); w != 10*time.Second {
			t.Fatalf("fifth attempt: wait %v, want 10s", w)
		}
		// Another address has a bucket of its own.
		if w := take("198.51.100.2"); w != 0 {
			t.Fatalf("other address refused, wait %v", w)
		}
		// The bucket regains one attempt an interval.
		c.Add(4 * time.Second)
		if w := take("198.51.100.1"); w != 6*time.Second {
			t.Fatalf("after 4s: wait %v, want 6s", w)
		}
		c.Add(6 * time.Second)
		if w := take("198.51.100.1"); w != 0 {
			t.Fatalf("after 10s: refused, wait %v", w)
		}
		if w := take("198.51.100.1"); w != 10*time.Second {
			t.Fatalf("after the regained attempt: wait %v, want 10s", w)
		}
		// Long after, the bucket is full again and its row gone.
		c.Add(time.Hour)
		for i := range 3 {
			if w := take("198.51.100.3"); w != 0 {
				t.Fatalf("new address, attempt %d refused, wait %v", i+1, w)
			}
		}
		var rows int
		if err := s.DB().QueryRow(`SELECT COUNT(*) FROM login_limits`).Scan(&rows); err != nil || rows != 1 {
			t.Fatalf("%d rows, want 1 (%v)", rows, err)
		}
		// Attempts racing on many connections are each counted once.
		var wg sync.WaitGroup
		var mu sync.Mutex
		allowed := 0
		for range 12 {
			wg.Go(func() {
				wait, err := in(s, func(tx app.Tx) (time.Duration, error) {
					return tx.TakeLoginAttempt(context.Background(), "198.51.100.4", 5, time.Minute)
				})
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				defer mu.Unlock()
				if wait == 0 {
					allowed++
				}
			})
		}
		wg.Wait()
		if allowed != 5 {
			t.Fatalf("%d of 12 racing attempts allowed, want 5", allowed)
		}
	})
}
