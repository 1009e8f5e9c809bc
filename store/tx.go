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
	"github.com/cambista/cambista/money"
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

func formatRoles(s cambista.RoleSet) string {
	var names []string
	for _, r := range s.List() {
		names = append(names, r.String())
	}
	return strings.Join(names, ",")
}

func parseRoles(s string) cambista.RoleSet {
	var set cambista.RoleSet
	for _, n := range strings.Split(s, ",") {
		if r, err := cambista.ParseRole(n); err == nil {
			set = set.With(r)
		}
	}
	return set
}

const userColumns = `id, display_name, phone, country, type, status, locale, referrer_id, roles, COALESCE(invite_code, ''), created_at, updated_at`

func scanUser(sc scanner) (*cambista.User, error) {
	var u cambista.User
	var roles string
	var created, updated int64
	err := sc.Scan(&u.ID, &u.DisplayName, &u.Phone, &u.Country, &u.Type, &u.Status, &u.Locale, &u.ReferrerID, &roles, &u.InviteCode, &created, &updated)
	if err != nil {
		return nil, err
	}
	u.Roles = parseRoles(roles)
	u.CreatedAt, u.UpdatedAt = cambista.FromMicros(created), cambista.FromMicros(updated)
	return &u, nil
}

func (t *tx) CreateUser(ctx context.Context, u *cambista.User) error {
	u.CreatedAt, u.UpdatedAt = t.now, t.now
	_, err := t.exec(ctx, `INSERT INTO users (id, display_name, phone, country, type, status, locale, referrer_id, roles,
		invite_code, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		u.ID, u.DisplayName, u.Phone, u.Country, u.Type, u.Status, u.Locale, u.ReferrerID, formatRoles(u.Roles),
		nullString(u.InviteCode), cambista.Micros(t.now), cambista.Micros(t.now))
	if uniqueViolation(err) {
		return exists("user", u.ID)
	}
	return err
}

func (t *tx) User(ctx context.Context, id cambista.UserID) (*cambista.User, error) {
	return read[*cambista.User](ctx, t, app.UserRead(id))
}

func (t *tx) UpdateUser(ctx context.Context, u *cambista.User) error {
	u.UpdatedAt = t.now
	res, err := t.exec(ctx, `UPDATE users SET display_name = $2, phone = $3, country = $4, type = $5, status = $6,
		locale = $7, referrer_id = $8, roles = $9, invite_code = $10, updated_at = $11 WHERE id = $1`,
		u.ID, u.DisplayName, u.Phone, u.Country, u.Type, u.Status, u.Locale, u.ReferrerID, formatRoles(u.Roles),
		nullString(u.InviteCode), cambista.Micros(t.now))
	if uniqueViolation(err) {
		return exists("invite code", u.InviteCode)
	}
	return affected(res, err, "user", u.ID)
}

func (t *tx) Users(ctx context.Context, f cambista.UserFilter) ([]*cambista.User, error) {
	if f.Limit <= 0 || f.Limit > 100000 {
		f.Limit = 100
	}
	q := `SELECT ` + userColumns + ` FROM users WHERE 1 = 1`
	var args []any
	if f.Search != "" {
		args = append(args, "%"+strings.ToLower(f.Search)+"%")
		q += fmt.Sprintf(` AND (id LIKE $%d OR LOWER(display_name) LIKE $%d)`, len(args), len(args))
	}
	if f.Role != 0 {
		args = append(args, "%,"+f.Role.String()+",%")
		q += fmt.Sprintf(` AND (',' || roles || ',') LIKE $%d`, len(args))
	}
	args = append(args, f.Limit)
	q += fmt.Sprintf(` ORDER BY created_at DESC, id LIMIT $%d`, len(args))
	return queryAll(ctx, t, scanUser, q, args...)
}

// Currencies.

const currencyColumns = `code, name, exponent, rounding, enabled`

func scanCurrency(sc scanner) (*cambista.Currency, error) {
	var c cambista.Currency
	var rounding string
	if err := sc.Scan(&c.Code, &c.Name, &c.Exponent, &rounding, &c.Enabled); err != nil {
		return nil, err
	}
	r, err := money.ParseRoundingMode(rounding)
	if err != nil {
		return nil, err
	}
	c.Rounding = r
	return &c, nil
}

func (t *tx) CreateCurrency(ctx context.Context, c *cambista.Currency) error {
	_, err := t.exec(ctx, `INSERT INTO currencies (`+currencyColumns+`, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		c.Code, c.Name, c.Exponent, c.Rounding.String(), c.Enabled, cambista.Micros(t.now))
	if uniqueViolation(err) {
		return exists("currency", c.Code)
	}
	return err
}

func (t *tx) Currency(ctx context.Context, code string) (*cambista.Currency, error) {
	c, err := scanCurrency(t.row(ctx, `SELECT `+currencyColumns+` FROM currencies WHERE code = $1`, code))
	return c, one(err, "currency", code)
}

func (t *tx) UpdateCurrency(ctx context.Context, c *cambista.Currency) error {
	res, err := t.exec(ctx, `UPDATE currencies SET name = $2, rounding = $3, enabled = $4 WHERE code = $1`,
		c.Code, c.Name, c.Rounding.String(), c.Enabled)
	return affected(res, err, "currency", c.Code)
}

func (t *tx) Currencies(ctx context.Context) ([]*cambista.Currency, error) {
	return read[[]*cambista.Currency](ctx, t, app.CurrenciesRead())
}

// Countries.

const countryColumns = `code, name, currency, enabled`

func scanCountry(sc scanner) (*cambista.Country, error) {
	var c cambista.Country
	return &c, sc.Scan(&c.Code, &c.Name, &c.Currency, &c.Enabled)
}

func (t *tx) CreateCountry(ctx context.Context, c *cambista.Country) error {
	_, err := t.exec(ctx, `INSERT INTO countries (`+countryColumns+`, created_at) VALUES ($1, $2, $3, $4, $5)`,
		c.Code, c.Name, c.Currency, c.Enabled, cambista.Micros(t.now))
	if uniqueViolation(err) {
		return exists("country", c.Code)
	}
	return err
}

func (t *tx) Country(ctx context.Context, code string) (*cambista.Country, error) {
	c, err := scanCountry(t.row(ctx, `SELECT `+countryColumns+` FROM countries WHERE code = $1`, code))
	if err != nil {
		return nil, one(err, "country", code)
	}
	return c, nil
}

func (t *tx) UpdateCountry(ctx context.Context, c *cambista.Country) error {
	res, err := t.exec(ctx, `UPDATE countries SET name = $2, currency = $3, enabled = $4 WHERE code = $1`,
		c.Code, c.Name, c.Currency, c.Enabled)
	return affected(res, err, "country", c.Code)
}

func (t *tx) Countries(ctx context.Context) ([]*cambista.Country, error) {
	return read[[]*cambista.Country](ctx, t, app.CountriesRead())
}

// Rates.

const rateColumns = `id, base, quote, value, set_by, valid_from, created_at`

func scanRate(sc scanner) (*cambista.Rate, error) {
	var r cambista.Rate
	var value string
	var from, created int64
	if err := sc.Scan(&r.ID, &r.Base, &r.Quote, &value, &r.SetBy, &from, &created); err != nil {
		return nil, err
	}
	v, err := money.ParseRate(value)
	if err != nil {
		return nil, fmt.Errorf("rate %d: stored value %q: %w", r.ID, value, err)
	}
	r.Value, r.ValidFrom, r.CreatedAt = v, cambista.FromMicros(from), cambista.FromMicros(created)
	return &r, nil
}

func (t *tx) CreateRate(ctx context.Context, r *cambista.Rate) error {
	r.CreatedAt = t.now
	if r.ValidFrom.IsZero() {
		r.ValidFrom = t.now
	}
	return t.writeRow(ctx, `INSERT INTO rates (base, quote, value, set_by, valid_from, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		r.Base, r.Quote, r.Value.String(), r.SetBy, cambista.Micros(r.ValidFrom), cambista.Micros(t.now)).Scan(&r.ID)
}

func (t *tx) CurrentRate(ctx context.Context, base, quote string, at time.Time) (*cambista.Rate, error) {
	return read[*cambista.Rate](ctx, t, app.CurrentRateRead(base, quote, at))
}

func (t *tx) Rates(ctx context.Context, base, quote string, limit int) ([]*cambista.Rate, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	return queryAll(ctx, t, scanRate, `SELECT `+rateColumns+` FROM rates WHERE base = $1 AND quote = $2
		ORDER BY valid_from DESC, id DESC LIMIT $3`, base, quote, limit)
}
