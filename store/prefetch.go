package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/ledger"
)

// readDef is how a prefetchable read is made. Its statement is a held read
// named by its constructor in app; args gives the statement's arguments
// and decode turns its rows into what the Tx method returns. A read
// through a transfer is filed, once read, under the read of the row it
// found by its own key (alias), which is what the use case then asks for.
type readDef struct {
	held
	args   func(app.Read) []any
	decode func(app.Read, rows) (any, error)
	alias  func(v any) app.Read
}

// readDefs are the prefetchable reads, by kind. Adding one takes its kind
// and constructor in app, an entry here, and a Tx method that makes it
// with read.
var readDefs = [...]readDef{
	app.ReadCurrencies: {held: held{op: "CurrenciesRead", sql: `SELECT ` + currencyColumns + ` FROM currencies ORDER BY code`},
		decode: all(scanCurrency)},
	app.ReadCountries: {held: held{op: "CountriesRead", sql: `SELECT ` + countryColumns + ` FROM countries ORDER BY code`},
		decode: all(scanCountry)},
	app.ReadSetting: {held: held{op: "SettingRead", sql: `SELECT value FROM settings WHERE key = $1`},
		args: byKey, decode: func(_ app.Read, rs rows) (any, error) {
			var v string
			if rs.Next() {
				return v, rs.Scan(&v)
			}
			return v, rs.Err() // unset reads as ""
		}},
	app.ReadCurrentRate: {held: held{op: "CurrentRateRead", sql: `SELECT ` + rateColumns + ` FROM rates
		WHERE base = $1 AND quote = $2 AND valid_from <= $3 ORDER BY valid_from DESC, id DESC LIMIT 1`},
		args:   func(r app.Read) []any { return []any{r.Key, r.Key2, r.At} },
		decode: first(scanRate, "rate", func(r app.Read) any { return cambista.Pair(r.Key, r.Key2) })},
	app.ReadQuote: {held: held{op: "QuoteRead", sql: `SELECT ` + quoteColumns + quoteFrom + ` WHERE q.id = $1`},
		args: byID, decode: first(scanQuote, "quote", theID)},
	app.ReadTransferQuote: {held: held{op: "TransferQuoteRead", sql: `SELECT ` + quoteColumns + quoteFrom +
		` WHERE q.id = (SELECT quote_id FROM transfers WHERE id = $1)`},
		args: byID, decode: first(scanQuote, "quote", theID),
		alias: func(v any) app.Read { return app.QuoteRead(v.(*cambista.Quote).ID) }},
	app.ReadNewID: {held: held{op: "NewIDRead", sql: `SELECT nextval(pg_get_serial_sequence($1, 'id'))`},
		args: func(r app.Read) []any { return []any{idTableOf(r.Key).table} },
		decode: first(func(sc scanner) (cambista.ID, error) {
			var id cambista.ID
			return id, sc.Scan(&id)
		}, "sequence", theKey)},
	app.ReadUser: {held: held{op: "UserRead", sql: `SELECT ` + userColumns + ` FROM users WHERE id = $1`, lock: "users"},
		args: byKey, decode: first(scanUser, "user", theKey)},
	app.ReadTransfer: {held: held{op: "TransferRead", sql: `SELECT ` + transferColumns + transferFrom + ` WHERE t.id = $1`, lock: "t"},
		args: byID, decode: first(scanTransfer, "transfer", theID)},
	app.ReadBatch: {held: held{op: "BatchRead", sql: `SELECT ` + batchColumns + batchFrom + ` WHERE b.id = $1`, lock: "b"},
		args: byID, decode: first(scanBatch, "batch", theID)},
	app.ReadTransferBatch: {held: held{op: "TransferBatchRead", sql: `SELECT ` + batchColumns + batchFrom +
		` WHERE b.id = (SELECT batch_id FROM transfers WHERE id = $1)`, lock: "b"},
		args: byID, decode: first(scanBatch, "batch", theID),
		alias: func(v any) app.Read { return app.BatchRead(v.(*cambista.Batch).ID) }},
	app.ReadOpenBatch: {held: held{op: "OpenBatchRead", sql: `SELECT ` + batchColumns + batchFrom +
		` WHERE b.cashier_id = $1 AND b.base = $2 AND b.quote = $3 AND b.status = 'open'`, lock: "b"},
		args: func(r app.Read) []any {
			base, quote, _ := strings.Cut(r.Key2, "/")
			return []any{r.Key, base, quote}
		},
		decode: first(scanBatch, "open batch", func(r app.Read) any { return r.Key2 })},
	app.ReadTransferOpenBatch: {held: held{op: "TransferOpenBatchRead", sql: `SELECT ` + batchColumns + batchFrom + transferPair, lock: "b"},
		args: byCashierAndID, decode: first(scanBatch, "open batch", theID),
		alias: func(v any) app.Read {
			b := v.(*cambista.Batch)
			return app.OpenBatchRead(b.CashierID, b.Base, b.Quote)
		}},
	app.ReadBatchFunds: {held: held{op: "BatchFundsRead", sql: `SELECT ` + fundsOf + ` FROM batches b WHERE b.id = $1`},
		args: byID, decode: first(scanFunds, "batch", theID)},
	app.ReadTransferOpenBatchFunds: {held: held{op: "TransferOpenBatchFundsRead", sql: `SELECT ` + fundsOf + ` FROM batches b` + transferPair},
		args: byCashierAndID, decode: first(scanFunds, "open batch", theID),
		alias: func(v any) app.Read { return app.BatchFundsRead(v.(funds).batch) }},
}

// readDefOf returns how r is made.
func readDefOf(r app.Read) *readDef {
	if r.Kind <= 0 || int(r.Kind) >= len(readDefs) || readDefs[r.Kind].sql == "" {
		panic(fmt.Sprintf("store: no read of kind %d", r.Kind))
	}
	return &readDefs[r.Kind]
}

// The arguments of reads, and what a read that finds nothing names.
func byID(r app.Read) []any           { return []any{r.ID} }
func byKey(r app.Read) []any          { return []any{r.Key} }
func byCashierAndID(r app.Read) []any { return []any{r.Key, r.ID} }
func theID(r app.Read) any            { return r.ID }
func theKey(r app.Read) any           { return r.Key }

// argsOf returns the arguments of r's statement.
func (d *readDef) argsOf(r app.Read) []any {
	if d.args == nil {
		return nil
	}
	return d.args(r)
}

// describe names r in the errors of Options.CheckPrefetch.
func describe(r app.Read) string {
	d := readDefOf(r)
	return fmt.Sprintf("%s %v", d.op, d.argsOf(r))
}

const quoteFrom = ` FROM quotes q JOIN currencies fc ON fc.code = q.from_currency JOIN currencies tc ON tc.code = q.to_currency`

// funds are what BatchFunds returns.
type funds struct {
	batch             cambista.ID
	balance, reserved int64
}

// fundsOf is the part of a funds read after SELECT: the batch b's balance
// and the payouts taken in it.
const fundsOf = `b.id, ` + balanceOf + `, ` + reservedOf

// balanceOf is the batch b's balance; reservedOf what the transfers taken
// in it and not finished will pay out of it.
const (
	balanceOf  = `COALESCE((SELECT balance FROM balances WHERE account = '` + ledger.BatchPrefix + `' || CAST(b.id AS TEXT)), 0)`
	reservedOf = `CAST(COALESCE((SELECT SUM(receive_minor) FROM transfers WHERE batch_id = b.id AND status = 'taken'), 0) AS BIGINT)`
)

// transferPair joins a transfer x and the batches b of its pair.
const transferPair = ` JOIN transfers x ON x.id = $2 AND b.base = x.from_currency AND b.quote = x.to_currency
	WHERE b.cashier_id = $1 AND b.status = 'open'`

func scanFunds(sc scanner) (funds, error) {
	var f funds
	return f, sc.Scan(&f.batch, &f.balance, &f.reserved)
}

// first decodes a read of one row; no row is ENOTFOUND for the entity,
// named by id.
func first[T any](scan func(scanner) (T, error), entity string, id func(app.Read) any) func(app.Read, rows) (any, error) {
	return func(r app.Read, rs rows) (any, error) {
		if !rs.Next() {
			if err := rs.Err(); err != nil {
				return nil, err
			}
			return nil, notFound(entity, id(r))
		}
		return scan(rs)
	}
}

// all decodes a read of a list.
func all[T any](scan func(scanner) (T, error)) func(app.Read, rows) (any, error) {
	return func(_ app.Read, rs rows) (any, error) { return scanAll(rs, scan) }
}

// idTable is a table whose IDs a transaction can reserve, and the method
// that inserts its rows.
type idTable struct{ table, op string }

// idTables are the tables whose IDs a transaction can reserve, by kind.
var idTables = map[string]idTable{
	"quote":    {"quotes", "CreateQuote"},
	"transfer": {"transfers", "CreateTransfer"},
	"entry":    {"journal_entries", "Post"},
}

func idTableOf(kind string) idTable {
	it, ok := idTables[kind]
	if !ok {
		panic(fmt.Sprintf("store: no IDs of kind %q to reserve", kind))
	}
	return it
}

// insert adds a row of the kind to its table and sets *id to the row's ID.
// With an ID reserved by Prefetch (PostgreSQL) the INSERT needs no answer:
// it is held (its only failure fails the transaction, mapped by fail).
// Otherwise the database gives the ID.
func (t *tx) insert(ctx context.Context, kind string, id *cambista.ID, fail func(error) error, cols string, args ...any) error {
	f, err := t.prefetched(ctx, app.NewIDRead(kind))
	if err != nil {
		return err
	}
	if f != nil {
		if f.err != nil {
			return f.err
		}
		*id = f.v.(cambista.ID)
		h := held{op: idTableOf(kind).op, sql: insertSQL(kind, cols, len(args), true), fail: fail}
		return t.hold(ctx, h, nil, append(args, *id)...)
	}
	err = t.writeRow(ctx, insertSQL(kind, cols, len(args), false), args...).Scan(id)
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
	q.WriteString("INSERT INTO " + idTableOf(kind).table + " (" + cols)
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

// Prefetch holds the reads on the pipe, to travel with the next statement,
// in lock order (app.ReadKind). SQLite runs in the process, where a read
// costs no round trip: it reads when asked.
func (t *tx) Prefetch(ctx context.Context, reads ...app.Read) {
	if t.pipe == nil {
		return
	}
	if !slices.IsSortedFunc(reads, lockOrder) {
		reads = slices.Clone(reads)
		slices.SortFunc(reads, lockOrder)
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
		ahead, d, f := t.ahead, readDefOf(r), &fetched{}
		ahead[r] = f
		args := d.argsOf(r)
		t.pipe.hold(heldStmt{op: d.op, sql: d.text(t, len(args)), args: args, rows: func(rs rows) error {
			f.v, f.err = d.decode(r, rs)
			f.done = true
			if d.alias != nil {
				delete(ahead, r)
				if f.err == nil {
					ahead[d.alias(f.v)] = f
				}
			}
			// A database error aborts the transaction: it fails every
			// statement after it, like a held write's.
			return rs.Err()
		}})
	}
}

// lockOrder orders reads by kind, which is the order of their locks, and
// then by what they are of, so that the same reads are sent in the same
// order whatever the order they were named in.
func lockOrder(a, b app.Read) int {
	return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID), strings.Compare(a.Key, b.Key),
		strings.Compare(a.Key2, b.Key2), cmp.Compare(a.At, b.At))
}

// read makes r: from what was prefetched, or else with a statement of its
// own.
func read[T any](ctx context.Context, t *tx, r app.Read) (T, error) {
	var v T
	f, err := t.prefetched(ctx, r)
	if err != nil {
		return v, err
	}
	var got any
	if f != nil {
		got, err = f.v, f.err
	} else {
		got, err = t.fetch(ctx, r)
	}
	if err != nil {
		return v, err
	}
	return got.(T), nil
}

// fetch makes r with a statement of its own.
func (t *tx) fetch(ctx context.Context, r app.Read) (any, error) {
	d := readDefOf(r)
	args := d.argsOf(r)
	rs, err := t.query(ctx, d.text(t, len(args)), args...)
	if err != nil {
		return nil, err
	}
	v, err := d.decode(r, rs)
	if cerr := rs.Close(); err == nil {
		err = cerr
	}
	return v, err
}

// prefetched returns what was prefetched for r, sending it now if it is
// still held, and forgets it; nil when r was not prefetched or a write
// discarded it.
func (t *tx) prefetched(ctx context.Context, r app.Read) (*fetched, error) {
	f := t.ahead[r]
	if f == nil {
		if t.check {
			t.readStale(r)
		}
		return nil, nil
	}
	delete(t.ahead, r)
	if !f.done {
		// Sending the held statements runs every prefetched read's rows
		// callback, or fails.
		if err := t.pipe.flush(ctx); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// writes discards what was prefetched and not yet read, since a read after
// a write must see it. A statement counts as a write by the way it is run
// (exec, writeRow, writeQuery, hold), not by its text.
func (t *tx) writes() {
	if t.ahead == nil {
		return
	}
	if t.check {
		t.stale = append(t.stale, t.ahead)
	}
	t.ahead = nil
}

// readStale notes, for Options.CheckPrefetch, a read that was prefetched
// and then discarded by a write: the round trip of its prefetch was spent
// for nothing.
func (t *tx) readStale(r app.Read) {
	for _, m := range t.stale {
		if m[r] != nil {
			delete(m, r)
			t.misuse = append(t.misuse, describe(r)+" was read after a write discarded it")
		}
	}
}

// prefetchMisuse is, with Options.CheckPrefetch, the error of a
// transaction that prefetched a read it never read, or read it only after
// a write discarded it: a prefetch that costs a lock or a round trip and
// saves nothing.
func (t *tx) prefetchMisuse() error {
	if !t.check {
		return nil
	}
	problems := t.misuse
	for _, m := range append(t.stale, t.ahead) {
		for r := range m {
			problems = append(problems, describe(r)+" was never read")
		}
	}
	if len(problems) == 0 {
		return nil
	}
	slices.Sort(problems)
	return fmt.Errorf("store: prefetch misused: %s", strings.Join(problems, "; "))
}
