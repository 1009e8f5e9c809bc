// Package store is cambista's database: one implementation of
// app.Store over database/sql that serves SQLite (modernc.org/sqlite,
// the embedded default) and PostgreSQL (pgx). Both take the same SQL text
// ($1 placeholders, integer microsecond times, decimal text rates); only the
// DDL, row locking and the errors worth retrying differ, and those live in
// dialect.go.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
)

// Options tune a Store. The zero value is sensible.
type Options struct {
	// Now is the clock; time.Now when nil. Tests set it.
	Now func() time.Time
	// MaxRetries is how many times a transaction that lost a race is run
	// again before its error is returned (default 10).
	MaxRetries int
	// Metrics receives transaction durations and retries; nil for none.
	Metrics *Metrics
	// Logger receives the failures of the store's background work (the
	// audit sealer, statement preparation), which no caller sees; nil
	// discards them.
	Logger *slog.Logger
	// MaxOpenConns caps the connection pool (default 16 for PostgreSQL, 8
	// for SQLite).
	MaxOpenConns int
	// SealEvery is the least time between two rounds of the audit sealer
	// (default 100ms): a lone event is sealed as soon as it commits, and
	// under load each round seals what many transactions committed.
	SealEvery time.Duration
	// ReadDSN is the URL of a PostgreSQL read replica (streaming
	// replication of the primary that dsn names) for the reads that may lag
	// (ViewReplica, StreamReplica); empty for none.
	ReadDSN string
	// ReplicaMaxLag is the most the replica may lag the primary and still
	// serve reads (default 30s); past it they go to the primary.
	ReplicaMaxLag time.Duration
	// CheckPrefetch fails every PostgreSQL transaction that prefetched a
	// read and did not read it, or read it only after a write discarded it
	// (app.Tx.Prefetch). The contract tests (storetest.Each) turn it on.
	CheckPrefetch bool
}

// Store is an app.Store on SQLite or PostgreSQL.
type Store struct {
	db      *sql.DB
	dialect *dialect
	opts    Options

	stmts *stmtCache

	// writer queues SQLite's write transactions and commits them in groups
	// (group.go).
	writer writer

	sealer *sealer

	// replica is the read replica; nil without one (replica.go).
	replica *replica

	// dsn is PostgreSQL's URL, for the outbox's listener; "" on SQLite.
	dsn  string
	wake *waker
}

var (
	_ app.Store = (*Store)(nil)
	_ app.Tx    = (*tx)(nil)
)

// Open connects to the database named by dsn: a postgres:// or
// postgresql:// URL, or else a SQLite file path. It does not migrate; call
// Migrate.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxRetries == 0 {
		opts.MaxRetries = 10
	}
	if opts.ReplicaMaxLag == 0 {
		opts.ReplicaMaxLag = 30 * time.Second
	}
	if opts.SealEvery == 0 {
		opts.SealEvery = 100 * time.Millisecond
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	d := sqliteDialect
	if IsPostgres(dsn) {
		d = postgresDialect
	}
	db, err := d.open(dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", d.name, err)
	}
	if opts.MaxOpenConns == 0 {
		opts.MaxOpenConns = d.maxConns
	}
	db.SetMaxOpenConns(opts.MaxOpenConns)
	db.SetMaxIdleConns(opts.MaxOpenConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s database: %w", d.name, err)
	}
	st := &Store{db: db, dialect: d, opts: opts, stmts: &stmtCache{db: db, log: opts.Logger}, sealer: newSealer(), wake: newWaker()}
	if d == postgresDialect {
		st.dsn = dsn
	}
	if opts.ReadDSN != "" {
		if d != postgresDialect || !IsPostgres(opts.ReadDSN) {
			db.Close()
			return nil, errors.New("a read replica needs PostgreSQL: both the database and the replica must be postgres:// URLs")
		}
		// Not pinged: a replica that is down leaves reads on the primary,
		// and the process starts all the same.
		rdb, err := postgresDialect.open(opts.ReadDSN)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("open the read replica: %w", err)
		}
		rdb.SetMaxOpenConns(opts.MaxOpenConns)
		rdb.SetMaxIdleConns(opts.MaxOpenConns)
		st.replica = &replica{db: rdb, maxLag: opts.ReplicaMaxLag}
		opts.Metrics.watchReplica(st)
	}
	return st, nil
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Dialect returns "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.dialect.name }

// DB returns the underlying pool, for benchmarks and tests that must reach
// behind the application.
func (s *Store) DB() *sql.DB { return s.db }

// Close seals the audit events this process left unsealed, then closes
// the prepared statements and the pool.
func (s *Store) Close() error {
	s.stopWaker()
	s.stopSealer()
	s.stmts.close()
	if s.replica != nil {
		s.replica.db.Close()
	}
	return s.db.Close()
}

// Ping checks that the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.db.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// WithTx runs fn in a read-write transaction; see app.Store.
func (s *Store) WithTx(ctx context.Context, fn func(app.Tx) error) error {
	return s.run(ctx, writeTx, func(t *tx) error { return fn(t) })
}

// View runs fn in a read-only transaction over one snapshot.
func (s *Store) View(ctx context.Context, fn func(app.Tx) error) error {
	return s.run(ctx, readTx, func(t *tx) error { return fn(t) })
}

// txKind is what a transaction does; it labels the duration metric.
type txKind string

const (
	readTx  txKind = "read"
	writeTx txKind = "write"
	// replicaTx is a read on the read replica.
	replicaTx txKind = "read_replica"
	// sealTx is a write of the audit sealer. It reads no clock, so that
	// sealing in the background never moves a test's fake clock.
	sealTx txKind = "seal"
)

func (s *Store) run(ctx context.Context, kind txKind, fn func(*tx) error) error {
	start := time.Now()
	var err error
	var again rerun
	for attempt := 0; ; attempt++ {
		err = s.once(ctx, kind, fn, again)
		again = rerunAfter(err)
		retry := again != (rerun{}) || s.dialect.retryable(err)
		if err == nil || !retry || attempt >= s.opts.MaxRetries || ctx.Err() != nil {
			break
		}
		s.opts.Metrics.retry(s.dialect.name)
		// Exponential backoff with full jitter, so that the losers of one
		// race do not collide again in lockstep.
		backoff := time.Duration(1<<min(attempt, 8)) * 500 * time.Microsecond
		select {
		case <-time.After(rand.N(backoff) + 100*time.Microsecond):
		case <-ctx.Done():
		}
	}
	s.opts.Metrics.observe(s.dialect.name, string(kind), err, time.Since(start))
	return cambista.Internal(err)
}

// rerun is how a transaction runs again after its last run failed for
// want of care, rather than for losing a race.
type rerun struct {
	// alone runs a SQLite writer outside any commit group: the group it
	// was in failed to commit (groupFailed).
	alone bool
	// checkMoves checks a PostgreSQL transaction's balance moves one by
	// one: a held one was refused (errMoveRefused).
	checkMoves bool
}

func rerunAfter(err error) rerun {
	var gf *groupFailed
	return rerun{alone: errors.As(err, &gf), checkMoves: errors.Is(err, errMoveRefused)}
}

// once runs fn in one transaction, with the care that again asks for.
func (s *Store) once(ctx context.Context, kind txKind, fn func(*tx) error, again rerun) error {
	t := &tx{stmts: s.stmts, d: s.dialect, readOnly: kind == readTx || kind == replicaTx, check: s.opts.CheckPrefetch}
	if kind != sealTx {
		t.now = s.opts.Now().UTC().Truncate(time.Microsecond)
	}
	if s.dialect.pipeline {
		t.checkMoves = again.checkMoves
		db := s.db
		if kind == replicaTx {
			db = s.replica.db
		}
		return s.withPipe(ctx, db, t.readOnly, func(p *pipe) error {
			t.pipe = p
			return s.body(ctx, t, fn)
		})
	}
	if !t.readOnly && s.dialect.singleWriter {
		return s.grouped(ctx, t, fn, again.alone)
	}
	sqlTx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: t.readOnly})
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	t.tx = sqlTx
	if err := s.body(ctx, t, fn); err != nil {
		sqlTx.Rollback()
		return err
	}
	return nil
}

// body runs fn in t, writes its audit events and commits. The caller rolls
// back when it fails.
func (s *Store) body(ctx context.Context, t *tx, fn func(*tx) error) error {
	if err := fn(t); err != nil {
		return err
	}
	if err := t.prefetchMisuse(); err != nil {
		return err
	}
	if !t.readOnly {
		if err := t.writeAudit(ctx); err != nil {
			return err
		}
	}
	if err := t.commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if len(t.audit) > 0 {
		s.committed()
	}
	if t.enqueued {
		s.outboxCommitted()
	}
	return nil
}
