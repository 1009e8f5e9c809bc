package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// pipe runs a PostgreSQL transaction's statements on one pgx connection,
// taken from the database/sql pool. It holds back the statements whose
// outcome nobody waits for — BEGIN, the held statements (held, in
// stmts.go) and the prefetched reads — and sends them in one pipeline with
// the next statement that returns something, or with COMMIT: one round
// trip where database/sql takes one per statement. A round trip costs
// both sides far more CPU than running one of a use case's short
// statements (measured in docs/architecture.md).
//
// A held statement's error fails the transaction: it is returned, naming
// the method that issued the statement, by the statement it was sent with
// and by every one after, and the transaction rolls back.
type pipe struct {
	conn *pgx.Conn
	held []heldStmt
	// open is set once BEGIN has been sent: there is a transaction to end.
	open bool
	err  error
}

// heldStmt is a statement held on the pipe.
type heldStmt struct {
	op   string // what issued it, for its error
	sql  string
	args []any
	scan func(scanner) error // reads what the statement returns; nil for nothing
	rows func(rows) error    // or reads its rows
	fail func(error) error   // maps its error; nil to keep it
}

const (
	// Read committed, with explicit row locks where a check must hold until
	// commit.
	pgBeginWrite = "BEGIN"
	// One snapshot for every query of a view.
	pgBeginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
)

// withPipe runs fn with a pipe on a connection of db (the primary's pool or
// the read replica's). The connection
// goes back to the pool when fn returns; pgx closes it if it broke, and
// the pool then drops it.
func (s *Store) withPipe(ctx context.Context, db *sql.DB, readOnly bool, fn func(*pipe) error) error {
	c, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	return c.Raw(func(dc any) error {
		begin := pgBeginWrite
		if readOnly {
			begin = pgBeginRead
		}
		p := &pipe{conn: dc.(*stdlib.Conn).Conn(), held: []heldStmt{{sql: begin}}}
		err := fn(p)
		if err != nil {
			p.rollback(ctx)
		}
		return err
	})
}

// hold holds a statement until the next one is sent.
func (p *pipe) hold(h heldStmt) { p.held = append(p.held, h) }

// flush sends the held statements.
func (p *pipe) flush(ctx context.Context) error {
	br, err := p.send(ctx, "", nil)
	if err != nil {
		return err
	}
	return br.Close()
}

// send sends the held statements and then q (when not empty) as one batch,
// and reads the held statements' results. The caller reads q's result and
// closes the batch.
func (p *pipe) send(ctx context.Context, q string, args []any) (pgx.BatchResults, error) {
	if p.err != nil {
		return nil, p.err
	}
	b := &pgx.Batch{QueuedQueries: make([]*pgx.QueuedQuery, 0, len(p.held)+1)}
	for _, h := range p.held {
		b.Queue(h.sql, h.args...)
	}
	if q != "" {
		b.Queue(q, args...)
	}
	held := p.held
	p.held, p.open = nil, true
	br := p.conn.SendBatch(ctx, b)
	for _, h := range held {
		var err error
		if h.rows != nil {
			var r pgx.Rows
			if r, err = br.Query(); err == nil {
				err = h.rows(heldRows{r})
				r.Close()
			}
		} else if h.scan != nil {
			err = h.scan(br.QueryRow())
		} else {
			_, err = br.Exec()
		}
		if err != nil {
			if h.fail != nil {
				err = h.fail(err)
			}
			err = fmt.Errorf("store: %s (held): %w", h.op, err)
			br.Close()
			p.err = err
			return nil, err
		}
	}
	return br, nil
}

func (p *pipe) exec(ctx context.Context, q string, args []any) (sql.Result, error) {
	tag, err := p.run(ctx, q, args)
	return result(tag), err
}

func (p *pipe) run(ctx context.Context, q string, args []any) (pgconn.CommandTag, error) {
	br, err := p.send(ctx, q, args)
	if err != nil {
		return pgconn.CommandTag{}, err
	}
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return tag, err
}

func (p *pipe) query(ctx context.Context, q string, args []any) (rows, error) {
	br, err := p.send(ctx, q, args)
	if err != nil {
		return nil, err
	}
	r, err := br.Query()
	if err != nil {
		br.Close()
		return nil, err
	}
	return &pipeRows{Rows: r, br: br}, nil
}

func (p *pipe) row(ctx context.Context, q string, args []any) scanner {
	br, err := p.send(ctx, q, args)
	if err != nil {
		return errRow{err}
	}
	return pipeRow{br}
}

// commit sends the held statements with COMMIT. A transaction that sent
// nothing has nothing to commit.
func (p *pipe) commit(ctx context.Context) error {
	if !p.open && len(p.held) == 1 {
		p.held = nil
		return nil
	}
	tag, err := p.run(ctx, "COMMIT", nil)
	if err == nil && tag.String() == "ROLLBACK" {
		// A failed statement whose error was not returned aborted it.
		err = errors.New("the transaction was rolled back at commit")
	}
	return err
}

// rollback ends a transaction that failed. If that fails too, the
// connection is closed, so that the pool never hands out one left inside
// a transaction.
func (p *pipe) rollback(ctx context.Context) {
	if !p.open {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if _, err := p.conn.Exec(ctx, "ROLLBACK"); err != nil {
		p.conn.Close(ctx)
	}
}

// result is a statement's outcome as database/sql reports it.
type result pgconn.CommandTag

func (r result) RowsAffected() (int64, error) { return pgconn.CommandTag(r).RowsAffected(), nil }
func (r result) LastInsertId() (int64, error) { return 0, errNoLastInsertID }

var errNoLastInsertID = errors.New("LastInsertId is not supported: use RETURNING")

// rows is what a query returns: *sql.Rows on SQLite, pipeRows on
// PostgreSQL.
type rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close() error
}

// pipeRows are a query's rows; closing them ends their batch.
type pipeRows struct {
	pgx.Rows
	br pgx.BatchResults
}

func (r *pipeRows) Close() error {
	r.Rows.Close()
	return r.br.Close()
}

// heldRows are a held query's rows, read while its batch is read.
type heldRows struct{ pgx.Rows }

func (r heldRows) Close() error {
	r.Rows.Close()
	return r.Rows.Err()
}

// pipeRow is a query's one row; scanning it ends its batch.
type pipeRow struct{ br pgx.BatchResults }

func (r pipeRow) Scan(dest ...any) error {
	err := r.br.QueryRow().Scan(dest...)
	if cerr := r.br.Close(); err == nil {
		err = cerr
	}
	return err
}

// errRow is a row that could not be read.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
