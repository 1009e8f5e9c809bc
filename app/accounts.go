package app

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/money"
)

// RequestAccount asks for an account in a currency; a superuser decides.
func (s *Service) RequestAccount(ctx context.Context, key string, currency string) (*cambista.Account, error) {
	currency = strings.ToUpper(strings.TrimSpace(currency))
	return mutate(ctx, s, cambista.ActRequestAccount, key, currency, func(c *call) (*cambista.Account, error) {
		if _, err := enabledCurrency(c, currency); err != nil {
			return nil, err
		}
		a := &cambista.Account{UserID: c.actor.UserID, Currency: currency, Status: cambista.AccountRequested, RequestedBy: c.actor.UserID}
		if err := c.tx.CreateAccount(ctx, a); err != nil {
			return nil, err
		}
		if err := c.notify("account.requested", "account", a.ID, ChannelAdmin, ""); err != nil {
			return nil, err
		}
		return a, c.audit("account", a.ID, nil, a)
	})
}

// Decision approves or rejects a request; a rejection needs a reason.
type Decision struct {
	ID      cambista.ID
	Approve bool
	Reason  string
}

func (d *Decision) validate() error {
	d.Reason = strings.TrimSpace(d.Reason)
	if (!d.Approve && d.Reason == "") || utf8.RuneCountInString(d.Reason) > 500 {
		return cambista.Errorf(cambista.EINVALID, cambista.MsgReasonRequired.Msg())
	}
	return cambista.ValidateText("reason", d.Reason, true)
}

// fourEyes refuses a decision on one's own request.
func fourEyes(c *call, requester cambista.UserID) error {
	if c.actor.UserID == requester {
		return cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgFourEyes.Msg())
	}
	return nil
}

// DecideAccount approves or rejects an account request. The decider can
// never be the requester, even a superuser.
func (s *Service) DecideAccount(ctx context.Context, key string, d Decision) (*cambista.Account, error) {
	if err := d.validate(); err != nil {
		return nil, err
	}
	return mutate(ctx, s, cambista.ActDecideAccount, key, d, func(c *call) (*cambista.Account, error) {
		a, err := c.tx.Account(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		if err := fourEyes(c, a.RequestedBy); err != nil {
			return nil, err
		}
		to := cambista.AccountRejected
		if d.Approve {
			to = cambista.AccountApproved
		}
		return c.moveAccount(a, to, d.Reason, "account.decided")
	})
}

// SetAccountFrozen freezes an approved account, or unfreezes a frozen one.
type SetAccountFrozen struct {
	ID     cambista.ID
	Frozen bool
	Reason string
}

// SetAccountFrozen freezes or unfreezes an account. A frozen account keeps
// its balance but takes no withdrawal.
func (s *Service) SetAccountFrozen(ctx context.Context, key string, in SetAccountFrozen) (*cambista.Account, error) {
	in.Reason = strings.TrimSpace(in.Reason)
	if utf8.RuneCountInString(in.Reason) > 500 {
		return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgReasonRequired.Msg())
	}
	if err := cambista.ValidateText("reason", in.Reason, true); err != nil {
		return nil, err
	}
	return mutate(ctx, s, cambista.ActDecideAccount, key, in, func(c *call) (*cambista.Account, error) {
		a, err := c.tx.Account(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		to, event := cambista.AccountApproved, "account.unfrozen"
		if in.Frozen {
			to, event = cambista.AccountFrozen, "account.frozen"
		}
		return c.moveAccount(a, to, in.Reason, event)
	})
}

func (c *call) moveAccount(a *cambista.Account, to cambista.AccountStatus, reason, event string) (*cambista.Account, error) {
	if err := a.Status.CheckTransition(to); err != nil {
		return nil, err
	}
	before := *a
	a.Status, a.DecidedBy, a.Reason = to, c.actor.UserID, reason
	if err := c.tx.UpdateAccount(c.ctx, a); err != nil {
		return nil, err
	}
	if err := c.notify(event, "account", a.ID, ChannelAdmin, a.UserID); err != nil {
		return nil, err
	}
	return a, c.audit("account", a.ID, before, a)
}

// AccountView is an account with its money.
type AccountView struct {
	Account   *cambista.Account
	Balance   money.Amount
	Held      money.Amount // requested withdrawals and unfinished transfers paid from the balance
	Available money.Amount // Balance − Held
}

// Accounts lists a user's accounts with balances: one's own, or anyone's
// for a superuser.
func (s *Service) Accounts(ctx context.Context, user cambista.UserID) ([]AccountView, error) {
	return view(ctx, s, cambista.ActViewOwn, func(tx Tx, actor cambista.Actor) ([]AccountView, error) {
		if user == "" {
			user = actor.UserID
		}
		if err := ownOrSuper(actor, user); err != nil {
			return nil, err
		}
		accounts, err := tx.Accounts(ctx, cambista.AccountFilter{UserID: user, Limit: 1000})
		if err != nil {
			return nil, err
		}
		var out []AccountView
		for _, a := range accounts {
			v, err := accountView(ctx, tx, a)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	})
}

func accountView(ctx context.Context, tx Tx, a *cambista.Account) (AccountView, error) {
	cur, err := tx.Currency(ctx, a.Currency)
	if err != nil {
		return AccountView{}, err
	}
	b, err := tx.Balance(ctx, ledger.User(a.UserID, a.Currency))
	if err != nil {
		return AccountView{}, err
	}
	held, err := tx.Held(ctx, a.ID)
	if err != nil {
		return AccountView{}, err
	}
	v := AccountView{Account: a, Balance: money.New(b.Minor, cur.Currency), Held: money.New(held, cur.Currency)}
	v.Available, err = v.Balance.Sub(v.Held)
	return v, err
}

// availableFor refuses to hold amount against the locked account a unless
// that much is available: its balance less what is held already.
func availableFor(c *call, a *cambista.Account, amount money.Amount) error {
	v, err := accountView(c.ctx, c.tx, a)
	if err != nil {
		return err
	}
	if v.Available.Minor < amount.Minor {
		return cambista.Errorf(cambista.EINSUFFICIENT, cambista.MsgAvailable.Msg("Currency", a.Currency,
			"Available", v.Available, "Balance", v.Balance, "Held", v.Held, "Needed", amount))
	}
	return nil
}

// ownOrSuper lets a user see their own things and a superuser anyone's.
func ownOrSuper(actor cambista.Actor, owner cambista.UserID) error {
	if owner == actor.UserID || actor.Roles.Has(cambista.RoleSuperuser) {
		return nil
	}
	return cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgForbidden.Msg("Action", cambista.WordFor(string(cambista.ActViewOwn))))
}

// PendingAccounts lists account requests awaiting a decision.
func (s *Service) PendingAccounts(ctx context.Context) ([]*cambista.Account, error) {
	return view(ctx, s, cambista.ActDecideAccount, func(tx Tx, _ cambista.Actor) ([]*cambista.Account, error) {
		return tx.Accounts(ctx, cambista.AccountFilter{Status: cambista.AccountRequested, Limit: 1000})
	})
}
