package app

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/money"
)

// RefundTransfer gives back all or part of what a client paid for a
// completed transfer.
type RefundTransfer struct {
	TransferID cambista.ID
	Amount     string // in the send currency, as the person typed it
	// ToBalance credits the client's account in the send currency (which
	// must be approved); otherwise the money was returned outside.
	ToBalance bool
	Reason    string
}

// ReverseTransfer undoes a completed transfer (paid to the wrong
// beneficiary, say): everything not refunded yet goes back to the client,
// and the transfer becomes reversed.
type ReverseTransfer struct {
	TransferID cambista.ID
	ToBalance  bool
	Reason     string
}

func validReason(reason *string) error {
	*reason = strings.TrimSpace(*reason)
	if *reason == "" || utf8.RuneCountInString(*reason) > 500 {
		return cambista.Errorf(cambista.EINVALID, cambista.MsgReasonRequired.Msg())
	}
	return cambista.ValidateText("reason", *reason, true)
}

// Refund refunds part or all of a completed transfer as a compensating
// entry. Up to Config.RefundTwoSuperusersAbove it is posted at once;
// above it, it waits for a second superuser (ApproveRefund). Disputes and
// the adapters call this one use case.
func (s *Service) Refund(ctx context.Context, key string, in RefundTransfer) (*cambista.Refund, error) {
	if err := validReason(&in.Reason); err != nil {
		return nil, err
	}
	return mutate(ctx, s, cambista.ActRefund, key, in, func(c *call) (*cambista.Refund, error) {
		t, err := refundable(c, in.TransferID)
		if err != nil {
			return nil, err
		}
		amount, err := parseAmount(c.actor, in.Amount, t.Send.Currency)
		if err != nil {
			return nil, err
		}
		return s.openRefund(c, t, cambista.KindRefund, amount, in.ToBalance, in.Reason)
	})
}

// Reverse reverses a completed transfer: a refund of all that was not
// refunded yet, by the same path and under the same limit.
func (s *Service) Reverse(ctx context.Context, key string, in ReverseTransfer) (*cambista.Refund, error) {
	if err := validReason(&in.Reason); err != nil {
		return nil, err
	}
	return mutate(ctx, s, cambista.ActRefund, key, in, func(c *call) (*cambista.Refund, error) {
		t, err := refundable(c, in.TransferID)
		if err != nil {
			return nil, err
		}
		if err := t.Status.CheckTransition(cambista.TransferReversed); err != nil {
			return nil, err
		}
		refunded, err := c.tx.Refunded(c.ctx, t.ID)
		if err != nil {
			return nil, err
		}
		return s.openRefund(c, t, cambista.KindReversal, money.New(t.Send.Minor-refunded, t.Send.Currency), in.ToBalance, in.Reason)
	})
}

// refundable loads and locks a transfer that may be refunded: a completed
// one.
func refundable(c *call, id cambista.ID) (*cambista.Transfer, error) {
	t, err := c.tx.Transfer(c.ctx, id)
	if err != nil {
		return nil, err
	}
	if t.Status != cambista.TransferCompleted {
		return nil, cambista.Errorf(cambista.ECONFLICT, cambista.MsgRefundNotCompleted.Msg("ID", t.ID, "Status", cambista.WordFor(string(t.Status))))
	}
	return t, nil
}

// openRefund records a refund of amount of transfer t, refused beyond what
// is left to refund, and posts it unless it needs a second superuser.
func (s *Service) openRefund(c *call, t *cambista.Transfer, kind cambista.RefundKind, amount money.Amount, toBalance bool, reason string) (*cambista.Refund, error) {
	refunded, err := c.tx.Refunded(c.ctx, t.ID)
	if err != nil {
		return nil, err
	}
	left := money.New(t.Send.Minor-refunded, t.Send.Currency)
	if amount.Minor > left.Minor || amount.Minor <= 0 {
		return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgRefundTooMuch.Msg("ID", t.ID, "Left", left, "Amount", amount))
	}
	if toBalance {
		// The account is checked (and locked) now, and again when a
		// second superuser approves.
		if _, err := approvedAccount(c, t.ClientID, t.Send.Currency.Code); err != nil {
			return nil, err
		}
	}
	r := &cambista.Refund{TransferID: t.ID, ClientID: t.ClientID, BatchID: t.BatchID, Kind: kind, Amount: amount,
		ToBalance: toBalance, Reason: reason, Status: cambista.RefundRequested, RequestedBy: c.actor.UserID}
	if err := c.tx.CreateRefund(c.ctx, r); err != nil {
		return nil, err
	}
	if _, over := above(s.cfg.RefundTwoSuperusersAbove, amount); over {
		if err := c.notify("refund.requested", "refund", r.ID, ChannelAdmin, ""); err != nil {
			return nil, err
		}
		return r, c.audit("refund", r.ID, nil, r)
	}
	return r, c.postRefund(nil, r, t)
}

// ApproveRefund is a second superuser's decision on a refund waiting for
// one: approved, it is posted; rejected (with a reason), nothing moves.
func (s *Service) ApproveRefund(ctx context.Context, key string, d Decision) (*cambista.Refund, error) {
	if err := d.validate(); err != nil {
		return nil, err
	}
	return mutate(ctx, s, cambista.ActRefund, key, d, func(c *call) (*cambista.Refund, error) {
		r, err := c.tx.Refund(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		to := cambista.RefundRejected
		if d.Approve {
			to = cambista.RefundPosted
		}
		if err := r.Status.CheckTransition(to); err != nil {
			return nil, err
		}
		if c.actor.UserID == r.RequestedBy {
			limit, _ := above(s.cfg.RefundTwoSuperusersAbove, r.Amount)
			return nil, cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgRefundSecond.Msg("ID", r.ID, "Amount", r.Amount, "Limit", limit))
		}
		before := *r
		if !d.Approve {
			r.Status, r.ApprovedBy, r.Reason = cambista.RefundRejected, c.actor.UserID, r.Reason+" · "+d.Reason
			if err := c.tx.UpdateRefund(ctx, r); err != nil {
				return nil, err
			}
			if err := c.notify("refund.decided", "refund", r.ID, ChannelAdmin, ""); err != nil {
				return nil, err
			}
			return r, c.audit("refund", r.ID, &before, r)
		}
		t, err := c.tx.Transfer(ctx, r.TransferID)
		if err != nil {
			return nil, err
		}
		if r.Kind == cambista.KindReversal {
			if err := t.Status.CheckTransition(cambista.TransferReversed); err != nil {
				return nil, err
			}
		}
		if r.ToBalance {
			if _, err := approvedAccount(c, r.ClientID, r.Amount.Currency.Code); err != nil {
				return nil, err
			}
		}
		r.ApprovedBy = c.actor.UserID
		return r, c.postRefund(&before, r, t)
	})
}

// postRefund posts a refund: the money goes from where its cost falls —
// the transfer's receipts while its batch is open, the house's adjustments
// once the batch has closed (its stored summary never changes) — to the
// client's balance or outside. A reversal also moves the transfer to
// reversed.
func (c *call) postRefund(before, r *cambista.Refund, t *cambista.Transfer) error {
	b, err := c.tx.Batch(c.ctx, t.BatchID)
	if err != nil {
		return err
	}
	cur := r.Amount.Currency.Code
	from, charged := ledger.House(ledger.HouseReceipts, cur), cambista.ChargedBatch
	if b.Status == cambista.BatchClosed {
		from, charged = ledger.House(ledger.HouseAdjustments, cur), cambista.ChargedHouse
	}
	to := ledger.World(cur)
	if r.ToBalance {
		to = ledger.User(r.ClientID, cur)
	}
	e, err := ledger.New(cambista.RefundEntry(r.Kind, r.ID, t.ID), "refund", r.ID).Move(from, to, r.Amount).Entry()
	if err != nil {
		return err
	}
	if err := c.tx.Post(c.ctx, e); err != nil {
		return err
	}
	r.Status, r.Charged = cambista.RefundPosted, charged
	if err := c.tx.UpdateRefund(c.ctx, r); err != nil {
		return err
	}
	if r.Kind == cambista.KindReversal {
		tb := *t
		t.Status = cambista.TransferReversed
		if _, err := c.saveTransfer(&tb, t, "transfer.reversed"); err != nil {
			return err
		}
	}
	if err := c.notify("refund.posted", "refund", r.ID, ChannelAdmin, r.ClientID); err != nil {
		return err
	}
	var b4 any
	if before != nil {
		b4 = before
	}
	return c.audit("refund", r.ID, b4, r)
}

// Refunds lists refunds: of a transfer, of a batch, or those waiting
// (status requested), for superusers.
func (s *Service) Refunds(ctx context.Context, f cambista.RefundFilter) ([]*cambista.Refund, error) {
	return view(ctx, s, cambista.ActRefund, func(tx Tx, _ cambista.Actor) ([]*cambista.Refund, error) {
		return tx.Refunds(ctx, f)
	})
}

// RefundOf returns a refund: its client's, or any for a superuser.
func (s *Service) RefundOf(ctx context.Context, id cambista.ID) (*cambista.Refund, error) {
	return view(ctx, s, cambista.ActViewOwn, func(tx Tx, actor cambista.Actor) (*cambista.Refund, error) {
		r, err := tx.Refund(ctx, id)
		if err != nil {
			return nil, err
		}
		return r, ownOrSuper(actor, r.ClientID)
	})
}
