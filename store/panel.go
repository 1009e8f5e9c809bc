package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
)

// The admin panel's tables (app.SessionStore): sessions and one-time
// bootstrap links, kept by the SHA-256 of their secrets; and the aggregate
// reads of the dashboard and the audit log.

// panelSessionColumns are what scanPanelSession reads, from panel_sessions
// s joined with users u.
const panelSessionColumns = `s.user_id, u.display_name, s.lang, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at`

func scanPanelSession(sc scanner) (*app.PanelSession, error) {
	var ps app.PanelSession
	var created, seen, expires int64
	var revoked sql.NullInt64
	if err := sc.Scan(&ps.UserID, &ps.DisplayName, &ps.Lang, &created, &seen, &expires, &revoked); err != nil {
		return nil, err
	}
	ps.CreatedAt, ps.LastSeenAt, ps.ExpiresAt = cambista.FromMicros(created), cambista.FromMicros(seen), cambista.FromMicros(expires)
	ps.RevokedAt = fromNull(revoked)
	return &ps, nil
}

// PanelSession returns the session whose ID hashes to idHash, whatever its
// state; ENOTFOUND if there is none.
func (t *tx) PanelSession(ctx context.Context, idHash string) (*app.PanelSession, error) {
	ps, err := scanPanelSession(t.row(ctx, `SELECT `+panelSessionColumns+`
		FROM panel_sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1`, idHash))
	if err != nil {
		return nil, one(err, "session", "")
	}
	return ps, nil
}

// TouchPanelSession records that the session was used now.
func (t *tx) TouchPanelSession(ctx context.Context, idHash string) error {
	_, err := t.exec(ctx, `UPDATE panel_sessions SET last_seen_at = $2 WHERE id_hash = $1 AND last_seen_at < $2`, idHash, cambista.Micros(t.now))
	return err
}

// EndPanelSession revokes one session and returns its user; "" if it had
// ended already, or there is none.
func (t *tx) EndPanelSession(ctx context.Context, idHash string) (cambista.UserID, error) {
	var user cambista.UserID
	err := t.writeRow(ctx, `UPDATE panel_sessions SET revoked_at = $2 WHERE id_hash = $1 AND revoked_at IS NULL RETURNING user_id`,
		idHash, cambista.Micros(t.now)).Scan(&user)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return user, err
}

// SetPanelSessionLang changes the language of the user's session;
// ENOTFOUND if the session is not the user's.
func (t *tx) SetPanelSessionLang(ctx context.Context, idHash string, user cambista.UserID, lang string) error {
	res, err := t.exec(ctx, `UPDATE panel_sessions SET lang = $3 WHERE id_hash = $1 AND user_id = $2`, idHash, user, lang)
	return affected(res, err, "session", "")
}

// BootstrapTokenUser returns the user a live (unused, unexpired) bootstrap
// token was issued for; ENOTFOUND otherwise.
func (t *tx) BootstrapTokenUser(ctx context.Context, tokenHash string) (cambista.UserID, error) {
	var user cambista.UserID
	err := t.row(ctx, `SELECT user_id FROM panel_bootstrap_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2`,
		tokenHash, cambista.Micros(t.now)).Scan(&user)
	return user, one(err, "login link", "")
}

// CreatePanelSession stores a new session of the user, seen now.
func (t *tx) CreatePanelSession(ctx context.Context, idHash string, user cambista.UserID, lang string, expires time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO panel_sessions (id_hash, user_id, lang, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)`,
		idHash, user, lang, cambista.Micros(t.now), cambista.Micros(expires))
	return err
}

// RevokePanelSessions revokes every live session of the user and returns
// how many there were.
func (t *tx) RevokePanelSessions(ctx context.Context, user cambista.UserID) (int64, error) {
	res, err := t.exec(ctx, `UPDATE panel_sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2`,
		user, cambista.Micros(t.now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// PanelSessions calls fn with each session neither revoked, nor past its
// expiry, nor idle since before seenSince, newest first.
func (t *tx) PanelSessions(ctx context.Context, seenSince time.Time, fn func(*app.PanelSession)) error {
	rows, err := t.query(ctx, `SELECT `+panelSessionColumns+`
		FROM panel_sessions s JOIN users u ON u.id = s.user_id
		WHERE s.revoked_at IS NULL AND s.expires_at > $1 AND s.last_seen_at >= $2
		ORDER BY s.created_at DESC LIMIT 1000`, cambista.Micros(t.now), cambista.Micros(seenSince))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		ps, err := scanPanelSession(rows)
		if err != nil {
			return err
		}
		fn(ps)
	}
	return rows.Err()
}

// IssueBootstrapToken stores a one-time login token for the user and voids
// the earlier unused ones, so only the newest link printed works.
func (t *tx) IssueBootstrapToken(ctx context.Context, tokenHash string, user cambista.UserID, expires time.Time) error {
	now := cambista.Micros(t.now)
	if _, err := t.exec(ctx, `UPDATE panel_bootstrap_tokens SET expires_at = $1 WHERE used_at IS NULL AND expires_at > $1`, now); err != nil {
		return err
	}
	_, err := t.exec(ctx, `INSERT INTO panel_bootstrap_tokens (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
		tokenHash, user, now, cambista.Micros(expires))
	return err
}

// UseBootstrapToken marks the user's token used; ENOTFOUND unless it is
// live. The conditional UPDATE is the check, so two clicks on one link
// cannot both log in.
func (t *tx) UseBootstrapToken(ctx context.Context, tokenHash string, user cambista.UserID) error {
	res, err := t.exec(ctx, `UPDATE panel_bootstrap_tokens SET used_at = $3
		WHERE token_hash = $1 AND user_id = $2 AND used_at IS NULL AND expires_at > $3`, tokenHash, user, cambista.Micros(t.now))
	return affected(res, err, "login link", "")
}

// Waiting counts what waits for someone: account requests and withdrawals
// for a superuser, pending transfers for a cashier.
func (t *tx) Waiting(ctx context.Context) (cambista.Waiting, error) {
	var w cambista.Waiting
	err := t.row(ctx, `SELECT
		(SELECT COUNT(*) FROM accounts WHERE status = 'requested'),
		(SELECT COUNT(*) FROM withdrawals WHERE status = 'requested'),
		(SELECT COUNT(*) FROM transfers WHERE status = 'pending')`).Scan(&w.Accounts, &w.Withdrawals, &w.Transfers)
	return w, err
}

// DailyPostings sums the postings on one ledger account whose entries fall
// in [from, to), by UTC day, and calls fn with each day that has any.
func (t *tx) DailyPostings(ctx context.Context, account cambista.LedgerAccount, from, to time.Time, fn func(day time.Time, minor int64)) error {
	// The entry IDs of the period start at the first entry at or after
	// from (found on the time index), which bounds the scan of the
	// account's postings to the period instead of its whole history.
	// Days are 86,400,000,000 microseconds.
	rows, err := t.query(ctx, `SELECT e.time / 86400000000 AS day, CAST(SUM(p.amount) AS BIGINT) FROM postings p
		JOIN journal_entries e ON e.id = p.entry_id
		WHERE p.account = $1 AND e.time >= $2 AND e.time < $3
		AND p.entry_id >= (SELECT COALESCE(MIN(id), 0) FROM journal_entries WHERE time >= $2)
		GROUP BY e.time / 86400000000 ORDER BY day`, string(account), cambista.Micros(from), cambista.Micros(to))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var day, minor int64
		if err := rows.Scan(&day, &minor); err != nil {
			return err
		}
		fn(time.Unix(day*86400, 0).UTC(), minor)
	}
	return rows.Err()
}

// UserBalanceTotals calls fn with the sum of every user's balance in each
// currency: what the business owes its users.
func (t *tx) UserBalanceTotals(ctx context.Context, fn func(currency string, minor int64)) error {
	rows, err := t.query(ctx, `SELECT currency, CAST(SUM(balance) AS BIGINT) FROM balances
		WHERE account >= 'user:' AND account < 'user;' GROUP BY currency ORDER BY currency`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var cur string
		var minor int64
		if err := rows.Scan(&cur, &minor); err != nil {
			return err
		}
		fn(cur, minor)
	}
	return rows.Err()
}

// HouseBalances calls fn with the balance of each house account, summed
// over its postings (house accounts have no cached balance row).
func (t *tx) HouseBalances(ctx context.Context, fn func(account cambista.LedgerAccount, currency string, minor int64)) error {
	rows, err := t.query(ctx, `SELECT account, currency, CAST(SUM(amount) AS BIGINT) FROM postings
		WHERE account >= 'house:' AND account < 'house;' GROUP BY account, currency ORDER BY currency, account`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var account, cur string
		var minor int64
		if err := rows.Scan(&account, &cur, &minor); err != nil {
			return err
		}
		fn(cambista.LedgerAccount(account), cur, minor)
	}
	return rows.Err()
}

// SearchAudit returns audit events matching every non-empty field of the
// filter (zero times are open ends), newest first, at most f.Limit.
func (t *tx) SearchAudit(ctx context.Context, f cambista.AuditFilter) ([]*cambista.AuditEvent, error) {
	var w where
	w.add(f.Actor == "", "actor = ?", f.Actor)
	w.add(f.Action == "", "action = ?", f.Action)
	w.add(f.EntityType == "", "entity_type = ?", f.EntityType)
	w.add(f.EntityID == "", "entity_id = ?", f.EntityID)
	w.add(f.From.IsZero(), "time >= ?", micros(f.From))
	w.add(f.To.IsZero(), "time < ?", micros(f.To))
	w.add(f.Before <= 0, "seq < ?", f.Before)
	q := `SELECT seq, time, actor, action, entity_type, entity_id, before, after, idempotency_key, prev_hash, hash FROM audit_events` +
		w.String() + ` ORDER BY seq DESC` + w.limit(f.Limit)
	return queryAll(ctx, t, scanAuditEvent, q, w.args...)
}
