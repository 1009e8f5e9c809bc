package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// maxGroup is the most write transactions that share one SQLite commit:
// enough for every writer of a busy moment, few enough that the first does
// not wait long for the last.
const maxGroup = 64

// writer queues a store's SQLite write transactions and commits them in
// groups. SQLite has one writer at a time: queuing writers on a mutex in
// the process is fairer and much faster than letting them spin on
// SQLITE_BUSY (the busy timeout still guards against other processes).
// A commit writes every page the transaction dirtied to the WAL, and
// concurrent transactions dirty many of the same pages (index tails, the
// audit and outbox tables), so writers that find others queued behind them
// leave their work to the same commit instead of paying one each.
type writer struct {
	mu sync.Mutex
	// waiting counts the writers queued on mu.
	waiting atomic.Int32
	// joined counts the writers that ran in a group another began.
	joined atomic.Int64
	// open is the group taking members, guarded by mu.
	open *group
}

// WriterQueue is what a store's SQLite writer queue shows from outside.
// Whether writers queue and share commits depends on timing that nothing
// else reveals, so tests wait on it instead of sleeping and check a group
// formed, and operators can see it. On PostgreSQL, whose transactions
// neither queue in the process nor share commits, both are zero.
type WriterQueue struct {
	// Queued is how many write transactions wait for the write lock now.
	Queued int
	// Joined is how many write transactions have run in a group that
	// another began, failed ones included.
	Joined int64
}

// WriterQueue returns the writer queue as it is now.
func (s *Store) WriterQueue() WriterQueue {
	return WriterQueue{Queued: int(s.writer.waiting.Load()), Joined: s.writer.joined.Load()}
}

// group is one SQLite transaction shared by several write transactions,
// its members. Each runs in a savepoint, so a member that fails undoes only
// its own work; one COMMIT makes the work of all the others durable.
type group struct {
	tx *sql.Tx
	// ctx runs the group's own statements: no member's cancellation may
	// stop them, and database/sql rolls a transaction back when the context
	// it began with ends.
	ctx  context.Context
	size int // members that ran in it
	// pending counts the members whose work succeeded and waits for the
	// commit; audited is set when one of them queued audit events.
	pending int
	audited bool
	// enqueued is set when one of them wrote outbox rows.
	enqueued bool
	// broken is why the transaction can no longer commit: SQLite rolled it
	// back as a whole (an interrupted write does), so a savepoint is gone.
	broken error
	// done is closed when err holds the outcome of the pending members.
	done chan struct{}
	err  error
}

// groupFailed is the error of a member whose work succeeded in a group that
// then did not commit. Its work is lost; it runs again, alone, so that if
// one member's work made the commit fail it fails by itself next time.
type groupFailed struct{ cause error }

func (e *groupFailed) Error() string { return fmt.Sprintf("group commit failed: %v", e.cause) }
func (e *groupFailed) Unwrap() error { return e.cause }

// grouped runs fn as a member of the open group, beginning one if none is
// open, and returns once its work has committed or failed. A writer that
// finds others queued leaves its work to the group and lets the next one
// in; the last of the queue (or the one that fills the group) commits.
// alone ends the open group first and commits fn's work by itself.
func (s *Store) grouped(ctx context.Context, t *tx, fn func(*tx) error, alone bool) error {
	w := &s.writer
	w.waiting.Add(1)
	w.mu.Lock()
	w.waiting.Add(-1)
	if alone && w.open != nil {
		s.endGroup(w.open)
	}
	g := w.open
	if g == nil {
		gctx := context.WithoutCancel(ctx)
		sqlTx, err := s.db.BeginTx(gctx, nil)
		if err != nil {
			w.mu.Unlock()
			return fmt.Errorf("begin: %w", err)
		}
		g = &group{tx: sqlTx, ctx: gctx, done: make(chan struct{})}
		w.open = g
	} else {
		w.joined.Add(1)
	}
	g.size++
	t.tx = g.tx
	ran := false
	defer func() {
		if !ran { // fn panicked: end the group, and the panic goes on
			g.broken = errors.New("a member panicked")
			s.endGroup(g)
			w.mu.Unlock()
		}
	}()
	err := g.member(ctx, t, fn)
	ran = true
	if err == nil && g.broken == nil {
		g.pending++
		g.audited = g.audited || len(t.audit) > 0
		g.enqueued = g.enqueued || t.enqueued
	}
	if g.broken == nil && !alone && g.size < maxGroup && w.waiting.Load() > 0 {
		w.mu.Unlock()
		if err != nil {
			return err
		}
		// Not on ctx: the work may commit, and the caller must know.
		<-g.done
		return g.err
	}
	// Commit under the lock: the next writer's BEGIN would spin on
	// SQLITE_BUSY until it ends.
	s.endGroup(g)
	w.mu.Unlock()
	if err != nil {
		return err
	}
	return g.err
}

// member runs fn and writes its audit events in a savepoint, which it
// releases, or rolls back when they fail. A savepoint the transaction lost
// breaks the group.
func (g *group) member(ctx context.Context, t *tx, fn func(*tx) error) error {
	if _, err := t.exec(g.ctx, `SAVEPOINT member`); err != nil {
		g.broken = fmt.Errorf("savepoint: %w", err)
		return nil
	}
	err := fn(t)
	if err == nil {
		err = t.writeAudit(ctx)
	}
	if err != nil {
		if _, rerr := t.exec(g.ctx, `ROLLBACK TO member`); rerr != nil {
			g.broken = fmt.Errorf("roll back to savepoint after %v: %w", err, rerr)
			return err
		}
	}
	if _, rerr := t.exec(g.ctx, `RELEASE member`); rerr != nil {
		g.broken = fmt.Errorf("release savepoint: %w", rerr)
	}
	return err
}

// endGroup commits g, or rolls it back when no work of it is left to
// commit or it broke, and tells its pending members the outcome. The
// caller holds the write lock.
func (s *Store) endGroup(g *group) {
	s.writer.open = nil
	switch {
	case g.broken != nil:
		g.tx.Rollback() // what SQLite left of it
		g.err = &groupFailed{g.broken}
	case g.pending == 0:
		g.tx.Rollback()
	default:
		if err := g.tx.Commit(); err != nil {
			g.err = s.commitFailed(g, err)
		}
	}
	close(g.done)
	if g.err == nil && g.pending > 0 {
		s.opts.Metrics.groupCommitted(g.pending)
		if g.audited {
			s.committed()
		}
		if g.enqueued {
			s.outboxCommitted()
		}
	}
}

// commitFailed is the error of a group's pending members when its COMMIT
// failed. One member's work alone has its own error, as without groups.
// Several run again, alone, when the cause may be a race or one member's
// work (a constraint checked at commit); an I/O error, a full disk or a
// corrupt file is theirs to report, since running again will not help.
func (s *Store) commitFailed(g *group, err error) error {
	if g.pending > 1 {
		var e *sqlite.Error
		if s.dialect.retryable(err) || errors.As(err, &e) && e.Code()&0xff == sqlite3.SQLITE_CONSTRAINT {
			return &groupFailed{err}
		}
	}
	return fmt.Errorf("commit: %w", err)
}
