package store

import (
	"context"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/money"
)

// Streaming reads for reports. Each runs one query in one read-only
// transaction and hands the rows to a callback as they arrive, so a report
// of a million rows holds one row at a time: database/sql reads rows from
// the driver on demand on both databases (pgx's stdlib driver keeps only the
// current row). A callback's error stops the stream and is returned.
//
// The transaction stays open while the callbacks run, so a slow consumer
// keeps a snapshot open: on SQLite a WAL reader that only delays
// checkpoints, on PostgreSQL one connection and an old snapshot.

// stream runs fn in a read-only transaction, once. Unlike View it never
// retries: by the time a read fails, rows may already have been handed to
// the caller and written out.
func (s *Store) stream(ctx context.Context, fn func(*tx) error) error {
	start := time.Now()
	err := s.once(ctx, readTx, fn, rerun{})
	s.opts.Metrics.observe(s.dialect.name, "stream", err, time.Since(start))
	return cambista.Internal(err)
}

// each runs q and calls fn with every row scanned by scan.
func each[T any](ctx context.Context, t *tx, scan func(scanner) (T, error), fn func(T) error, q string, args ...any) error {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return err
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return rows.Err()
}

// StreamPostings reads an account's statement from one snapshot: it calls
// opening with the balance before from, then fn with each posting whose
// entry's time is in [from, to), in the order of posting IDs (as Postings
// pages them), each with its entry's description and reference.
func (s *Store) StreamPostings(ctx context.Context, a cambista.LedgerAccount, from, to time.Time,
	opening func(minor int64) error, fn func(*cambista.StatementLine) error) error {
	return s.stream(ctx, func(t *tx) error {
		open, err := t.BalanceBefore(ctx, a, from, 0)
		if err != nil {
			return err
		}
		if err := opening(open); err != nil {
			return err
		}
		return each(ctx, t, scanStatementLine, fn, `SELECT `+statementLineColumns+statementLineFrom+`
			WHERE p.account = $1 AND e.time >= $2 AND e.time < $3 ORDER BY p.id`,
			string(a), cambista.Micros(from), cambista.Micros(to))
	})
}

// A statement line is a posting with its entry.
const (
	statementLineColumns = `p.id, e.id, e.time, e.kind, e.params, e.ref_type, e.ref_id, p.currency, p.amount`
	statementLineFrom    = ` FROM postings p JOIN journal_entries e ON e.id = p.entry_id`
)

// scanStatementLine reads statementLineColumns.
func scanStatementLine(sc scanner) (*cambista.StatementLine, error) {
	var l cambista.StatementLine
	var at int64
	if err := sc.Scan(&l.ID, &l.EntryID, &at, &l.Description.Kind, entryParams{&l.Description.Params},
		&l.RefType, &l.RefID, &l.Currency, &l.Minor); err != nil {
		return nil, err
	}
	l.Time = cambista.FromMicros(at)
	return &l, nil
}

// StreamTransfers calls fn with each transfer created in [from, to), in
// order of ID.
func (s *Store) StreamTransfers(ctx context.Context, from, to time.Time, fn func(*cambista.Transfer) error) error {
	return s.stream(ctx, func(t *tx) error {
		return each(ctx, t, scanTransfer, fn, `SELECT `+transferColumns+transferFrom+`
			WHERE t.created_at >= $1 AND t.created_at < $2 ORDER BY t.id`, cambista.Micros(from), cambista.Micros(to))
	})
}

// StreamBatches calls fn with each batch closed in [from, to), and each
// batch still open that was opened in [from, to), in order of ID. A batch
// thus belongs to the period of its closing, where its summary is final;
// an open batch shows in the period it was opened until it closes.
func (s *Store) StreamBatches(ctx context.Context, from, to time.Time, fn func(*cambista.Batch) error) error {
	return s.stream(ctx, func(t *tx) error {
		return each(ctx, t, scanBatch, fn, `SELECT `+batchColumns+batchFrom+`
			WHERE (b.closed_at >= $1 AND b.closed_at < $2) OR (b.status = 'open' AND b.opened_at >= $1 AND b.opened_at < $2)
			ORDER BY b.id`, cambista.Micros(from), cambista.Micros(to))
	})
}

// StreamAuditEvents calls fn with each audit event whose time is in
// [from, to), in chain order. It seals the pending events first, so the
// report holds every event committed before it was asked for.
func (s *Store) StreamAuditEvents(ctx context.Context, from, to time.Time, fn func(*cambista.AuditEvent) error) error {
	if _, err := s.Seal(ctx); err != nil {
		return err
	}
	return s.stream(ctx, func(t *tx) error {
		return each(ctx, t, scanAuditEvent, fn, `SELECT seq, time, actor, action, entity_type, entity_id, before, after,
			idempotency_key, prev_hash, hash FROM audit_events WHERE time >= $1 AND time < $2 ORDER BY seq`,
			cambista.Micros(from), cambista.Micros(to))
	})
}

// AgentCommission is what one agent earned in one currency over a period:
// the completed transfers of the clients they referred and the sum of their
// shares of the commission.
type AgentCommission struct {
	AgentID   cambista.UserID
	AgentName string // the agent's display name, "" if they are not registered
	Transfers int
	Share     money.Amount
}

// StreamAgentCommissions calls fn with each agent's commissions per
// currency over the transfers completed in [from, to), by agent ID and
// currency. A completed transfer is never updated again, so its update
// time is when it was completed and its agent was paid.
func (s *Store) StreamAgentCommissions(ctx context.Context, from, to time.Time, fn func(*AgentCommission) error) error {
	return s.stream(ctx, func(t *tx) error {
		return each(ctx, t, scanAgentCommission, fn, `SELECT t.agent_id, COALESCE(u.display_name, ''), t.from_currency, c.exponent, c.rounding,
			COUNT(*), CAST(SUM(t.agent_share_minor) AS BIGINT)
			FROM transfers t JOIN currencies c ON c.code = t.from_currency LEFT JOIN users u ON u.id = t.agent_id
			WHERE t.status = 'completed' AND t.agent_id <> '' AND t.updated_at >= $1 AND t.updated_at < $2
			GROUP BY t.agent_id, u.display_name, t.from_currency, c.exponent, c.rounding
			ORDER BY t.agent_id, t.from_currency`, cambista.Micros(from), cambista.Micros(to))
	})
}

func scanAgentCommission(sc scanner) (*AgentCommission, error) {
	var c AgentCommission
	var code, round string
	var exp int
	var share int64
	if err := sc.Scan(&c.AgentID, &c.AgentName, &code, &exp, &round, &c.Transfers, &share); err != nil {
		return nil, err
	}
	cur, err := currency(code, exp, round)
	if err != nil {
		return nil, err
	}
	c.Share = money.New(share, cur)
	return &c, nil
}
