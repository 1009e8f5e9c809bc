package app

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/money"
)

// disputeDaysKey is the setting that holds how many days after its
// completion a transfer may be disputed.
const disputeDaysKey = "disputes.days"

// disputeDays reads the setting, cambista.DefaultDisputeDays when unset.
func disputeDays(ctx context.Context, tx cambista.SettingStore) (int, error) {
	v, err := tx.Setting(ctx, disputeDaysKey)
	if err != nil || v == "" {
		return cambista.DefaultDisputeDays, err
	}
	return strconv.Atoi(v)
}

// DisputeDays returns how many days after its completion a transfer may be
// disputed, for a superuser.
func (s *Service) DisputeDays(ctx context.Context) (int, error) {
	return view(ctx, s, cambista.ActConfigure, func(tx Tx, _ cambista.Actor) (int, error) {
		return disputeDays(ctx, tx)
	})
}

// SetDisputeDays sets how many days after its completion a transfer may be
// disputed: a whole number from 1 to 365, as a superuser typed it.
func (s *Service) SetDisputeDays(ctx context.Context, key, days string) (int, error) {
	days = strings.TrimSpace(days)
	n, err := strconv.Atoi(days)
	if err != nil || n < 1 || n > 365 {
		return 0, cambista.Errorf(cambista.EINVALID, cambista.MsgDisputeDays.Msg("Input", days))
	}
	return mutate(ctx, s, cambista.ActConfigure, key, n, func(c *call) (int, error) {
		before, err := disputeDays(ctx, c.tx)
		if err != nil {
			return 0, err
		}
		if err := c.tx.SetSetting(ctx, disputeDaysKey, strconv.Itoa(n), c.actor.UserID); err != nil {
			return 0, err
		}
		return n, c.audit("setting", disputeDaysKey, before, n)
	})
}

// OpenDispute is a client's claim about their completed transfer.
type OpenDispute struct {
	TransferID cambista.ID
	Reason     string
}

// OpenDispute opens a dispute of the actor's own completed transfer within
// the configured number of days of its completion; a transfer is disputed
// at most once. The admin channel gets the dispute's card and a thread
// where its cashier and the superusers discuss it.
func (s *Service) OpenDispute(ctx context.Context, key string, in OpenDispute) (*cambista.Dispute, error) {
	if err := validReason(&in.Reason); err != nil {
		return nil, err
	}
	return mutate(ctx, s, cambista.ActOpenDispute, key, in, func(c *call) (*cambista.Dispute, error) {
		t, err := c.tx.Transfer(ctx, in.TransferID)
		if err != nil {
			return nil, err
		}
		if t.ClientID != c.actor.UserID {
			return nil, cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgNotYourTransfer.Msg("ID", t.ID))
		}
		if t.Status != cambista.TransferCompleted {
			return nil, cambista.Errorf(cambista.ECONFLICT, cambista.MsgDisputeNotCompleted.Msg("ID", t.ID, "Status", cambista.WordFor(string(t.Status))))
		}
		days, err := disputeDays(ctx, c.tx)
		if err != nil {
			return nil, err
		}
		// A completed transfer changes no more (a reversal ends
		// "completed"), so its last update is its completion.
		if c.tx.Now().Sub(t.UpdatedAt) > time.Duration(days)*24*time.Hour {
			return nil, cambista.Errorf(cambista.ECONFLICT, cambista.MsgDisputeLate.Msg("ID", t.ID, "Days", days))
		}
		if prev, err := c.tx.Disputes(ctx, cambista.DisputeFilter{TransferID: t.ID, Limit: 1}); err != nil {
			return nil, err
		} else if len(prev) > 0 {
			return nil, cambista.Errorf(cambista.ECONFLICT, cambista.MsgDisputeTwice.Msg("ID", t.ID, "Dispute", prev[0].ID))
		}
		d := &cambista.Dispute{TransferID: t.ID, ClientID: t.ClientID, CashierID: t.CashierID, Reason: in.Reason, Status: cambista.DisputeOpened}
		if err := c.tx.CreateDispute(ctx, d); err != nil {
			return nil, err
		}
		if err := c.notify("dispute.opened", "dispute", d.ID, ChannelAdmin, d.ClientID); err != nil {
			return nil, err
		}
		return d, c.audit("dispute", d.ID, nil, d)
	})
}

// ResolveDispute is a superuser's decision on a dispute.
type ResolveDispute struct {
	ID cambista.ID
	// Refund finds for the client: Amount (all that is left to refund
	// when empty) goes back to their balance (ToBalance) or outside.
	// Otherwise the dispute is rejected and Reason tells the client why.
	Refund    bool
	Amount    string
	ToBalance bool
	Reason    string
}

// ResolveDispute rejects a dispute or refunds its transfer. The refund is
// the money use case's (openRefund) in this same transaction: refused as
// a refund would be, posted at once up to Config.RefundTwoSuperusersAbove
// and waiting for a second superuser above it.
func (s *Service) ResolveDispute(ctx context.Context, key string, in ResolveDispute) (*cambista.Dispute, error) {
	if err := validReason(&in.Reason); err != nil {
		return nil, err
	}
	return mutate(ctx, s, cambista.ActResolveDispute, key, in, func(c *call) (*cambista.Dispute, error) {
		d, err := c.tx.Dispute(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		to := cambista.DisputeRejected
		if in.Refund {
			to = cambista.DisputeRefunded
		}
		if err := d.Status.CheckTransition(to); err != nil {
			return nil, err
		}
		before := *d
		d.Status, d.Resolution, d.ResolvedBy = to, in.Reason, c.actor.UserID
		if in.Refund {
			t, err := refundable(c, d.TransferID)
			if err != nil {
				return nil, err
			}
			amount, err := disputeRefund(c, t, in.Amount)
			if err != nil {
				return nil, err
			}
			r, err := s.openRefund(c, t, cambista.KindRefund, amount, in.ToBalance, in.Reason)
			if err != nil {
				return nil, err
			}
			d.RefundID = r.ID
		}
		if err := c.tx.UpdateDispute(ctx, d); err != nil {
			return nil, err
		}
		if err := c.notify("dispute.resolved", "dispute", d.ID, ChannelAdmin, d.ClientID); err != nil {
			return nil, err
		}
		return d, c.audit("dispute", d.ID, &before, d)
	})
}

// disputeRefund is the amount typed, or all that is left to refund of t.
func disputeRefund(c *call, t *cambista.Transfer, typed string) (money.Amount, error) {
	if strings.TrimSpace(typed) != "" {
		return parseAmount(c.actor, typed, t.Send.Currency)
	}
	refunded, err := c.tx.Refunded(c.ctx, t.ID)
	return money.New(t.Send.Minor-refunded, t.Send.Currency), err
}

// Dispute returns a dispute: its client's, or any for staff.
func (s *Service) Dispute(ctx context.Context, id cambista.ID) (*cambista.Dispute, error) {
	return view(ctx, s, cambista.ActViewOwn, func(tx Tx, actor cambista.Actor) (*cambista.Dispute, error) {
		d, err := tx.Dispute(ctx, id)
		if err != nil {
			return nil, err
		}
		if d.ClientID == actor.UserID || actor.Can(cambista.ActReadTransfers) {
			return d, nil
		}
		return nil, cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgForbidden.Msg("Action", cambista.WordFor(string(cambista.ActViewOwn))))
	})
}

// Disputes lists disputes for staff: of a transfer, or those open.
func (s *Service) Disputes(ctx context.Context, f cambista.DisputeFilter) ([]*cambista.Dispute, error) {
	return view(ctx, s, cambista.ActReadTransfers, func(tx Tx, _ cambista.Actor) ([]*cambista.Dispute, error) {
		return tx.Disputes(ctx, f)
	})
}
