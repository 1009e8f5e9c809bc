package cambista

import (
	"context"
	"encoding/json"
	"time"

	"github.com/cambista/cambista/money"
)

// Quote is what a client was offered: the figures, the rate and the rule
// versions that produced them. A transfer keeps the quote it was made with.
type Quote struct {
	ID          ID
	UserID      UserID
	UserType    UserType
	AgentID     UserID // the referring agent who shares the commission, "" if none
	FromCountry string
	ToCountry   string
	Send        money.Amount // what the client pays, commission included
	Commission  money.Amount // in the send currency
	AgentShare  money.Amount // part of Commission paid to AgentID
	Receive     money.Amount // what the beneficiary gets
	Rate        money.Rate   // the rate applied, after any spread
	RateID      ID
	ExpiresAt   time.Time
	CreatedAt   time.Time
	// Detail is the rules engine's whole quote (applied rule versions,
	// bonuses, base rate), kept so any figure can be explained later.
	Detail json.RawMessage
}

// Expired reports whether the quote can no longer be used at t.
func (q *Quote) Expired(t time.Time) bool { return !t.Before(q.ExpiresAt) }

// QuoteStore keeps quotes.
type QuoteStore interface {
	// CreateQuote inserts q and sets its ID.
	CreateQuote(ctx context.Context, q *Quote) error
	// Quote returns a quote; ENOTFOUND.
	Quote(ctx context.Context, id ID) (*Quote, error)
}
