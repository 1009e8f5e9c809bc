package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
)

// A read replica (Options.ReadDSN, CAMBISTA_DB_READ) serves the reads that
// may lag the latest commit: ViewReplica and StreamReplica. Everything else,
// and those reads too while the replica is unusable, goes to the primary.
// The replica is unusable while it does not answer (for replicaRetry after
// a failure) and while it lags more than Options.ReplicaMaxLag; for a read
// whose context asks for the latest writes (app.Fresh), also until it has
// replayed everything the primary had committed when the read began.
// Nothing else depends on it: /readyz asks the primary alone.

// replicaRetry is how long reads keep off a replica that failed before
// trying it again.
const replicaRetry = 5 * time.Second

// lagEvery is how often, at most, reads measure the replica's lag.
const lagEvery = time.Second

// replica is the read replica's pool and what the store last learnt of it.
type replica struct {
	db     *sql.DB
	maxLag time.Duration

	mu        sync.Mutex
	downUntil time.Time     // reads keep off it until then
	down      bool          // it failed last time it was asked
	lag       time.Duration // as last measured
	measured  time.Time     // when
}

// replicaLag measures how far the replica's data lags the primary's. A
// replica that has replayed all the WAL it received while it streams lags
// nothing, however long ago the last transaction was: the primary is idle.
// Otherwise the lag is the age of the last transaction replayed. A server
// that is not in recovery (a promoted replica, a URL naming a primary) lags
// nothing.
const replicaLag = `SELECT CASE
	WHEN NOT pg_is_in_recovery() THEN 0
	WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver) THEN 0
	ELSE COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 0) END::float8`

// CheckReplica measures the read replica's lag now and records whether it
// answered, for the routing of reads and for /metrics. It returns an error
// when no replica is configured or it did not answer within two seconds.
func (s *Store) CheckReplica(ctx context.Context) (time.Duration, error) {
	r := s.replica
	if r == nil {
		return 0, errors.New("no read replica is configured (CAMBISTA_DB_READ)")
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var seconds float64
	err := r.db.QueryRowContext(ctx, replicaLag).Scan(&seconds)
	lag := time.Duration(seconds * float64(time.Second))
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.failed(s, err)
		return 0, fmt.Errorf("read replica: %w", err)
	}
	if r.down {
		s.opts.Logger.Info("the read replica answers again; reads that may lag go to it", "lag", lag)
	}
	r.down, r.downUntil, r.lag, r.measured = false, time.Time{}, lag, time.Now()
	return lag, nil
}

// failed records that the replica did not answer; r.mu is held.
func (r *replica) failed(s *Store, err error) {
	if !r.down {
		s.opts.Logger.Warn("the read replica failed; its reads go to the primary", "err", err, "retry_in", replicaRetry)
	}
	r.down, r.downUntil = true, time.Now().Add(replicaRetry)
}

// useReplica reports whether a read with ctx may go to the replica now.
func (s *Store) useReplica(ctx context.Context) bool {
	r := s.replica
	if r == nil {
		return false
	}
	r.mu.Lock()
	now := time.Now()
	if now.Before(r.downUntil) {
		r.mu.Unlock()
		return false
	}
	lag, fresh := r.lag, now.Sub(r.measured) < lagEvery && !r.down
	r.mu.Unlock()
	if !fresh {
		var err error
		if lag, err = s.CheckReplica(ctx); err != nil {
			return false
		}
	}
	if lag > r.maxLag {
		return false
	}
	return !app.IsFresh(ctx) || s.replicaHasPrimary(ctx)
}

// replicaHasPrimary reports whether the replica has replayed every commit
// the primary had made when it was called, so that any snapshot the replica
// takes after it holds them: replay only moves forward. It costs a round
// trip to each server, which a read that must see the latest writes pays
// to be served by the replica all the same when it has caught up.
func (s *Store) replicaHasPrimary(ctx context.Context) bool {
	// Every committed transaction's commit record is written (and
	// flushed) up to the primary's write location.
	var lsn string
	if err := s.db.QueryRowContext(ctx, `SELECT pg_current_wal_lsn()::text`).Scan(&lsn); err != nil {
		return false
	}
	var caught bool
	err := s.replica.db.QueryRowContext(ctx, `SELECT COALESCE(pg_last_wal_replay_lsn() >= $1::pg_lsn, false)`, lsn).Scan(&caught)
	return err == nil && caught
}

// ViewReplica runs fn in a read-only transaction on the read replica, or on
// the primary when there is none or it is unusable; see app.Store.
func (s *Store) ViewReplica(ctx context.Context, fn func(app.Tx) error) error {
	return s.onReplica(ctx, fn, true, s.View, func(ctx context.Context, fn func(*tx) error) error {
		return s.run(ctx, replicaTx, fn)
	})
}

// StreamReplica is Stream on the read replica, as ViewReplica is View.
func (s *Store) StreamReplica(ctx context.Context, fn func(app.Tx) error) error {
	return s.onReplica(ctx, fn, false, s.Stream, func(ctx context.Context, fn func(*tx) error) error {
		return s.stream(ctx, replicaTx, fn)
	})
}

// onReplica runs fn with replicaRun when the replica is usable, else with
// primary. When the replica fails (with an internal error: a business
// error is fn's own), it is marked down and fn runs on the primary
// instead, if it may run again: a View may, a Stream only if fn had not
// run yet (it may have handed rows on).
func (s *Store) onReplica(ctx context.Context, fn func(app.Tx) error, rerunnable bool, primary func(context.Context, func(app.Tx) error) error,
	replicaRun func(context.Context, func(*tx) error) error) error {
	if !s.useReplica(ctx) {
		return primary(ctx, fn)
	}
	ran := false
	err := replicaRun(ctx, func(t *tx) error {
		if !rerunnable {
			// Begin now: a replica that died fails here, before fn can
			// hand on a row, and fn runs on the primary instead.
			if err := t.pipe.flush(ctx); err != nil {
				return err
			}
		}
		ran = true
		return fn(t)
	})
	if err != nil && (rerunnable || !ran) && ctx.Err() == nil && cambista.ErrorCode(err) == cambista.EINTERNAL {
		r := s.replica
		r.mu.Lock()
		r.failed(s, err)
		r.mu.Unlock()
		return primary(ctx, fn)
	}
	return err
}
