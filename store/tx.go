package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
)

// tx implements app.Tx. Its statements go through database/sql (tx,
// with the statement cache) on SQLite and through a pipe on PostgreSQL.
type tx struct {
	tx       *sql.Tx
	pipe     *pipe
	stmts    *stmtCache
	d        *dialect
	now      time.Time
	readOnly bool
	audit    []*cambista.AuditEvent
	// enqueued is set when the transaction wrote outbox rows, so that its
	// commit wakes the workers.
	enqueued bool
	// lockedTransfers are the transfers this write transaction read, and so
	// locked (SQLite: its writer holds the whole database) until it ends.
	lockedTransfers map[cambista.ID]bool
	// checkMoves runs balance moves at once, each checked (see
	// errMoveRefused).
	checkMoves bool
	// ahead holds the reads prefetched and not yet read.
	ahead map[app.Read]*fetched
	// check is Options.CheckPrefetch: stale keeps what writes discarded
	// from ahead, and misuse what was read after that.
	check  bool
	stale  []map[app.Read]*fetched
	misuse []string
}

func (t *tx) lockTransfer(id cambista.ID) {
	if t.lockedTransfers == nil {
		t.lockedTransfers = map[cambista.ID]bool{}
	}
	t.lockedTransfers[id] = true
}

// forUpdate is the suffix that locks the rows a SELECT reads until the
// transaction ends, where the dialect needs one and the transaction writes.
func (t *tx) forUpdate() string {
	if t.readOnly {
		return ""
	}
	return t.d.forUpdate
}

// forUpdateOf locks only the rows of one table of a join (not, say, the
// currencies joined in for their exponents); nothing when alias is "".
func (t *tx) forUpdateOf(alias string) string {
	if s := t.forUpdate(); s != "" && alias != "" {
		return s + " OF " + alias
	}
	return ""
}

func (t *tx) Now() time.Time { return t.now }

// exec, query and row run q as a statement prepared once per connection
// (by the statement cache on SQLite, by pgx on PostgreSQL): parsing SQL
// costs more than running the short statements of a use case.
//
// What a statement does decides what was prefetched (prefetch.go): exec
// runs a write, and writeRow and writeQuery a write that returns rows, all
// of which discard what was prefetched and not yet read; query and row run
// reads, which do not.
func (t *tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	t.writes()
	if t.pipe != nil {
		return t.pipe.exec(ctx, q, args)
	}
	if st := t.stmts.get(q); st != nil {
		return t.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, q, args...)
}

func (t *tx) query(ctx context.Context, q string, args ...any) (rows, error) {
	if t.pipe != nil {
		return t.pipe.query(ctx, q, args)
	}
	if st := t.stmts.get(q); st != nil {
		return t.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, q, args...)
}

func (t *tx) row(ctx context.Context, q string, args ...any) scanner {
	if t.pipe != nil {
		return t.pipe.row(ctx, q, args)
	}
	if st := t.stmts.get(q); st != nil {
		return t.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, q, args...)
}

func (t *tx) writeQuery(ctx context.Context, q string, args ...any) (rows, error) {
	t.writes()
	return t.query(ctx, q, args...)
}

func (t *tx) writeRow(ctx context.Context, q string, args ...any) scanner {
	t.writes()
	return t.row(ctx, q, args...)
}

// hold runs the held statement h (see held) with args, scanning what it
// returns with scan (when not nil): on PostgreSQL with the next statement
// or the commit, on SQLite now.
func (t *tx) hold(ctx context.Context, h held, scan func(scanner) error, args ...any) error {
	t.writes()
	q := h.text(t, len(args))
	if t.pipe != nil {
		t.pipe.hold(heldStmt{op: h.op, sql: q, args: args, scan: scan, fail: h.fail})
		return nil
	}
	var err error
	if scan != nil {
		err = scan(t.row(ctx, q, args...))
	} else {
		_, err = t.exec(ctx, q, args...)
	}
	if err != nil && h.fail != nil {
		err = h.fail(err)
	}
	return err
}

// commit ends the transaction.
func (t *tx) commit(ctx context.Context) error {
	if t.pipe != nil {
		return t.pipe.commit(ctx)
	}
	return t.tx.Commit()
}

func notFound(entity string, id any) error {
	return cambista.Errorf(cambista.ENOTFOUND, cambista.MsgNotFound.Msg("Entity", cambista.WordFor(entity), "ID", fmt.Sprint(id)))
}

func exists(entity string, id any) error {
	return cambista.Errorf(cambista.ECONFLICT, cambista.MsgAlreadyExists.Msg("Entity", cambista.WordFor(entity), "ID", fmt.Sprint(id)))
}

// one maps sql.ErrNoRows to ENOTFOUND.
func one(err error, entity string, id any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(entity, id)
	}
	return err
}

// affected returns ENOTFOUND when an UPDATE touched no row.
func affected(res sql.Result, err error, entity string, id any) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return notFound(entity, id)
	}
	return nil
}

// scanner is a row, or rows at the current one.
type scanner interface{ Scan(...any) error }

// queryAll runs a query and scans every row.
func queryAll[T any](ctx context.Context, t *tx, scan func(scanner) (T, error), q string, args ...any) ([]T, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanAll(rows, scan)
}

// scanAll scans every row of rs.
func scanAll[T any](rs rows, scan func(scanner) (T, error)) ([]T, error) {
	var out []T
	for rs.Next() {
		v, err := scan(rs)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rs.Err()
}

// nullString stores "" as NULL, for columns unique only when set.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Users.

// Currencies.

// Countries.

// Rates.

// where builds a WHERE clause from optional conditions, numbering the
// placeholders after those already in args.
type where struct {
	conds []string
	args  []any
}

// add appends a condition whose "?" is the next placeholder.
func (w *where) add(cond string, arg any) {
	w.args = append(w.args, arg)
	w.conds = append(w.conds, strings.Replace(cond, "?", fmt.Sprintf("$%d", len(w.args)), 1))
}

// addIf adds the condition when the filter sets its field.
func (w *where) addIf(set bool, cond string, arg any) {
	if set {
		w.add(cond, arg)
	}
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// limit appends a LIMIT placeholder with a sane default.
func (w *where) limit(n int) string {
	if n <= 0 || n > 10000 {
		n = 100
	}
	w.args = append(w.args, n)
	return fmt.Sprintf(" LIMIT $%d", len(w.args))
}

func micros(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return cambista.Micros(t)
}

func fromNull(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return cambista.FromMicros(v.Int64)
}

func nullID(id cambista.ID) any {
	if id == 0 {
		return nil
	}
	return id
}
