package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/cambista/cambista"
)

// readStmt is how a prefetchable read is made: its statement, and how its
// rows become the Tx method's result and error.
type readStmt struct {
	q      string
	args   []any
	decode func(rows) (any, error)
}

func (t *tx) readStmt(r cambista.Read) readStmt {
	switch r.Kind {
	case cambista.ReadUser:
		return readStmt{`SELECT ` + userColumns + ` FROM users WHERE id = $1` + t.forUpdate(),
			[]any{r.Key}, first(scanUser, "user", r.Key)}
	case cambista.ReadQuote:
		return readStmt{`SELECT ` + quoteColumns + ` FROM quotes q
			JOIN currencies fc ON fc.code = q.from_currency JOIN currencies tc ON tc.code = q.to_currency WHERE q.id = $1`,
			[]any{r.ID}, first(scanQuote, "quote", r.ID)}
	case cambista.ReadBatch:
		return readStmt{`SELECT ` + batchColumns + batchFrom + ` WHERE b.id = $1` + t.forUpdateOf("b"),
			[]any{r.ID}, first(scanBatch, "batch", r.ID)}
	case cambista.ReadCurrencies:
		return readStmt{`SELECT ` + currencyColumns + ` FROM currencies ORDER BY code`, nil, all(scanCurrency)}
	case cambista.ReadCountries:
		return readStmt{`SELECT ` + countryColumns + ` FROM countries ORDER BY code`, nil, all(scanCountry)}
	case cambista.ReadSetting:
		return readStmt{`SELECT value FROM settings WHERE key = $1`, []any{r.Key}, func(rs rows) (any, error) {
			var v string
			if rs.Next() {
				return v, rs.Scan(&v)
			}
			return v, rs.Err() // unset reads as ""
		}}
	case cambista.ReadCurrentRate:
		return readStmt{`SELECT ` + rateColumns + ` FROM rates WHERE base = $1 AND quote = $2 AND valid_from <= $3
			ORDER BY valid_from DESC, id DESC LIMIT 1`,
			[]any{r.Key, r.Key2, r.At}, first(scanRate, "rate", cambista.Pair(r.Key, r.Key2))}
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

// fetched is a prefetched read's outcome, set when its results arrive.
type fetched struct {
	v    any
	err  error
	done bool
}

// Prefetch holds the reads on the pipe, to travel with the next statement.
// SQLite runs in the process, where a read costs no round trip: it reads
// when asked.
func (t *tx) Prefetch(ctx context.Context, reads ...cambista.Read) {
	if t.pipe == nil {
		return
	}
	for _, r := range reads {
		if t.ahead[r] != nil {
			continue
		}
		if t.ahead == nil {
			t.ahead = map[cambista.Read]*fetched{}
		}
		st, f := t.readStmt(r), &fetched{}
		t.ahead[r] = f
		t.pipe.laterRows(st.q, st.args, func(rs rows) error {
			f.v, f.err = st.decode(rs)
			f.done = true
			// A database error aborts the transaction: it fails every
			// statement after it, like a held write's.
			return rs.Err()
		})
	}
}

// read makes r: from what was prefetched, sending it now if it is still
// held, or else with a statement of its own.
func read[T any](ctx context.Context, t *tx, r cambista.Read) (T, error) {
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
