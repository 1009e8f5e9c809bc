package store

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/ledger"
)

// readStmt is how a prefetchable read is made: its statement, and how its
// rows become the Tx method's result and error. A read of a transfer's
// batch or quote is filed, once read, under the read of that batch or quote
// by its own key (alias), which is what the use case then asks for.
type readStmt struct {
	q      string
	args   []any
	decode func(rows) (any, error)
	alias  func(v any) app.Read
}

// funds are what BatchFunds returns.
type funds struct {
	batch             cambista.ID
	balance, reserved int64
}

// fundsOf is the part of a funds read after SELECT: the batch b's balance
// and the payouts taken in it.
const fundsOf = `b.id, COALESCE((SELECT balance FROM balances WHERE account = '` + ledger.BatchPrefix + `' || CAST(b.id AS TEXT)), 0),
	CAST(COALESCE((SELECT SUM(receive_minor) FROM transfers WHERE batch_id = b.id AND status = 'taken'), 0) AS BIGINT)`

// transferPair joins a transfer x and the batches b of its pair.
const transferPair = ` JOIN transfers x ON x.id = $2 AND b.base = x.from_currency AND b.quote = x.to_currency
	WHERE b.cashier_id = $1 AND b.status = 'open'`

func scanFunds(sc scanner) (funds, error) {
	var f funds
	return f, sc.Scan(&f.batch, &f.balance, &f.reserved)
}

func (t *tx) readStmt(r app.Read) readStmt {
	switch r.Kind {
	case app.ReadUser:
		return readStmt{q: `SELECT ` + userColumns + ` FROM users WHERE id = $1` + t.forUpdate(),
			args: []any{r.Key}, decode: first(scanUser, "user", r.Key)}
	case app.ReadQuote:
		return readStmt{q: `SELECT ` + quoteColumns + ` FROM quotes q
			JOIN currencies fc ON fc.code = q.from_currency JOIN currencies tc ON tc.code = q.to_currency WHERE q.id = $1`,
			args: []any{r.ID}, decode: first(scanQuote, "quote", r.ID)}
	case app.ReadBatch:
		return readStmt{q: `SELECT ` + batchColumns + batchFrom + ` WHERE b.id = $1` + t.forUpdateOf("b"),
			args: []any{r.ID}, decode: first(scanBatch, "batch", r.ID)}
	case app.ReadCurrencies:
		return readStmt{q: `SELECT ` + currencyColumns + ` FROM currencies ORDER BY code`, decode: all(scanCurrency)}
	case app.ReadCountries:
		return readStmt{q: `SELECT ` + countryColumns + ` FROM countries ORDER BY code`, decode: all(scanCountry)}
	case app.ReadSetting:
		return readStmt{q: `SELECT value FROM settings WHERE key = $1`, args: []any{r.Key}, decode: func(rs rows) (any, error) {
			var v string
			if rs.Next() {
				return v, rs.Scan(&v)
			}
			return v, rs.Err() // unset reads as ""
		}}
	case app.ReadTransfer:
		return readStmt{q: `SELECT ` + transferColumns + transferFrom + ` WHERE t.id = $1` + t.forUpdateOf("t"),
			args: []any{r.ID}, decode: first(scanTransfer, "transfer", r.ID)}
	case app.ReadOpenBatch:
		base, quote, _ := strings.Cut(r.Key2, "/")
		return readStmt{q: `SELECT ` + batchColumns + batchFrom + ` WHERE b.cashier_id = $1 AND b.base = $2 AND b.quote = $3
			AND b.status = 'open'` + t.forUpdateOf("b"),
			args: []any{r.Key, base, quote}, decode: first(scanBatch, "open batch", r.Key2)}
	case app.ReadBatchFunds:
		return readStmt{q: `SELECT ` + fundsOf + ` FROM batches b WHERE b.id = $1`,
			args: []any{r.ID}, decode: first(scanFunds, "batch", r.ID)}
	case app.ReadTransferBatch:
		return readStmt{q: `SELECT ` + batchColumns + batchFrom + ` WHERE b.id = (SELECT batch_id FROM transfers WHERE id = $1)` + t.forUpdateOf("b"),
			args: []any{r.ID}, decode: first(scanBatch, "batch", r.ID),
			alias: func(v any) app.Read { return app.BatchRead(v.(*cambista.Batch).ID) }}
	case app.ReadTransferQuote:
		return readStmt{q: `SELECT ` + quoteColumns + ` FROM quotes q
			JOIN currencies fc ON fc.code = q.from_currency JOIN currencies tc ON tc.code = q.to_currency
			WHERE q.id = (SELECT quote_id FROM transfers WHERE id = $1)`,
			args: []any{r.ID}, decode: first(scanQuote, "quote", r.ID),
			alias: func(v any) app.Read { return app.QuoteRead(v.(*cambista.Quote).ID) }}
	case app.ReadTransferOpenBatch:
		// Locks the batch after the transfer, when they are prefetched in
		// that order: the order of every use case that locks both.
		return readStmt{q: `SELECT ` + batchColumns + batchFrom + transferPair + t.forUpdateOf("b"),
			args: []any{r.Key, r.ID}, decode: first(scanBatch, "open batch", r.ID),
			alias: func(v any) app.Read {
				b := v.(*cambista.Batch)
				return app.OpenBatchRead(b.CashierID, b.Base, b.Quote)
			}}
	case app.ReadTransferOpenBatchFunds:
		// A statement of its own after the batch's lock, so that it sees
		// every take committed before the lock was granted.
		return readStmt{q: `SELECT ` + fundsOf + ` FROM batches b` + transferPair,
			args: []any{r.Key, r.ID}, decode: first(scanFunds, "open batch", r.ID),
			alias: func(v any) app.Read { return app.BatchFundsRead(v.(funds).batch) }}
	case app.ReadNewID:
		table, ok := idTables[r.Key]
		if !ok {
			panic(fmt.Sprintf("store: no IDs of kind %q to reserve", r.Key))
		}
		return readStmt{q: `SELECT nextval(pg_get_serial_sequence($1, 'id'))`, args: []any{table},
			decode: first(func(sc scanner) (cambista.ID, error) {
				var id cambista.ID
				return id, sc.Scan(&id)
			}, "sequence", table)}
	case app.ReadCurrentRate:
		return readStmt{q: `SELECT ` + rateColumns + ` FROM rates WHERE base = $1 AND quote = $2 AND valid_from <= $3
			ORDER BY valid_from DESC, id DESC LIMIT 1`,
			args: []any{r.Key, r.Key2, r.At}, decode: first(scanRate, "rate", cambista.Pair(r.Key, r.Key2))}
	}
	panic(fmt.Sprintf("store: no read of kind %d", r.Kind))
}

// first decodes a read of one row; no row is ENOTFOUND for the entity.
func first[T any](scan func(scanner) (T, error), entity string, id any) func(rows) (any, error) {
	return func(rs rows) (any, error) {
		if !rs.Next() {
			if err := rs.Err(); err != nil {
				return nil, err
			}
			return nil, notFound(entity, id)
		}
		return scan(rs)
	}
}

// all decodes a read of a list.
func all[T any](scan func(scanner) (T, error)) func(rows) (any, error) {
	return func(rs rows) (any, error) {
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
}

// idTables are the tables whose IDs a transaction can reserve, by kind.
var idTables = map[string]string{"quote": "quotes", "transfer": "transfers", "entry": "journal_entries"}

// insert adds a row of the kind to its table and sets *id to the row's ID.
// With an ID reserved by Prefetch (PostgreSQL) the INSERT needs no answer:
// it travels with the next round trip, and its error, mapped by fail, fails
// the transaction there. Otherwise the database gives the ID.
func (t *tx) insert(ctx context.Context, kind string, id *cambista.ID, fail func(error) error, cols string, args ...any) error {
	if r := app.NewIDRead(kind); t.ahead[r] != nil {
		v, err := read[cambista.ID](ctx, t, r)
		if err != nil {
			return err
		}
		*id = v
		q := insertSQL(kind, cols, len(args), true)
		t.wrote(q)
		t.pipe.laterFail(q, append(args, v), fail)
		return nil
	}
	err := t.row(ctx, insertSQL(kind, cols, len(args), false), args...).Scan(id)
	if err != nil && fail != nil {
		err = fail(err)
	}
	return err
}

// insertShape is what an insert statement's text depends on.
type insertShape struct {
	kind, cols string
	n          int
	withID     bool
}

var insertTexts sync.Map // insertShape → string

// insertSQL returns, built once, the INSERT of n values of cols into the
// kind's table: with the ID as one more value, or returning the ID the
// database gives.
func insertSQL(kind, cols string, n int, withID bool) string {
	shape := insertShape{kind, cols, n, withID}
	if q, ok := insertTexts.Load(shape); ok {
		return q.(string)
	}
	var q strings.Builder
	q.WriteString("INSERT INTO " + idTables[kind] + " (" + cols)
	if withID {
		q.WriteString(", id) VALUES ")
		values(&q, 0, n+1)
	} else {
		q.WriteString(") VALUES ")
		values(&q, 0, n)
		q.WriteString(" RETURNING id")
	}
	insertTexts.Store(shape, q.String())
	return q.String()
}

// fetched is a prefetched read's outcome, set when its results arrive.
type fetched struct {
	v    any
	err  error
	done bool
}

// Prefetch holds the reads on the pipe, to travel with the next statement.
// SQLite runs in the process, where a read costs no round trip: it reads
// when asked.
func (t *tx) Prefetch(ctx context.Context, reads ...app.Read) {
	if t.pipe == nil {
		return
	}
	for _, r := range reads {
		if t.ahead[r] != nil {
			continue
		}
		if t.ahead == nil {
			t.ahead = map[app.Read]*fetched{}
		}
		// A write may discard the map before the results arrive: they are
		// filed in the map of their time, never in a later one.
		ahead, st, f := t.ahead, t.readStmt(r), &fetched{}
		ahead[r] = f
		t.pipe.laterRows(st.q, st.args, func(rs rows) error {
			f.v, f.err = st.decode(rs)
			f.done = true
			if st.alias != nil {
				delete(ahead, r)
				if f.err == nil {
					ahead[st.alias(f.v)] = f
				}
			}
			// A database error aborts the transaction: it fails every
			// statement after it, like a held write's.
			return rs.Err()
		})
	}
}

// read makes r: from what was prefetched, sending it now if it is still
// held, or else with a statement of its own.
func read[T any](ctx context.Context, t *tx, r app.Read) (T, error) {
	if f := t.ahead[r]; f != nil {
		delete(t.ahead, r)
		if !f.done {
			if err := t.pipe.flush(ctx); err != nil {
				var zero T
				return zero, err
			}
		}
		if f.done {
			return readResult[T](f.v, f.err)
		}
	}
	st := t.readStmt(r)
	rs, err := t.query(ctx, st.q, st.args...)
	if err != nil {
		var zero T
		return zero, err
	}
	v, err := st.decode(rs)
	if cerr := rs.Close(); err == nil {
		err = cerr
	}
	return readResult[T](v, err)
}

func readResult[T any](v any, err error) (T, error) {
	if err != nil {
		var zero T
		return zero, err
	}
	return v.(T), nil
}

// wrote discards what was prefetched and not yet read once the
// transaction writes, since a read after a write must see it. Statements
// that do not begin with SELECT count as writes.
func (t *tx) wrote(q string) {
	if t.ahead != nil && !strings.HasPrefix(q, "SELECT") {
		t.ahead = nil
	}
}
