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
// is PanelLogin's, in the login's transaction.
func (s *Service) BootstrapLinkUser(ctx context.Context, tokenHash string) (cambista.UserID, error) {
	var user cambista.UserID
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		user, err = tx.BootstrapTokenUser(ctx, tokenHash)
		return err
	})
	if cambista.ErrorCode(err) == cambista.ENOTFOUND {
		return "", cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgPanelLinkInvalid.Msg())
	}
	return user, err
}
