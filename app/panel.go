package app

import (
	"context"
	"slices"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/money"
)

// The admin panel's use cases: logging in and out of the panel, and the
// reads its pages need beyond those the Discord bot shares.

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
			if err := c.tx.UseBootstrapToken(ctx, in.BootstrapHash, u.ID); cambista.ErrorCode(err) == cambista.ENOTFOUND {
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

// Dashboard is the business at a glance, for a superuser.
type Dashboard struct {
	Waiting     cambista.Waiting
	OpenBatches []*BatchStatus
	Liquidity   []Liquidity
}

// Liquidity is what one currency's money amounts to: the sum of the users'
// balances (what the business owes them) and each house account.
type Liquidity struct {
	Currency money.Currency
	Users    money.Amount
	House    []cambista.Balance
}

// Dashboard reads the counts of what waits, every open batch with its live
// status, and the liquidity per currency, from one snapshot.
func (s *Service) Dashboard(ctx context.Context) (*Dashboard, error) {
	return view(ctx, s, cambista.ActExportReports, func(tx Tx, _ cambista.Actor) (*Dashboard, error) {
		waiting, err := tx.Waiting(ctx)
		if err != nil {
			return nil, err
		}
		d := &Dashboard{Waiting: waiting}
		if d.OpenBatches, err = batchList(ctx, tx, cambista.BatchFilter{Status: cambista.BatchOpen, Limit: 1000}); err != nil {
			return nil, err
		}
		currencies, err := tx.Currencies(ctx)
		if err != nil {
			return nil, err
		}
		byCode := map[string]*Liquidity{}
		for _, c := range currencies {
			d.Liquidity = append(d.Liquidity, Liquidity{Currency: c.Currency, Users: money.New(0, c.Currency)})
		}
		for i := range d.Liquidity {
			byCode[d.Liquidity[i].Currency.Code] = &d.Liquidity[i]
		}
		err = tx.UserBalanceTotals(ctx, func(cur string, minor int64) {
			if l := byCode[cur]; l != nil {
				l.Users = money.New(minor, l.Currency)
			}
		})
		if err != nil {
			return nil, err
		}
		err = tx.HouseBalances(ctx, func(a cambista.LedgerAccount, cur string, minor int64) {
			if l := byCode[cur]; l != nil {
				l.House = append(l.House, cambista.Balance{Account: a, Currency: cur, Minor: minor})
			}
		})
		return d, err
	})
}

// Volume is what clients paid in (commission included) per UTC day and
// send currency, counted when their transfers completed.
type Volume struct {
	Days       []time.Time
	ByCurrency map[string][]money.Amount // one amount per day
}

// DailyVolume returns the volume of the last days (today included), for a
// superuser.
func (s *Service) DailyVolume(ctx context.Context, days int) (*Volume, error) {
	return view(ctx, s, cambista.ActExportReports, func(tx Tx, _ cambista.Actor) (*Volume, error) {
		to := startOfDay(tx.Now()).Add(24 * time.Hour)
		from := to.Add(-time.Duration(days) * 24 * time.Hour)
		v := &Volume{ByCurrency: map[string][]money.Amount{}}
		for d := from; d.Before(to); d = d.Add(24 * time.Hour) {
			v.Days = append(v.Days, d)
		}
		currencies, err := tx.Currencies(ctx)
		if err != nil {
			return nil, err
		}
		for _, c := range currencies {
			amounts := make([]money.Amount, len(v.Days))
			for i := range amounts {
				amounts[i] = money.New(0, c.Currency)
			}
			seen := false
			err := tx.DailyPostings(ctx, ledger.House(ledger.HouseReceipts, c.Code), from, to, func(day time.Time, minor int64) {
				if i := int(day.Sub(from) / (24 * time.Hour)); i >= 0 && i < len(amounts) {
					amounts[i], seen = money.New(minor, c.Currency), true
				}
			})
			if err != nil {
				return nil, err
			}
			if seen {
				v.ByCurrency[c.Code] = amounts
			}
		}
		return v, nil
	})
}

// PanelBatches lists batches in a status, newest first, with their status
// (live while open, the stored summary once closed): the actor's own, or
// everyone's for a superuser.
func (s *Service) PanelBatches(ctx context.Context, status cambista.BatchStatus, limit int) ([]*BatchStatus, error) {
	return view(ctx, s, cambista.ActOpenBatch, func(tx Tx, actor cambista.Actor) ([]*BatchStatus, error) {
		f := cambista.BatchFilter{Status: status, Limit: limit}
		if !actor.Roles.Has(cambista.RoleSuperuser) {
			f.CashierID = actor.UserID
		}
		return batchList(ctx, tx, f)
	})
}

func batchList(ctx context.Context, tx Tx, f cambista.BatchFilter) ([]*BatchStatus, error) {
	batches, err := tx.Batches(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]*BatchStatus, 0, len(batches))
	for _, b := range batches {
		st, err := batchStatus(ctx, tx, b)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// AuditPage is a page of the audit log, newest first; Next is the Before
// of the following page, 0 on the last.
type AuditPage struct {
	Events []*cambista.AuditEvent
	Next   int64
}

// AuditLog reads the audit log for a superuser.
func (s *Service) AuditLog(ctx context.Context, q cambista.AuditFilter) (*AuditPage, error) {
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgBadDateRange.Msg())
	}
	if q.Limit <= 0 || q.Limit > 500 {
		q.Limit = 50
	}
	// The page shows every event committed before it was asked for: seal
	// the pending ones first.
	if err := cambista.Authorize(cambista.ActorFromContext(ctx), cambista.ActReadAudit); err != nil {
		return nil, err
	}
	if _, err := s.store.Seal(ctx); err != nil {
		return nil, err
	}
	return view(ctx, s, cambista.ActReadAudit, func(tx Tx, _ cambista.Actor) (*AuditPage, error) {
		f := q
		f.Limit++ // one more, to know whether there is a next page
		events, err := tx.SearchAudit(ctx, f)
		if err != nil {
			return nil, err
		}
		page := &AuditPage{Events: events}
		if len(events) > q.Limit {
			page.Events = events[:q.Limit]
			page.Next = page.Events[q.Limit-1].Seq
		}
		return page, nil
	})
}

// PanelUserNames returns the display names of the given users that exist,
// for staff reading lists that name people by Discord ID.
func (s *Service) PanelUserNames(ctx context.Context, ids []cambista.UserID) (map[cambista.UserID]string, error) {
	return view(ctx, s, cambista.ActTakeTransfer, func(tx Tx, _ cambista.Actor) (map[cambista.UserID]string, error) {
		out := map[cambista.UserID]string{}
		ids = slices.Clone(ids)
		slices.Sort(ids)
		for _, id := range slices.Compact(ids) {
			u, err := tx.User(ctx, id)
			if cambista.ErrorCode(err) == cambista.ENOTFOUND {
				continue
			} else if err != nil {
				return nil, err
			}
			out[id] = u.DisplayName
		}
		return out, nil
	})
}
