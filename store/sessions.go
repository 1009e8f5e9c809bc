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
// bootstrap links, kept by the SHA-256 of their secrets.

// panelSessionColumns are what scanPanelSession reads, from panel_sessions
// s joined with users u.
const panelSessionColumns = `s.user_id, COALESCE(NULLIF(u.discord_name, ''), u.display_name), s.lang, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at`

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
