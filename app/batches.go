package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/money"
)

// OpenBatch is a cashier's new lot of capital for a pair: Capital in Quote,
// bought at CostRate units of Quote per 1 Base.
type OpenBatch struct {
	Base     string
	Quote    string
	Capital  string
	CostRate string
}

// OpenBatch opens a batch; a cashier has at most one open batch per pair.
// The capital enters the ledger from outside (world → batch).
func (s *Service) OpenBatch(ctx context.Context, key string, in OpenBatch) (*cambista.Batch, error) {
	in.Base, in.Quote = strings.ToUpper(strings.TrimSpace(in.Base)), strings.ToUpper(strings.TrimSpace(in.Quote))
	return mutate(ctx, s, cambista.ActOpenBatch, key, in, func(c *call) (*cambista.Batch, error) {
		if in.Base == in.Quote {
			return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgSamePair.Msg())
		}
		if _, err := enabledCurrency(c, in.Base); err != nil {
			return nil, err
		}
		quote, err := enabledCurrency(c, in.Quote)
		if err != nil {
			return nil, err
		}
		capital, err := parseAmount(c.actor, in.Capital, quote.Currency)
		if err != nil {
			return nil, err
		}
		rate, err := parseRate(c.actor, in.CostRate)
		if err != nil {
			return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgBatchRateInvalid.Msg("Input", in.CostRate, "Base", in.Base, "Quote", in.Quote))
		}
		b := &cambista.Batch{CashierID: c.actor.UserID, Base: in.Base, Quote: in.Quote, Capital: capital, CostRate: rate, Status: cambista.BatchOpen}
		if err := c.tx.CreateBatch(ctx, b); err != nil {
			return nil, err
		}
		e, err := ledger.New(cambista.BatchCapitalEntry(b.ID), "batch", b.ID).Move(ledger.World(in.Quote), ledger.Batch(b.ID), capital).Entry()
		if err != nil {
			return nil, err
		}
		if err := c.tx.Post(ctx, e); err != nil {
			return nil, err
		}
		return b, c.audit("batch", b.ID, nil, b)
	})
}

// BatchStatus is a batch's live picture.
type BatchStatus struct {
	Batch     *cambista.Batch
	Remaining money.Amount // capital not yet paid out
	Reserved  money.Amount // payouts of transfers taken but not finished
	Taken     []cambista.ID
	// Summary is the running summary over the completed transfers; for a
	// closed batch it is the stored one.
	Summary *cambista.BatchSummary
	// Adjustments are the refunds of a closed batch's transfers made after
	// it closed: the house bore them, and they are listed beside the
	// stored summary, which never changes.
	Adjustments []*cambista.Refund
}

// BatchStatus returns a batch's live status: its cashier's, or any for a
// superuser.
func (s *Service) BatchStatus(ctx context.Context, id cambista.ID) (*BatchStatus, error) {
	return view(ctx, s, cambista.ActOpenBatch, func(tx Tx, actor cambista.Actor) (*BatchStatus, error) {
		b, err := tx.Batch(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := batchOwner(actor, b); err != nil {
			return nil, err
		}
		return batchStatus(ctx, tx, b)
	})
}

// OpenBatches returns the actor's open batches with their status.
func (s *Service) OpenBatches(ctx context.Context) ([]*BatchStatus, error) {
	return view(ctx, s, cambista.ActOpenBatch, func(tx Tx, actor cambista.Actor) ([]*BatchStatus, error) {
		return batchList(ctx, tx, cambista.BatchFilter{CashierID: actor.UserID, Status: cambista.BatchOpen})
	})
}

func batchOwner(actor cambista.Actor, b *cambista.Batch) error {
	if b.CashierID == actor.UserID || actor.Roles.Has(cambista.RoleSuperuser) {
		return nil
	}
	return cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgNotYourBatch.Msg("ID", b.ID))
}

func batchStatus(ctx context.Context, tx Tx, b *cambista.Batch) (*BatchStatus, error) {
	bal, err := tx.Balance(ctx, ledger.Batch(b.ID))
	if err != nil {
		return nil, err
	}
	st := &BatchStatus{Batch: b, Remaining: money.New(bal.Minor, b.Capital.Currency), Reserved: money.New(0, b.Capital.Currency)}
	if b.Status == cambista.BatchClosed {
		st.Summary = b.Summary
		st.Adjustments, err = tx.Refunds(ctx, cambista.RefundFilter{BatchID: b.ID, Status: cambista.RefundPosted, Charged: cambista.ChargedHouse})
		return st, err
	}
	totals, err := tx.BatchTotals(ctx, b.ID)
	if err != nil {
		return nil, err
	}
	if taken := totals[cambista.TransferTaken]; taken.Count > 0 {
		st.Reserved = money.New(taken.Receive, b.Capital.Currency)
		list, err := tx.Transfers(ctx, cambista.TransferFilter{BatchID: b.ID, Status: cambista.TransferTaken, Limit: taken.Count})
		if err != nil {
			return nil, err
		}
		for _, t := range list {
			st.Taken = append(st.Taken, t.ID)
		}
	}
	base, err := tx.Currency(ctx, b.Base)
	if err != nil {
		return nil, err
	}
	paid := totals[cambista.TransferCompleted]
	if rev := totals[cambista.TransferReversed]; rev.Count > 0 { // paid out, then given back
		paid = cambista.TransferTotals{Count: paid.Count + rev.Count, Send: paid.Send + rev.Send, Commission: paid.Commission + rev.Commission,
			AgentShare: paid.AgentShare + rev.AgentShare, Receive: paid.Receive + rev.Receive}
	}
	refunds, err := tx.Refunds(ctx, cambista.RefundFilter{BatchID: b.ID, Status: cambista.RefundPosted, Charged: cambista.ChargedBatch})
	if err != nil {
		return nil, err
	}
	var refunded int64
	for _, r := range refunds {
		refunded += r.Amount.Minor
	}
	st.Summary, err = Summarize(b, base.Currency, paid, refunded, st.Remaining)
	return st, err
}

// Summarize computes a batch's summary from the totals of its completed
// transfers, as in the design's worked example: the payouts' cost at the
// batch's cost rate is computed once on their total, collected is what
// clients paid (commission included), gross profit is collected less what
// was refunded while the batch was open and less cost, net profit is gross
// less the agents' commissions, and what was not paid out is returned.
// Transfers completed in the batch and reversed since still count: their
// payout left its capital.
func Summarize(b *cambista.Batch, base money.Currency, completed cambista.TransferTotals, refunded int64, remaining money.Amount) (*cambista.BatchSummary, error) {
	sum := &cambista.BatchSummary{
		Transfers:        completed.Count,
		PaidOut:          money.New(completed.Receive, b.Capital.Currency),
		Collected:        money.New(completed.Send, base),
		Refunded:         money.New(refunded, base),
		AgentCommissions: money.New(completed.AgentShare, base),
		Returned:         remaining,
	}
	var err error
	if sum.Cost, err = money.ConvertInverse(sum.PaidOut, b.CostRate, base); err != nil {
		return nil, err
	}
	if sum.GrossProfit, err = sum.Collected.Sub(sum.Cost); err != nil {
		return nil, err
	}
	if sum.GrossProfit, err = sum.GrossProfit.Sub(sum.Refunded); err != nil {
		return nil, err
	}
	if sum.NetProfit, err = sum.GrossProfit.Sub(sum.AgentCommissions); err != nil {
		return nil, err
	}
	return sum, nil
}

// CloseBatch closes a batch: its cashier's, or any for a superuser. Every
// transfer taken in it must be completed, rejected or released first. The
// summary is stored for good and the remaining capital leaves the ledger
// (batch → world), back to the cashier.
func (s *Service) CloseBatch(ctx context.Context, key string, id cambista.ID) (*cambista.Batch, error) {
	return mutate(ctx, s, cambista.ActCloseBatch, key, id, func(c *call) (*cambista.Batch, error) {
		b, err := c.tx.Batch(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := batchOwner(c.actor, b); err != nil {
			return nil, err
		}
		if err := b.Status.CheckTransition(cambista.BatchClosed); err != nil {
			return nil, err
		}
		st, err := batchStatus(ctx, c.tx, b)
		if err != nil {
			return nil, err
		}
		if len(st.Taken) > 0 {
			ids := make([]string, len(st.Taken))
			for i, t := range st.Taken {
				ids[i] = fmt.Sprintf("#%d", t)
			}
			return nil, cambista.Errorf(cambista.ECONFLICT, cambista.MsgBatchHasTaken.Msg("ID", b.ID, "List", strings.Join(ids, ", ")))
		}
		before := *b
		if !st.Remaining.IsZero() {
			e, err := ledger.New(cambista.BatchReturnedEntry(b.ID), "batch", b.ID).
				Move(ledger.Batch(b.ID), ledger.World(b.Quote), st.Remaining).Entry()
			if err != nil {
				return nil, err
			}
			if err := c.tx.Post(ctx, e); err != nil {
				return nil, err
			}
		}
		b.Status, b.Summary, b.ClosedAt = cambista.BatchClosed, st.Summary, c.tx.Now()
		if err := c.tx.UpdateBatch(ctx, b); err != nil {
			return nil, err
		}
		if err := c.notify("batch.closed", "batch", b.ID, ChannelCashier, b.CashierID); err != nil {
			return nil, err
		}
		return b, c.audit("batch", b.ID, before, b)
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

// batchList reads the batches the filter selects, each with its status.
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
