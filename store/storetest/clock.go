package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/cambista/cambista/store"
)

// Clock is a clock for store.Options.Now that moves only when the test
// moves it, so that what expires after a while expires without sleeping.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock that shows start.
func NewClock(start time.Time) *Clock { return &Clock{t: start} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Add moves the clock by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// EachOnClock runs fn as Each does, each store on a clock of its own that
// starts at start.
func EachOnClock(t *testing.T, start time.Time, fn func(t *testing.T, s *store.Store, c *Clock)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(d, func(t *testing.T) {
			c := NewClock(start)
			fn(t, Open(t, d, store.Options{Now: c.Now, CheckPrefetch: true}), c)
		})
	}
}
