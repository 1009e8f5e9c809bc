package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/audit"
)

func (t *tx) Audit(ev *cambista.AuditEvent) { t.audit = append(t.audit, ev) }

// writeAudit writes the transaction's queued events, unsealed, to
// audit_pending: one INSERT that locks nothing another transaction needs,
// so audited transactions commit in parallel, sent with the commit on
// PostgreSQL. The sealer chains them moments after commit.
func (t *tx) writeAudit(ctx context.Context) error {
	if len(t.audit) == 0 {
		return nil
	}
	args := make([]any, 0, 8*len(t.audit))
	for _, ev := range t.audit {
		if ev.Time.IsZero() {
			ev.Time = t.now
		}
		if len(ev.Before) == 0 {
			ev.Before = []byte("null")
		}
		if len(ev.After) == 0 {
			ev.After = []byte("null")
		}
		args = append(args, cambista.Micros(ev.Time), ev.Actor, string(ev.Action), ev.EntityType, ev.EntityID,
			string(ev.Before), string(ev.After), ev.IdempotencyKey)
	}
	return t.hold(ctx, heldAudit, nil, args...)
}

// heldAudit writes a transaction's audit events, which only a database
// error can fail.
var heldAudit = held{op: "Audit", rows: 8,
	sql: `INSERT INTO audit_pending (time, actor, action, entity_type, entity_id, before, after, idempotency_key) VALUES `}

// values writes a row of n placeholders numbered after the first from.
func values(q *strings.Builder, from, n int) {
	q.WriteString("(")
	for j := 1; j <= n; j++ {
		if j > 1 {
			q.WriteString(", ")
		}
		fmt.Fprintf(q, "$%d", from+j)
	}
	q.WriteString(")")
}

// sealBatch is the most events one sealing transaction chains: enough to
// keep up with any load in few transactions, few enough to keep each
// short.
const sealBatch = 500

// sealPoll is how often a running sealer looks for events that other
// processes committed and left unsealed (one that stopped before sealing,
// say). Its own are sealed as soon as they commit.
const sealPoll = time.Second

// Seal chains every audit event committed and not yet sealed, oldest
// insertion first, and returns how many it sealed. Any process may call
// it at any time: the audit_head row lock (on SQLite, the write lock) lets
// one sealer at a time read the pending events, append them to the chain
// and delete them, in one transaction, so each event is sealed exactly
// once and the chain order is the sealing order.
func (s *Store) Seal(ctx context.Context) (int64, error) {
	var pending bool
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM audit_pending)`).Scan(&pending); err != nil || !pending {
		return 0, cambista.Internal(err)
	}
	var total int64
	for {
		var n int
		err := s.run(ctx, sealTx, func(t *tx) error {
			var err error
			n, err = t.sealBatch(ctx)
			return err
		})
		if err != nil {
			return total, err
		}
		total += int64(n)
		if n < sealBatch {
			return total, nil
		}
	}
}

// sealBatch chains up to sealBatch pending events after the head.
func (t *tx) sealBatch(ctx context.Context) (int, error) {
	var seq int64
	var hash string
	// Sent with the read of the pending events on PostgreSQL.
	if err := t.hold(ctx, heldHead, func(sc scanner) error {
		if err := sc.Scan(&seq, &hash); err != nil {
			return fmt.Errorf("audit head: %w", err)
		}
		return nil
	}); err != nil {
		return 0, err
	}
	// Read committed: this statement's snapshot is taken after the head
	// lock, so it sees every deletion of the sealer before.
	var ids []any
	events, err := queryAll(ctx, t, func(sc scanner) (*cambista.AuditEvent, error) {
		var ev cambista.AuditEvent
		var id, at int64
		var action, before, after string
		if err := sc.Scan(&id, &at, &ev.Actor, &action, &ev.EntityType, &ev.EntityID, &before, &after, &ev.IdempotencyKey); err != nil {
			return nil, err
		}
		ids = append(ids, id)
		ev.Time, ev.Action, ev.Before, ev.After = cambista.FromMicros(at), cambista.Action(action), []byte(before), []byte(after)
		return &ev, nil
	}, `SELECT id, time, actor, action, entity_type, entity_id, before, after, idempotency_key
		FROM audit_pending ORDER BY id LIMIT $1`, sealBatch)
	if err != nil || len(events) == 0 {
		return 0, err
	}
	for _, ev := range events {
		audit.Seal(ev, seq, hash)
		seq, hash = ev.Seq, ev.Hash
	}
	move := t.appendSealed
	if t.pipe != nil {
		move = t.moveSealed
	}
	if err := move(ctx, ids, events); err != nil {
		return 0, err
	}
	// Sent with the commit on PostgreSQL.
	if err := t.hold(ctx, heldHeadMove, nil, seq, hash); err != nil {
		return 0, fmt.Errorf("move audit head: %w", err)
	}
	return len(events), nil
}

// The sealer's held statements: the head's read and lock, whose result only
// scan uses; the events' move (moveSealed), whose count the server checks;
// the head's move, which only a database error can fail.
var (
	heldHead     = held{op: "Seal", sql: `SELECT seq, hash FROM audit_head WHERE id = 1`, lock: "audit_head"}
	heldSealMove = held{op: "Seal", sql: `WITH s AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS s (id, seq, prev_hash, hash)),
		moved AS (DELETE FROM audit_pending p USING s WHERE p.id = s.id
			RETURNING s.seq, p.time, p.actor, p.action, p.entity_type, p.entity_id, p.before, p.after, p.idempotency_key, s.prev_hash, s.hash),
		appended AS (INSERT INTO audit_events (seq, time, actor, action, entity_type, entity_id, before, after, idempotency_key, prev_hash, hash)
			SELECT * FROM moved RETURNING 1)
		SELECT cambista_check(COUNT(*) = $5, 'audit events sealed twice') FROM appended`}
	heldHeadMove = held{op: "Seal", sql: `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`}
)

// appendSealed moves the sealed events from audit_pending to audit_events
// on SQLite, in two statements of fixed text, prepared once: the events'
// IDs, sequence numbers and hashes travel as one JSON array, the rest is
// copied from the pending rows.
func (t *tx) appendSealed(ctx context.Context, ids []any, events []*cambista.AuditEvent) error {
	sealed := make([][4]any, len(events))
	for i, ev := range events {
		sealed[i] = [4]any{ids[i], ev.Seq, ev.PrevHash, ev.Hash}
	}
	list, err := json.Marshal(sealed)
	if err != nil {
		return err
	}
	res, err := t.exec(ctx, `INSERT INTO audit_events (seq, time, actor, action, entity_type, entity_id, before, after, idempotency_key, prev_hash, hash)
		SELECT json_extract(s.value, '$[1]'), p.time, p.actor, p.action, p.entity_type, p.entity_id, p.before, p.after, p.idempotency_key,
			json_extract(s.value, '$[2]'), json_extract(s.value, '$[3]')
		FROM json_each($1) s JOIN audit_pending p ON p.id = json_extract(s.value, '$[0]')`, string(list))
	if err := movedAll(res, err, len(events)); err != nil {
		return fmt.Errorf("append audit events: %w", err)
	}
	res, err = t.exec(ctx, `DELETE FROM audit_pending WHERE id IN (SELECT json_extract(value, '$[0]') FROM json_each($1))`, string(list))
	if err := movedAll(res, err, len(events)); err != nil {
		return fmt.Errorf("delete sealed audit events: %w", err)
	}
	return nil
}

// movedAll checks that a statement of appendSealed changed a row for each
// event. Only a sealer that bypassed the head lock could make it fewer; the
// rollback keeps every event sealed once.
func movedAll(res sql.Result, err error, events int) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != int64(events) {
		return fmt.Errorf("audit events sealed twice: moved %d pending events of %d", n, events)
	}
	return nil
}

// moveSealed moves the sealed events from audit_pending to audit_events on
// PostgreSQL: one statement of fixed text (the events' IDs, sequence
// numbers and hashes as arrays), held to travel with the head's move and
// the commit. A sealer round is then two round trips.
func (t *tx) moveSealed(ctx context.Context, ids []any, events []*cambista.AuditEvent) error {
	pending := make([]int64, len(events))
	seqs := make([]int64, len(events))
	prevs := make([]string, len(events))
	hashes := make([]string, len(events))
	for i, ev := range events {
		pending[i], seqs[i], prevs[i], hashes[i] = ids[i].(int64), ev.Seq, ev.PrevHash, ev.Hash
	}
	// A second sealer would find fewer pending events than it sealed:
	// cambista_check then refuses the round, and the rollback keeps every
	// event sealed once.
	return t.hold(ctx, heldSealMove, nil, pending, seqs, prevs, hashes, len(events))
}

// sealer seals in the background the events its store commits. It starts
// with the first transaction that commits an event, so only processes that
// write run one, and Close stops it after a last round.
type sealer struct {
	start sync.Once
	end   sync.Once
	wake  chan struct{} // buffered: events were committed
	stop  chan struct{}
	done  chan struct{}
	// dirty is set when events are committed and cleared when a round
	// begins, so Close seals only when something may be left.
	dirty atomic.Bool
}

func newSealer() *sealer {
	return &sealer{wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
}

// committed tells the sealer that a transaction committed audit events.
func (s *Store) committed() {
	s.sealer.dirty.Store(true)
	s.sealer.start.Do(func() { go s.sealLoop() })
	select {
	case s.sealer.wake <- struct{}{}:
	default: // a round is already due
	}
}

// sealLoop runs a round as soon as events are committed, then rests for
// Options.SealEvery so that, under load, each round seals the events of
// many transactions in one.
func (s *Store) sealLoop() {
	defer close(s.sealer.done)
	// The loop belongs to the store, not to any request.
	ctx := context.Background()
	poll := time.NewTicker(sealPoll)
	defer poll.Stop()
	for {
		select {
		case <-s.sealer.stop:
			s.lastRound(ctx)
			return
		case <-s.sealer.wake:
		case <-poll.C:
		}
		s.sealRound(ctx)
		select {
		case <-s.sealer.stop:
			s.lastRound(ctx)
			return
		case <-time.After(s.opts.SealEvery):
		}
	}
}

func (s *Store) sealRound(ctx context.Context) {
	s.sealer.dirty.Store(false)
	if _, err := s.Seal(ctx); err != nil {
		s.sealer.dirty.Store(true)
		s.opts.Metrics.sealFailed(s.dialect.name)
		s.opts.Logger.Error("audit sealing round failed; its events stay pending for a later round", "dialect", s.dialect.name, "err", err)
	}
}

// lastRound seals what this process committed since the last round, so a
// process that stops leaves nothing unsealed behind it.
func (s *Store) lastRound(ctx context.Context) {
	if !s.sealer.dirty.Load() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	s.sealRound(ctx)
}

// stopSealer stops the sealer, if it runs, after a last round; it stops
// any sealer from starting after it.
func (s *Store) stopSealer() {
	s.sealer.end.Do(func() {
		started := true
		s.sealer.start.Do(func() { started = false })
		if started {
			close(s.sealer.stop)
			<-s.sealer.done
		}
	})
}

func (t *tx) AuditEvents(ctx context.Context, after int64, limit int) ([]*cambista.AuditEvent, error) {
	if limit <= 0 {
		limit = 1000
	}
	return queryAll(ctx, t, scanAuditEvent, `SELECT seq, time, actor, action, entity_type, entity_id, before, after,
		idempotency_key, prev_hash, hash FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2`, after, limit)
}

func scanAuditEvent(sc scanner) (*cambista.AuditEvent, error) {
	var ev cambista.AuditEvent
	var at int64
	var action, before, after string
	if err := sc.Scan(&ev.Seq, &at, &ev.Actor, &action, &ev.EntityType, &ev.EntityID, &before, &after,
		&ev.IdempotencyKey, &ev.PrevHash, &ev.Hash); err != nil {
		return nil, err
	}
	ev.Time, ev.Action, ev.Before, ev.After = cambista.FromMicros(at), cambista.Action(action), []byte(before), []byte(after)
	return &ev, nil
}

// SearchAudit returns audit events matching every non-empty field of the
// filter (zero times are open ends), newest first, at most f.Limit.
func (t *tx) SearchAudit(ctx context.Context, f cambista.AuditFilter) ([]*cambista.AuditEvent, error) {
	var w where
	w.addIf(f.Actor != "", "actor = ?", f.Actor)
	w.addIf(f.Action != "", "action = ?", f.Action)
	w.addIf(f.EntityType != "", "entity_type = ?", f.EntityType)
	w.addIf(f.EntityID != "", "entity_id = ?", f.EntityID)
	w.addIf(!f.From.IsZero(), "time >= ?", micros(f.From))
	w.addIf(!f.To.IsZero(), "time < ?", micros(f.To))
	w.addIf(f.Before > 0, "seq < ?", f.Before)
	q := `SELECT seq, time, actor, action, entity_type, entity_id, before, after, idempotency_key, prev_hash, hash FROM audit_events` +
		w.String() + ` ORDER BY seq DESC` + w.limit(f.Limit)
	return queryAll(ctx, t, scanAuditEvent, q, w.args...)
}
