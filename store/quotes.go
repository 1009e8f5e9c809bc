package store

import (
	"context"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/money"
)

const quoteColumns = `q.id, q.user_id, q.user_type, q.agent_id, q.from_country, q.to_country,
	q.from_currency, fc.exponent, fc.rounding, q.to_currency, tc.exponent, tc.rounding,
	q.send_minor, q.commission_minor, q.agent_share_minor, q.receive_minor, q.rate, q.rate_id, q.detail, q.expires_at, q.created_at`

func scanQuote(sc scanner) (*cambista.Quote, error) {
	var q cambista.Quote
	var fromCode, fromRound, toCode, toRound, rate, detail string
	var fromExp, toExp int
	var send, commission, share, receive, expires, created int64
	if err := sc.Scan(&q.ID, &q.UserID, &q.UserType, &q.AgentID, &q.FromCountry, &q.ToCountry,
		&fromCode, &fromExp, &fromRound, &toCode, &toExp, &toRound,
		&send, &commission, &share, &receive, &rate, &q.RateID, &detail, &expires, &created); err != nil {
		return nil, err
	}
	from, err := currency(fromCode, fromExp, fromRound)
	if err != nil {
		return nil, err
	}
	to, err := currency(toCode, toExp, toRound)
	if err != nil {
		return nil, err
	}
	if q.Rate, err = money.ParseRate(rate); err != nil {
		return nil, err
	}
	q.Send, q.Commission, q.AgentShare = money.New(send, from), money.New(commission, from), money.New(share, from)
	q.Receive = money.New(receive, to)
	q.Detail, q.ExpiresAt, q.CreatedAt = []byte(detail), cambista.FromMicros(expires), cambista.FromMicros(created)
	return &q, nil
}

func (t *tx) CreateQuote(ctx context.Context, q *cambista.Quote) error {
	q.CreatedAt = t.now
	return t.insert(ctx, "quote", &q.ID, nil, `user_id, user_type, agent_id, from_country, to_country, from_currency, to_currency,
		send_minor, commission_minor, agent_share_minor, receive_minor, rate, rate_id, detail, expires_at, created_at`,
		q.UserID, q.UserType, q.AgentID, q.FromCountry, q.ToCountry, q.Send.Currency.Code, q.Receive.Currency.Code,
		q.Send.Minor, q.Commission.Minor, q.AgentShare.Minor, q.Receive.Minor, q.Rate.String(), q.RateID,
		string(q.Detail), cambista.Micros(q.ExpiresAt), cambista.Micros(t.now))
}

func (t *tx) Quote(ctx context.Context, id cambista.ID) (*cambista.Quote, error) {
	return read[*cambista.Quote](ctx, t, app.QuoteRead(id))
}
