package store

import (
	"context"
	"database/sql"
	"log/slog"
	"sync"
)

// stmtCache holds one *sql.Stmt per SQL text; database/sql prepares it
// lazily on each connection that runs it and keeps it there.
//
// A statement is prepared in the background on first sight, never by the
// transaction that asked: preparing needs a connection of its own, and a
// transaction waiting for one while holding its own could deadlock the
// pool. Until it is ready, callers run the SQL text directly.
type stmtCache struct {
	db      *sql.DB
	log     *slog.Logger
	mu      sync.Mutex
	m       map[string]*sql.Stmt // nil value: being prepared
	closed  bool
	pending sync.WaitGroup
}

// get returns the prepared statement for q, or nil if it is not ready yet.
func (c *stmtCache) get(q string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, seen := c.m[q]
	if seen || c.closed {
		return st
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[q] = nil
	c.pending.Add(1)
	go func() {
		defer c.pending.Done()
		st, err := c.db.PrepareContext(context.Background(), q)
		c.mu.Lock()
		defer c.mu.Unlock()
		switch {
		case err != nil:
			c.log.Warn("preparing a statement failed; it runs unprepared until a later try succeeds", "err", err)
			delete(c.m, q) // try again next time
		case c.closed:
			st.Close()
		default:
			c.m[q] = st
		}
	}()
	return nil
}

// close waits for preparations in flight and closes every statement.
func (c *stmtCache) close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.pending.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		if st != nil {
			st.Close()
		}
	}
	c.m = nil
}
