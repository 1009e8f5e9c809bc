package app

import (
	"context"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/money"
)

// HistoryQuery asks for a client's transfers created in [From, To), zero
// times being open ends, newest first, at most Limit (500 when zero, 5000
// at most).
type HistoryQuery struct {
	UserID   cambista.UserID // the client; the actor when empty
	From, To time.Time
	Limit    int
}

// TransferLine is a transfer as its client reads it in their history:
// with the rate of the quote it was made from.
type TransferLine struct {
	*cambista.Transfer
	Rate money.Rate
}

// TransferHistory returns a client's transfers with their rates: one's
// own, or anyone's for a superuser. It is what a client means by their
// statement beside their accounts' postings: what they sent, when, at
// what rate and fee, what the beneficiary received, and where each stands.
func (s *Service) TransferHistory(ctx context.Context, q HistoryQuery) ([]TransferLine, error) {
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgBadDateRange.Msg())
	}
	if q.Limit <= 0 || q.Limit > 5000 {
		q.Limit = 500
	}
	return viewReplica(ctx, s, cambista.ActViewOwn, func(tx Tx, actor cambista.Actor) ([]TransferLine, error) {
		if q.UserID == "" {
			q.UserID = actor.UserID
		}
		if err := ownOrSuper(actor, q.UserID); err != nil {
			return nil, err
		}
		ts, err := tx.Transfers(ctx, cambista.TransferFilter{ClientID: q.UserID, From: q.From, To: q.To, Limit: q.Limit})
		if err != nil {
			return nil, err
		}
		// The rates are on the quotes, one per transfer: read them together
		// (one round trip on PostgreSQL).
		reads := make([]Read, len(ts))
		for i, t := range ts {
			reads[i] = QuoteRead(t.QuoteID)
		}
		tx.Prefetch(ctx, reads...)
		lines := make([]TransferLine, len(ts))
		for i, t := range ts {
			quote, err := tx.Quote(ctx, t.QuoteID)
			if err != nil {
				return nil, err
			}
			lines[i] = TransferLine{Transfer: t, Rate: quote.Rate}
		}
		return lines, nil
	})
}
