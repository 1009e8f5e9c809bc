package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/ledger"
)

// Post writes an entry and its postings, and moves the cached balances of
// guarded accounts in the same transaction. A debit is one conditional
// UPDATE, so the non-negative check and the change are a single atomic step
// under the row's lock on both databases; accounts are touched in name
// order so that two entries cannot deadlock on each other.
func (t *tx) Post(ctx context.Context, e *cambista.JournalEntry) error {
	if err := ledger.Validate(e); err != nil {
		return err
	}
	e.Time = t.now
	if err := t.insert(ctx, "entry", &e.ID, nil, `time, kind, params, ref_type, ref_id`,
		cambista.Micros(t.now), e.Description.Kind, encodeParams(e.Description.Params), e.RefType, e.RefID); err != nil {
		return err
	}
	args := make([]any, 0, 5*len(e.Postings))
	type delta struct {
		currency string
		minor    int64
	}
	deltas := map[cambista.LedgerAccount]*delta{}
	for _, p := range e.Postings {
		args = append(args, e.ID, string(p.Account), p.Amount.Currency.Code, p.Amount.Minor, cambista.Micros(t.now))
		if !ledger.Guarded(p.Account) {
			continue
		}
		d := deltas[p.Account]
		if d == nil {
			d = &delta{currency: p.Amount.Currency.Code}
			deltas[p.Account] = d
		} else if d.currency != p.Amount.Currency.Code {
			return mixedCurrency(p.Account)
		}
		d.minor += p.Amount.Minor
	}
	// Sent with the first balance move on PostgreSQL.
	if err := t.hold(ctx, heldPostings, nil, args...); err != nil {
		return err
	}
	accounts := make([]cambista.LedgerAccount, 0, len(deltas))
	for a := range deltas {
		accounts = append(accounts, a)
	}
	sort.Slice(accounts, func(i, j int) bool { return accounts[i] < accounts[j] })
	for _, a := range accounts {
		if err := t.moveBalance(ctx, a, deltas[a].currency, deltas[a].minor); err != nil {
			return err
		}
	}
	return nil
}

// encodeParams writes an entry's parameters as a JSON object, a form both
// databases build and read in SQL, as the migration to kinds does.
func encodeParams(p map[string]string) string {
	if len(p) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(p) // a map of strings always encodes
	return string(b)
}

// entryParams scans a params column into the map it points to.
type entryParams struct{ p *map[string]string }

func (s entryParams) Scan(src any) error {
	switch v := src.(type) {
	case string:
		return json.Unmarshal([]byte(v), s.p)
	case []byte:
		return json.Unmarshal(v, s.p)
	}
	return fmt.Errorf("entry params: unexpected %T", src)
}

func mixedCurrency(a cambista.LedgerAccount) error {
	return cambista.Errorf(cambista.EINVALID, cambista.MsgBadPosting.Msg("Account", string(a), "Reason", "postings in two currencies"))
}

// Balance moves. Each changes the row only if its condition holds (the
// currency matches; a debit leaves the balance non-negative).
const (
	creditBalance = `INSERT INTO balances (account, currency, balance) VALUES ($1, $2, $3)
			ON CONFLICT (account) DO UPDATE SET balance = balances.balance + excluded.balance
			WHERE balances.currency = excluded.currency`
	debitBalance = `UPDATE balances SET balance = balance + $3
			WHERE account = $1 AND currency = $2 AND balance + $3 >= 0`
)

// heldPostings writes an entry's postings, which only a database error can
// fail. Each keeps the entry's time: on PostgreSQL it picks the month's
// partition.
var heldPostings = held{op: "Post", sql: `INSERT INTO postings (entry_id, account, currency, amount, time) VALUES `, rows: 5}

// Held balance moves have the database refuse their transaction when they
// change no row (cambista_check).
var (
	heldCredit = held{op: "Post", fail: refused,
		sql: `WITH moved AS (` + creditBalance + ` RETURNING 1) SELECT cambista_check(COUNT(*) = 1, 'balance move refused') FROM moved`}
	heldDebit = held{op: "Post", fail: refused,
		sql: `WITH moved AS (` + debitBalance + ` RETURNING 1) SELECT cambista_check(COUNT(*) = 1, 'balance move refused') FROM moved`}
)

func refused(err error) error {
	if checkFailed(err) {
		return errMoveRefused
	}
	return err
}

// errMoveRefused fails a transaction whose held balance move found its
// condition false. The store runs the transaction again with its moves
// checked one by one, which names the reason (or succeeds, if the balance
// changed meanwhile).
var errMoveRefused = errors.New("a balance move was refused")

func (t *tx) moveBalance(ctx context.Context, a cambista.LedgerAccount, currency string, minor int64) error {
	if t.pipe != nil && !t.checkMoves && minor != 0 {
		// Nearly every move holds: on PostgreSQL it needs no round trip of
		// its own, and the server refuses the transaction if it does not.
		h := heldCredit
		if minor < 0 {
			h = heldDebit
		}
		return t.hold(ctx, h, nil, string(a), currency, minor)
	}
	switch {
	case minor > 0:
		res, err := t.exec(ctx, creditBalance, string(a), currency, minor)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return mixedCurrency(a)
		}
	case minor < 0:
		res, err := t.exec(ctx, debitBalance, string(a), currency, minor)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			b, err := t.Balance(ctx, a)
			if err != nil {
				return err
			}
			if b.Currency != "" && b.Currency != currency {
				return mixedCurrency(a)
			}
			return cambista.Errorf(cambista.EINSUFFICIENT, cambista.MsgInsufficient.Msg(
				"Account", string(a), "Available", b.Minor, "Needed", -minor, "Currency", currency))
		}
	}
	return nil
}

// Balance returns the balance of an account: the cached row of a guarded
// account (kept equal to its postings in every transaction, and checked by
// LedgerState), the sum of postings for the others.
func (t *tx) Balance(ctx context.Context, a cambista.LedgerAccount) (cambista.Balance, error) {
	b := cambista.Balance{Account: a, Currency: ledger.Currency(a)}
	var err error
	if ledger.Guarded(a) {
		err = t.row(ctx, `SELECT currency, balance FROM balances WHERE account = $1`, string(a)).Scan(&b.Currency, &b.Minor)
	} else {
		err = t.row(ctx, `SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM postings WHERE account = $1`, string(a)).Scan(&b.Minor)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return b, nil
	}
	return b, err
}

// LedgerState reads what the invariant checker needs. Run it in View so the
// three reads see one snapshot.
func (t *tx) LedgerState(ctx context.Context) (*cambista.LedgerState, error) {
	s := &cambista.LedgerState{
		CurrencySums: map[string]int64{},
		Derived:      map[cambista.LedgerAccount]int64{},
		Cached:       map[cambista.LedgerAccount]int64{},
	}
	read := func(q string, into func(k string, v int64)) error {
		rows, err := t.query(ctx, q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			var v int64
			if err := rows.Scan(&k, &v); err != nil {
				return err
			}
			into(k, v)
		}
		return rows.Err()
	}
	if err := read(`SELECT currency, CAST(SUM(amount) AS BIGINT) FROM postings GROUP BY currency`,
		func(k string, v int64) { s.CurrencySums[k] = v }); err != nil {
		return nil, err
	}
	if err := read(`SELECT account, CAST(SUM(amount) AS BIGINT) FROM postings
		WHERE account LIKE 'user:%' OR account LIKE 'batch:%' GROUP BY account`,
		func(k string, v int64) { s.Derived[cambista.LedgerAccount(k)] = v }); err != nil {
		return nil, err
	}
	if err := read(`SELECT account, balance FROM balances`,
		func(k string, v int64) { s.Cached[cambista.LedgerAccount(k)] = v }); err != nil {
		return nil, err
	}
	return s, nil
}

// EntryPostings calls fn with each posting of the journal entries that an
// entity caused (ref_type, ref_id), in entry and posting order. It is a
// read of the panel's transfer page.
func (t *tx) EntryPostings(ctx context.Context, refType string, refID cambista.ID,
	fn func(entry cambista.ID, at time.Time, description cambista.EntryDescription, account cambista.LedgerAccount, currency string, minor int64)) error {
	rows, err := t.query(ctx, `SELECT e.id, e.time, e.kind, e.params, p.account, p.currency, p.amount
		FROM postings p JOIN journal_entries e ON e.id = p.entry_id
		WHERE e.ref_type = $1 AND e.ref_id = $2
		ORDER BY e.id, p.id`, refType, int64(refID))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var entry, at, minor int64
		var description cambista.EntryDescription
		var account, currency string
		if err := rows.Scan(&entry, &at, &description.Kind, entryParams{&description.Params}, &account, &currency, &minor); err != nil {
			return err
		}
		fn(cambista.ID(entry), cambista.FromMicros(at), description, cambista.LedgerAccount(account), currency, minor)
	}
	return rows.Err()
}

func (t *tx) Postings(ctx context.Context, a cambista.LedgerAccount, from, to time.Time, after cambista.ID, limit int) ([]*cambista.StatementLine, error) {
	var w where
	w.add("p.account = ?", string(a))
	w.addIf(!from.IsZero(), "p.time >= ?", micros(from))
	w.addIf(!to.IsZero(), "p.time < ?", micros(to))
	w.addIf(after != 0, "p.id > ?", after)
	q := `SELECT ` + statementLineColumns + statementLineFrom + w.String() + ` ORDER BY p.id` + w.limit(limit)
	return queryAll(ctx, t, scanStatementLine, q, w.args...)
}

func (t *tx) BalanceBefore(ctx context.Context, a cambista.LedgerAccount, before time.Time, after cambista.ID) (int64, error) {
	var n int64
	var err error
	if after != 0 {
		err = t.row(ctx, `SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM postings WHERE account = $1 AND id <= $2`,
			string(a), after).Scan(&n)
	} else {
		err = t.row(ctx, `SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM postings
			WHERE account = $1 AND time < $2`, string(a), cambista.Micros(before)).Scan(&n)
	}
	return n, err
}
