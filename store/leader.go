package store

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// Leadership: work that must run in one process at a time (the periodic
// jobs, the Discord gateway session) runs under a role's lock, and every
// process that can do the work contends for it.
//
// On PostgreSQL the lock is a session-level advisory lock, taken with
// pg_try_advisory_lock on a connection of its own (outside the pool) that
// the holder keeps for as long as it leads. The server releases the lock
// when that session ends, so a holder killed with kill -9 or cut off from
// the database frees the role without anyone's help; stand-bys try again
// every leaderRetry and one of them takes over. The holder pings its
// connection every leaderCheck, and a ping that fails or does not answer
// in time ends its work: a holder that can no longer show it holds the
// lock stops. A session the server ends is noticed at once (the holder
// reads its connection); the work then stops, but a stand-by may take the
// lock before it has, so the two may overlap for as long as the work takes
// to stop (the jobs run under the lock are idempotent, and so is the
// handling of a Discord interaction). A holder that is only cut off stops
// within two leaderChecks, while the server keeps the lock until it sees
// the connection dead, so no one else leads meanwhile.
//
// On SQLite the database is one file that one process serves, so the
// process always leads: Lead runs the work at once. Two processes serving
// one SQLite file would both lead.

const (
	// leaderRetry is how often a stand-by tries to take the lock.
	leaderRetry = time.Second
	// leaderCheck is how often the holder pings its session, to learn
	// that the lock is still there; a ping not answered within it fails.
	leaderCheck = time.Second
)

// Lead runs work whenever this process holds role's lock, until ctx ends:
// it waits for the lock, runs work under a context that ends when the lock
// is lost or ctx ends, waits for work to return, then lets the lock go and
// contends again. The lock is distinct for each role and each schema, so
// deployments sharing a database do not meet. Lead returns nil once ctx
// has ended, or the error that work returned while ctx had not: such an
// error is the caller's (say, the gateway refused the bot's token).
// Work that returns nil before its context ends gives the lock up; Lead
// contends again.
func (s *Store) Lead(ctx context.Context, role string, work func(ctx context.Context) error) error {
	m := s.opts.Metrics
	m.leading(role, false)
	if s.dsn == "" {
		m.leading(role, true)
		defer m.leading(role, false)
		s.opts.Logger.Info("leading: one process serves a SQLite database", "role", role)
		return nilIfDone(ctx, work(ctx))
	}
	var l *leaderConn
	defer func() {
		if l != nil {
			l.close()
		}
	}()
	// said is what the contention last logged: a stand-by, or a database
	// that keeps failing, says so once rather than every leaderRetry.
	said := ""
	say := func(level slog.Level, msg string, args ...any) {
		if msg != said {
			said = msg
			s.opts.Logger.Log(ctx, level, msg, append([]any{"role", role}, args...)...)
		}
	}
	for {
		var err error
		if l == nil {
			l, err = s.leaderConn(ctx, role)
		}
		var got bool
		if l != nil {
			if got, err = l.try(ctx); err != nil {
				l.close()
				l = nil
			}
		}
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			say(slog.LevelWarn, "contending for the lead failed; trying again", "err", err, "every", leaderRetry)
		case got:
			said = ""
			err := s.holdLead(ctx, l, work)
			// The session ends with the lead: the server lets the lock
			// go, whatever state the connection is in.
			l.close()
			l = nil
			if err != nil {
				return err
			}
		default:
			say(slog.LevelInfo, "standing by: another process leads")
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(leaderRetry):
		}
	}
}

// holdLead runs work while l's lock holds, and returns once work has
// returned: when ctx ends, when the lock is lost, or by itself.
func (s *Store) holdLead(ctx context.Context, l *leaderConn, work func(ctx context.Context) error) error {
	m, log := s.opts.Metrics, s.opts.Logger.With("role", l.role)
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- work(wctx) }()
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	lost := make(chan error, 1)
	go func() { lost <- l.watch(watchCtx) }()
	m.leading(l.role, true)
	defer m.leading(l.role, false)
	log.Info("took the lead")
	select {
	case err := <-done:
		stopWatch()
		<-lost
		switch err = nilIfDone(ctx, err); {
		case err != nil:
			log.Error("the leader's work failed; letting the lead go", "err", err)
			return err
		case ctx.Err() != nil:
			log.Info("letting the lead go: stopping")
		default:
			log.Info("the leader's work ended; letting the lead go")
		}
		return nil
	case err := <-lost:
		if ctx.Err() != nil {
			log.Info("letting the lead go: stopping")
			cancel()
			return nilIfDone(ctx, <-done)
		}
		log.Error("lost the lead: the lock's database session is gone; stopping the leader's work", "err", err)
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			log.Warn("the leader's work ended with an error", "err", err)
		}
		return nil
	}
}

// nilIfDone is err, unless ctx has ended: then the error is ctx's doing.
func nilIfDone(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// leaderConn is a PostgreSQL session of its own that holds, or tries to
// take, one role's advisory lock.
type leaderConn struct {
	conn *pgx.Conn
	role string
	key  int64
}

// leaderConn connects and derives the role's lock key from the schema the
// connection uses.
func (s *Store) leaderConn(ctx context.Context, role string) (*leaderConn, error) {
	conn, err := pgx.Connect(ctx, s.dsn)
	if err != nil {
		return nil, err
	}
	var schema string
	if err := conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	return &leaderConn{conn: conn, role: role, key: LockKey(schema, role)}, nil
}

// LockKey is the advisory lock key of role in schema: advisory locks are
// per database, so the schema's name goes into the key, and two
// deployments (or tests) in one database lead apart.
func LockKey(schema, role string) int64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "cambista\x00%s\x00%s", schema, role)
	return int64(h.Sum64())
}

// try takes the lock if no session holds it.
func (l *leaderConn) try(ctx context.Context) (bool, error) {
	var got bool
	err := l.conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, l.key).Scan(&got)
	return got, err
}

// watch returns when the session that holds the lock is gone, with the
// reason, or with nil once ctx has ended. While the session lives the
// server keeps the lock: a session-level advisory lock ends only with an
// unlock, which nothing sends, or with the session. watch reads the idle
// connection, so a session the server ends (a restart, an administrator's
// pg_terminate_backend) is noticed at once, from the server's last message
// or the closed socket; and it pings the server every leaderCheck, so a
// connection that went silent is noticed within two.
func (l *leaderConn) watch(ctx context.Context) error {
	for {
		wait, cancel := context.WithTimeout(ctx, leaderCheck)
		// Nothing LISTENs on this session: only the end of the session,
		// or the timeout, ends the wait. A timeout leaves the connection
		// usable.
		err := l.conn.PgConn().WaitForNotification(wait)
		cancel()
		if ctx.Err() != nil {
			return nil
		}
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("the session ended: %w", err)
		}
		ping, cancel := context.WithTimeout(ctx, leaderCheck)
		err = l.conn.Ping(ping)
		cancel()
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return fmt.Errorf("the session does not answer: %w", err)
		}
	}
}

// close ends the session, and with it the lock if held.
func (l *leaderConn) close() {
	ctx, cancel := context.WithTimeout(context.Background(), leaderCheck)
	defer cancel()
	l.conn.Close(ctx)
}
