package app

import (
	"context"
	"strings"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/ledger"
)

// RequestWithdrawal is a user's request to take money out of an account.
type RequestWithdrawal struct {
	Currency string
	Amount   string // as the person typed it
}

// RequestWithdrawal holds the amount against the account until a
// superuser decides. The account row is locked while the available balance
// is computed, so two requests can never together overdraw it.
func (s *Service) RequestWithdrawal(ctx context.Context, key string, in RequestWithdrawal) (*cambista.Withdrawal, error) {
	in.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	return mutate(ctx, s, cambista.ActRequestWithdrawal, key, in, func(c *call) (*cambista.Withdrawal, error) {
		cur, err := c.tx.Currency(ctx, in.Currency)
		if err != nil {
			return nil, err
		}
		amount, err := parseAmount(c.actor, in.Amount, cur.Currency)
		if err != nil {
			return nil, err
		}
		a, err := approvedAccount(c, c.actor.UserID, in.Currency)
		if err != nil {
			return nil, err
		}
		if err := availableFor(c, a, amount); err != nil {
			return nil, err
		}
		w := &cambista.Withdrawal{UserID: c.actor.UserID, AccountID: a.ID, Amount: amount, Status: cambista.WithdrawalRequested}
		if err := c.tx.CreateWithdrawal(ctx, w); err != nil {
			return nil, err
		}
		if err := c.notify("withdrawal.requested", "withdrawal", w.ID, ChannelAdmin, ""); err != nil {
			return nil, err
		}
		return w, c.audit("withdrawal", w.ID, nil, w)
	})
}

// DecideWithdrawal approves a withdrawal (the money leaves the account:
// user → world) or rejects it (the hold is released). The decider can never
// be the requester.
func (s *Service) DecideWithdrawal(ctx context.Context, key string, d Decision) (*cambista.Withdrawal, error) {
	if err := d.validate(); err != nil {
		return nil, err
	}
	return mutate(ctx, s, cambista.ActDecideWithdrawal, key, d, func(c *call) (*cambista.Withdrawal, error) {
		w, err := c.tx.Withdrawal(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		if err := fourEyes(c, w.UserID); err != nil {
			return nil, err
		}
		if d.Approve {
			// The account may have been frozen since the request.
			if err := stillApproved(c, w.AccountID); err != nil {
				return nil, err
			}
		}
		to := cambista.WithdrawalRejected
		if d.Approve {
			to = cambista.WithdrawalApproved
		}
		if err := w.Status.CheckTransition(to); err != nil {
			return nil, err
		}
		before := *w
		if d.Approve {
			e, err := ledger.New(cambista.WithdrawalEntry(), "withdrawal", w.ID).
				Move(ledger.User(w.UserID, w.Amount.Currency.Code), ledger.World(w.Amount.Currency.Code), w.Amount).Entry()
			if err != nil {
				return nil, err
			}
			if err := c.tx.Post(ctx, e); err != nil {
				return nil, err
			}
		}
		w.Status, w.DecidedBy, w.Reason = to, c.actor.UserID, d.Reason
		if err := c.tx.UpdateWithdrawal(ctx, w); err != nil {
			return nil, err
		}
		if err := c.notify("withdrawal.decided", "withdrawal", w.ID, ChannelAdmin, w.UserID); err != nil {
			return nil, err
		}
		return w, c.audit("withdrawal", w.ID, before, w)
	})
}

// Withdrawals lists withdrawals: one's own, or, for a superuser, anyone's
// (user "" and a status to see the queue).
func (s *Service) Withdrawals(ctx context.Context, f cambista.WithdrawalFilter) ([]*cambista.Withdrawal, error) {
	return view(ctx, s, cambista.ActViewOwn, func(tx Tx, actor cambista.Actor) ([]*cambista.Withdrawal, error) {
		if f.UserID == "" && !actor.Roles.Has(cambista.RoleSuperuser) {
			f.UserID = actor.UserID
		}
		if f.UserID != "" {
			if err := ownOrSuper(actor, f.UserID); err != nil {
				return nil, err
			}
		}
		return tx.Withdrawals(ctx, f)
	})
}
