package store

import (
	"context"
	"strings"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/money"
)

// The streaming reads of cambista.HistoryStore, for reports. Each runs one
// query in its transaction and hands the rows to a callback as they
// arrive: on SQLite database/sql reads them from the driver on demand, and
// on PostgreSQL pgx reads each off the connection as it is scanned.
//
// The transaction stays open while the callbacks run, so a slow consumer
// keeps a snapshot open: on SQLite a WAL reader that only delays
// checkpoints, on PostgreSQL one connection and an old snapshot.

// Stream runs fn in a read-only transaction, once; see app.Store.
func (s *Store) Stream(ctx context.Context, fn func(app.Tx) error) error {
	return s.stream(ctx, readTx, func(t *tx) error { return fn(t) })
}

// stream runs fn once in a read-only transaction of kind (readTx, or
// replicaTx on the read replica).
func (s *Store) stream(ctx context.Context, kind txKind, fn func(*tx) error) error {
	start := time.Now()
	err := s.once(ctx, kind, fn, rerun{})
	s.opts.Metrics.observe(s.dialect.name, "stream"+strings.TrimPrefix(string(kind), "read"), err, time.Since(start))
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

func (t *tx) StreamPostings(ctx context.Context, a cambista.LedgerAccount, from, to time.Time, fn func(*cambista.StatementLine) error) error {
	return each(ctx, t, scanStatementLine, fn, `SELECT `+statementLineColumns+statementLineFrom+`
		WHERE p.account = $1 AND p.time >= $2 AND p.time < $3 ORDER BY p.id`,
		string(a), cambista.Micros(from), cambista.Micros(to))
}

// A statement line is a posting with its entry.
const (
	// A move's two postings are written one after the other (ledger.Entry.Move,
	// tx.Post), so a credit's counter account is the entry's posting just
	// before it and a debit's the one just after. The entry's postings share
	// its time, which names their one month's partition on PostgreSQL.
	statementLineColumns = `p.id, e.id, e.time, e.kind, e.params, e.ref_type, e.ref_id, p.currency, p.amount,
		COALESCE(CASE WHEN p.amount > 0
			THEN (SELECT c.account FROM postings c WHERE c.entry_id = p.entry_id AND c.time = p.time AND c.id < p.id ORDER BY c.id DESC LIMIT 1)
			ELSE (SELECT c.account FROM postings c WHERE c.entry_id = p.entry_id AND c.time = p.time AND c.id > p.id ORDER BY c.id LIMIT 1)
		END, '')`
	statementLineFrom = ` FROM postings p JOIN journal_entries e ON e.id = p.entry_id`
)

// scanStatementLine reads statementLineColumns.
func scanStatementLine(sc scanner) (*cambista.StatementLine, error) {
	var l cambista.StatementLine
	var at int64
	if err := sc.Scan(&l.ID, &l.EntryID, &at, &l.Description.Kind, entryParams{&l.Description.Params},
		&l.RefType, &l.RefID, &l.Currency, &l.Minor, &l.Counter); err != nil {
		return nil, err
	}
	l.Time = cambista.FromMicros(at)
	return &l, nil
}

func (t *tx) StreamTransfers(ctx context.Context, from, to time.Time, fn func(*cambista.Transfer) error) error {
	return each(ctx, t, scanTransfer, fn, `SELECT `+transferColumns+transferFrom+`
		WHERE t.created_at >= $1 AND t.created_at < $2 ORDER BY t.id`, cambista.Micros(from), cambista.Micros(to))
}

func (t *tx) StreamBatches(ctx context.Context, from, to time.Time, fn func(*cambista.Batch) error) error {
	return each(ctx, t, scanBatch, fn, `SELECT `+batchColumns+batchFrom+`
		WHERE (b.closed_at >= $1 AND b.closed_at < $2) OR (b.status = 'open' AND b.opened_at >= $1 AND b.opened_at < $2)
		ORDER BY b.id`, cambista.Micros(from), cambista.Micros(to))
}

func (t *tx) StreamAuditEvents(ctx context.Context, from, to time.Time, fn func(*cambista.AuditEvent) error) error {
	return each(ctx, t, scanAuditEvent, fn, `SELECT seq, time, actor, action, entity_type, entity_id, before, after,
		idempotency_key, prev_hash, hash FROM audit_events WHERE time >= $1 AND time < $2 ORDER BY seq`,
		cambista.Micros(from), cambista.Micros(to))
}

// StreamAgentCommissions reads the completed transfers by their update
// time: a completed transfer is never updated again, so that is when it
// was completed and its agent was paid.
func (t *tx) StreamAgentCommissions(ctx context.Context, from, to time.Time, fn func(*cambista.AgentCommission) error) error {
	return each(ctx, t, scanAgentCommission, fn, `SELECT t.agent_id, COALESCE(u.display_name, ''), t.from_currency, c.exponent, c.rounding,
		COUNT(*), CAST(SUM(t.agent_share_minor) AS BIGINT)
		FROM transfers t JOIN currencies c ON c.code = t.from_currency LEFT JOIN users u ON u.id = t.agent_id
		WHERE t.status = 'completed' AND t.agent_id <> '' AND t.updated_at >= $1 AND t.updated_at < $2
		GROUP BY t.agent_id, u.display_name, t.from_currency, c.exponent, c.rounding
		ORDER BY t.agent_id, t.from_currency`, cambista.Micros(from), cambista.Micros(to))
}

func scanAgentCommission(sc scanner) (*cambista.AgentCommission, error) {
	var c cambista.AgentCommission
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
