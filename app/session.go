package app

import (
	"context"
	"time"

	"github.com/cambista/cambista"
)

// The panel's session on each request: find it and note its use, switch
// its language, end it. Finding a session and reading a login link run
// before anyone is known to act: holding the session's ID, or the link's
// token, is the credential, and the use cases are given only its hash.

// touchEvery is how stale a session's last-seen time may get before a
// request writes it again: the idle limit is that much less exact, and a
// busy panel does not write on every request.
const touchEvery = time.Minute

// actPanelLang names a language switch in the metrics.
const actPanelLang cambista.Action = "panel.lang"

// UsePanelSession returns the live session whose ID hashes to idHash and
// notes that it was used. A session is live until it is revoked, reaches
// its expiry, or goes unused for idle; ENOTFOUND once it is not, as when
// there is none.
//
// The note is recorded quietly, without an audit event: it happens on
// every request. It is written only when the last one is older than
// touchEvery, in a transaction of its own, so that most requests cost one
// read; a failed note is logged, not returned, since the request it
// served was allowed.
func (s *Service) UsePanelSession(ctx context.Context, idHash string, idle time.Duration) (*PanelSession, error) {
	var ps *PanelSession
	var now time.Time
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		ps, err = tx.PanelSession(ctx, idHash)
		now = tx.Now()
		return err
	})
	if err != nil {
		return nil, err
	}
	if !ps.RevokedAt.IsZero() || !now.Before(ps.ExpiresAt) || now.Sub(ps.LastSeenAt) >= idle {
		return nil, cambista.Errorf(cambista.ENOTFOUND, cambista.MsgNotFound.Msg("Entity", "session", "ID", ""))
	}
	if now.Sub(ps.LastSeenAt) >= touchEvery {
		if err := s.store.WithTx(ctx, func(tx Tx) error { return tx.TouchPanelSession(ctx, idHash) }); err != nil {
			s.log.Warn("panel session touch failed", "err", err)
		}
	}
	return ps, nil
}

// LoginAttempt counts an attempt to log in to the panel by the client
// address against perMinute attempts a minute, in bursts of as many, and
// returns 0 when it is allowed, else how long until one would be. The
// count lives in the database, so every process serving the panel counts
// against the same limit. It is recorded quietly: nobody is known yet.
func (s *Service) LoginAttempt(ctx context.Context, client string, perMinute int) (time.Duration, error) {
	var wait time.Duration
	err := s.store.WithTx(ctx, func(tx Tx) error {
		var err error
		wait, err = tx.TakeLoginAttempt(ctx, client, perMinute, time.Minute/time.Duration(perMinute))
		return err
	})
	return wait, err
}

// PanelLogout ends the session whose ID hashes to idHash, audited as
// panel.logout with the session's user. It needs no role: whoever holds a
// session may give it up. A session that had ended already is left as it
// is, and nothing is audited.
func (s *Service) PanelLogout(ctx context.Context, idHash string) error {
	holder := func(cambista.Actor) error { return nil }
	_, err := panelWrite(ctx, s, ActPanelLogout, holder, func(c *call) (struct{}, error) {
		user, err := c.tx.EndPanelSession(ctx, idHash)
		if err != nil || user == "" {
			return struct{}{}, err
		}
		return struct{}{}, c.audit("user", user, nil, nil)
	})
	return err
}

// SetPanelLang shows the acting user's session whose ID hashes to idHash
// in lang ("es" or "en") from now on, and makes lang the user's language,
// which their next login and the bot's messages start with.
//
// It is recorded quietly, without an audit event, though it changes the
// user's language: a language switch should not flood the audit log.
func (s *Service) SetPanelLang(ctx context.Context, idHash, lang string) error {
	if lang != cambista.LocaleES && lang != cambista.LocaleEN {
		return cambista.Errorf(cambista.EINVALID, cambista.MsgBadLocale.Msg("Input", lang))
	}
	check := func(a cambista.Actor) error { return cambista.Authorize(a, cambista.ActUpdateProfile) }
	_, err := panelWrite(ctx, s, actPanelLang, check, func(c *call) (struct{}, error) {
		if err := c.tx.SetPanelSessionLang(ctx, idHash, c.actor.UserID, lang); err != nil {
			return struct{}{}, err
		}
		u, err := c.tx.User(ctx, c.actor.UserID)
		if err != nil || u.Locale == lang {
			return struct{}{}, err
		}
		u.Locale = lang
		return struct{}{}, c.tx.UpdateUser(ctx, u)
	})
	return err
}

// BootstrapLinkUser returns the user a one-time login link was issued
// for, given the hash of its token; EFORBIDDEN (MsgPanelLinkInvalid) when
// the link was used, expired or replaced by a newer one. Spending the link
// is PanelLogin's, in the login's transaction. A link dies unused at the
// first superuser login of any kind: it exists to set up an installation
// no superuser can reach yet.
func (s *Service) BootstrapLinkUser(ctx context.Context, tokenHash string) (cambista.UserID, error) {
	var user cambista.UserID
	err := s.store.View(ctx, func(tx Tx) error {
		if err := bootstrapOpen(ctx, tx); err != nil {
			return err
		}
		var err error
		user, err = tx.BootstrapTokenUser(ctx, tokenHash)
		return err
	})
	if cambista.ErrorCode(err) == cambista.ENOTFOUND {
		return "", cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgPanelLinkInvalid.Msg())
	}
	return user, err
}

// bootstrapOpen returns ENOTFOUND once a superuser has logged in to the
// panel: no bootstrap link works from then on.
func bootstrapOpen(ctx context.Context, tx cambista.SettingStore) error {
	first, err := tx.Setting(ctx, settingSuperuserLogin)
	if err == nil && first != "" {
		err = cambista.Errorf(cambista.ENOTFOUND, cambista.MsgPanelLinkInvalid.Msg())
	}
	return err
}

// SessionStore keeps the admin panel's sessions and its one-time login
// links, each known by the SHA-256 of its secret. Errors are as in Tx.
type SessionStore interface {
	// CreatePanelSession stores a session, seen now.
	CreatePanelSession(ctx context.Context, idHash string, user cambista.UserID, lang string, expires time.Time) error
	// PanelSession returns the session, whatever its state; ENOTFOUND.
	PanelSession(ctx context.Context, idHash string) (*PanelSession, error)
	// TouchPanelSession records that the session was used now.
	TouchPanelSession(ctx context.Context, idHash string) error
	// EndPanelSession revokes the session and returns its user; "" if it
	// had ended already, or there is none.
	EndPanelSession(ctx context.Context, idHash string) (cambista.UserID, error)
	// SetPanelSessionLang changes the language of the user's session;
	// ENOTFOUND if the session is not the user's.
	SetPanelSessionLang(ctx context.Context, idHash string, user cambista.UserID, lang string) error
	// RevokePanelSessions revokes the user's live sessions and counts them.
	RevokePanelSessions(ctx context.Context, user cambista.UserID) (int64, error)
	// PanelSessions calls fn with each live session seen since seenSince,
	// newest first.
	PanelSessions(ctx context.Context, seenSince time.Time, fn func(*PanelSession)) error
	// IssueBootstrapToken stores a login token and voids the older ones.
	IssueBootstrapToken(ctx context.Context, tokenHash string, user cambista.UserID, expires time.Time) error
	// BootstrapTokenUser returns the user of a live (unused, unexpired)
	// token; ENOTFOUND otherwise.
	BootstrapTokenUser(ctx context.Context, tokenHash string) (cambista.UserID, error)
	// UseBootstrapToken spends the user's live token; ENOTFOUND otherwise.
	UseBootstrapToken(ctx context.Context, tokenHash string, user cambista.UserID) error
	// TakeLoginAttempt counts a login attempt by client against a bucket
	// of burst attempts regaining one every interval; it returns 0 when
	// the attempt is allowed, else how long until one would be (and then
	// counts nothing).
	TakeLoginAttempt(ctx context.Context, client string, burst int, interval time.Duration) (time.Duration, error)
}

// PanelSession is a panel login.
type PanelSession struct {
	UserID      cambista.UserID
	DisplayName string
	Lang        string
	CreatedAt   time.Time
	LastSeenAt  time.Time
	ExpiresAt   time.Time
	RevokedAt   time.Time // zero while not revoked
}

// The audit actions of the panel's own writes. They are not rows of the
// permission matrix: logging in needs a panel role (PanelAccess), logging
// out only the session, and revoking someone's sessions is managing their
// access (cambista.ActAssignRole).
const (
	ActPanelLogin          cambista.Action = "panel.login"
	ActPanelLogout         cambista.Action = "panel.logout"
	ActPanelRevokeSessions cambista.Action = "panel.revoke_sessions"
)

// settingSuperuserLogin records when a superuser first logged in to the
// panel; from then on no bootstrap link is issued.
const settingSuperuserLogin = "panel.superuser_login"

// actPanelBootstrapLink names the issue of a login link in the metrics.
const actPanelBootstrapLink cambista.Action = "panel.bootstrap_link"

// PanelAccess returns nil if the actor may use the admin panel: a cashier
// or a superuser, not frozen. Otherwise its EFORBIDDEN error says why, for
// a person who may not know cambista's roles.
func PanelAccess(a cambista.Actor) error {
	switch {
	case a.Frozen:
		return cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgUserFrozen.Msg())
	case a.Roles == 0:
		return cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgPanelNotRegistered.Msg("User", string(a.UserID)))
	case !a.Roles.Has(cambista.RoleCashier) && !a.Roles.Has(cambista.RoleSuperuser):
		return cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgPanelNoRole.Msg())
	}
	return nil
}

// panelWrite runs one of the panel's writes: check the actor, then in one
// transaction run fn, whose audit events carry act.
func panelWrite[Out any](ctx context.Context, s *Service, act cambista.Action, check func(cambista.Actor) error, fn func(c *call) (Out, error)) (Out, error) {
	var out Out
	actor := cambista.ActorFromContext(ctx)
	err := check(actor)
	if err == nil {
		err = s.store.WithTx(ctx, func(tx Tx) error {
			var err error
			out, err = fn(&call{ctx: ctx, tx: tx, actor: actor, action: act})
			return err
		})
	}
	s.cfg.Metrics.count(act, err)
	if err != nil {
		var zero Out
		return zero, named(act, err)
	}
	return out, nil
}

// PanelLogin opens a panel session for the acting user.
type PanelLogin struct {
	SessionHash string    // hex SHA-256 of the new session's ID
	Expires     time.Time // when the session ends however much it is used
	// BootstrapHash is the hex SHA-256 of a one-time login link's token,
	// when the user logs in with one; it is spent in the same transaction.
	BootstrapHash string
	// Replaces is the hex SHA-256 of the session the browser held before,
	// if any: it ends in the same transaction, so that a browser holds one
	// live session.
	Replaces string
	Method   string // "discord" or "bootstrap", for the audit log
}

// PanelLogin stores a session for the acting user, who must have a panel
// role, in the user's language. It returns the user.
func (s *Service) PanelLogin(ctx context.Context, in PanelLogin) (*cambista.User, error) {
	return panelWrite(ctx, s, ActPanelLogin, PanelAccess, func(c *call) (*cambista.User, error) {
		u, err := c.tx.User(ctx, c.actor.UserID)
		if err != nil {
			return nil, err
		}
		if in.BootstrapHash != "" {
			err := bootstrapOpen(ctx, c.tx)
			if err == nil {
				err = c.tx.UseBootstrapToken(ctx, in.BootstrapHash, u.ID)
			}
			if cambista.ErrorCode(err) == cambista.ENOTFOUND {
				return nil, cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgPanelLinkInvalid.Msg())
			} else if err != nil {
				return nil, err
			}
		}
		if err := c.tx.CreatePanelSession(ctx, in.SessionHash, u.ID, normalizeLocale(u.Locale), in.Expires); err != nil {
			return nil, err
		}
		if in.Replaces != "" {
			if _, err := c.tx.EndPanelSession(ctx, in.Replaces); err != nil {
				return nil, err
			}
		}
		if c.actor.Roles.Has(cambista.RoleSuperuser) {
			first, err := c.tx.Setting(ctx, settingSuperuserLogin)
			if err != nil {
				return nil, err
			}
			if first == "" {
				if err := c.tx.SetSetting(ctx, settingSuperuserLogin, c.tx.Now().Format(time.RFC3339), u.ID); err != nil {
					return nil, err
				}
			}
		}
		type login struct {
			Method  string
			Roles   []string
			Expires time.Time
		}
		var roles []string
		for _, r := range c.actor.Roles.List() {
			roles = append(roles, r.String())
		}
		return u, c.audit("user", u.ID, nil, login{Method: in.Method, Roles: roles, Expires: in.Expires})
	})
}

// PanelBootstrap issues the token of a one-time login link for the first
// bootstrap superuser, while no superuser has ever logged in to the panel,
// and returns that user; "" when no link is needed. It runs as the system
// at start. Issuing a link voids the earlier ones. The issue is not
// audited (the login that spends the link is), so starts do not grow the
// audit log.
func (s *Service) PanelBootstrap(ctx context.Context, tokenHash string, expires time.Time) (cambista.UserID, error) {
	if len(s.cfg.Bootstrap) == 0 {
		return "", nil
	}
	ctx = cambista.WithActor(ctx, cambista.SystemActor)
	system := func(cambista.Actor) error { return nil } // the actor is the system, set just above
	return panelWrite(ctx, s, actPanelBootstrapLink, system, func(c *call) (cambista.UserID, error) {
		first, err := c.tx.Setting(ctx, settingSuperuserLogin)
		if err != nil || first != "" {
			return "", err
		}
		user := s.cfg.Bootstrap[0]
		if _, err := c.tx.User(ctx, user); err != nil {
			return "", err // Bootstrap creates the user; run it first
		}
		return user, c.tx.IssueBootstrapToken(ctx, tokenHash, user, expires)
	})
}

// RevokePanelSessions ends every panel session of a user at once, for a
// superuser managing who has access. It returns how many were live.
func (s *Service) RevokePanelSessions(ctx context.Context, user cambista.UserID) (int64, error) {
	check := func(a cambista.Actor) error { return cambista.Authorize(a, cambista.ActAssignRole) }
	return panelWrite(ctx, s, ActPanelRevokeSessions, check, func(c *call) (int64, error) {
		if _, err := c.tx.User(ctx, user); err != nil {
			return 0, err
		}
		n, err := c.tx.RevokePanelSessions(ctx, user)
		if err != nil {
			return 0, err
		}
		return n, c.audit("user", user, nil, struct{ Revoked int64 }{n})
	})
}

// PanelSessions lists the live panel sessions seen since seenSince (the
// panel's idle limit), for a superuser.
func (s *Service) PanelSessions(ctx context.Context, seenSince time.Time) ([]PanelSession, error) {
	return view(ctx, s, cambista.ActAssignRole, func(tx Tx, _ cambista.Actor) ([]PanelSession, error) {
		var out []PanelSession
		err := tx.PanelSessions(ctx, seenSince, func(ps *PanelSession) { out = append(out, *ps) })
		return out, err
	})
}
