package store

import (
	"context"
	"database/sql"
	"log/slog"
	"strings"
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

// held declares a statement that a PostgreSQL transaction holds back: the
// pipe sends it with the next statement that returns something, or with
// COMMIT, in one round trip (pipe.go). SQLite runs it at once.
//
// A held statement's outcome is known only once that round trip is
// answered: after the method that issued it has returned, maybe after the
// commit it travelled with. So its error fails the transaction (the
// statement it travelled with, every later one and the commit return it,
// as "store: <op> (held): …"), and scan, when given, may only store what
// it reads. A statement may be held only if no caller acts on its outcome
// but by failing:
//   - a write whose only possible failure is a database error (an outbox
//     or audit row, postings, the update of a row the transaction locked);
//   - a write whose failure is an error the transaction returns anyway,
//     mapped by fail (a second transfer of one quote is ECONFLICT);
//   - a write whose condition the server checks: cambista_check raises
//     SQLSTATE CB001, so a row count nobody reads becomes an error;
//   - a read that only scan uses (the sealer's head, prefetched reads).
//
// Every held statement but a prefetched read counts as a write: it
// discards what was prefetched (tx.writes).
type held struct {
	op  string // the method that issues it, named in its error
	sql string
	// rows, when set, makes sql the text up to VALUES, followed by one row
	// of rows placeholders for each rows arguments.
	rows int
	// lock names the table (or alias) whose rows it locks in a write
	// transaction: FOR UPDATE OF on PostgreSQL.
	lock string
	fail func(error) error // maps its error to the business's; nil keeps it
}

// text is h's statement text for n arguments in t.
func (h held) text(t *tx, n int) string {
	q := h.sql
	if h.rows > 0 {
		var b strings.Builder
		b.WriteString(h.sql)
		for i := 0; i < n; i += h.rows {
			if i > 0 {
				b.WriteString(", ")
			}
			values(&b, i, h.rows)
		}
		q = b.String()
	}
	return q + t.forUpdateOf(h.lock)
}
