package store

import (
	"context"
	"fmt"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/money"
)

func (t *tx) CurrentRates(ctx context.Context, at time.Time) ([]*cambista.Rate, error) {
	return queryAll(ctx, t, scanRate, `SELECT `+rateColumns+` FROM rates r WHERE valid_from <= $1 AND NOT EXISTS (
		SELECT 1 FROM rates n WHERE n.base = r.base AND n.quote = r.quote AND n.valid_from <= $1
		AND (n.valid_from > r.valid_from OR (n.valid_from = r.valid_from AND n.id > r.id)))
		ORDER BY base, quote`, cambista.Micros(at))
}

const rateColumns = `id, base, quote, value, set_by, valid_from, created_at`

func scanRate(sc scanner) (*cambista.Rate, error) {
	var r cambista.Rate
	var value string
	var from, created int64
	if err := sc.Scan(&r.ID, &r.Base, &r.Quote, &value, &r.SetBy, &from, &created); err != nil {
		return nil, err
	}
	v, err := money.ParseRate(value)
	if err != nil {
		return nil, fmt.Errorf("rate %d: stored value %q: %w", r.ID, value, err)
	}
	r.Value, r.ValidFrom, r.CreatedAt = v, cambista.FromMicros(from), cambista.FromMicros(created)
	return &r, nil
}

func (t *tx) CreateRate(ctx context.Context, r *cambista.Rate) error {
	r.CreatedAt = t.now
	if r.ValidFrom.IsZero() {
		r.ValidFrom = t.now
	}
	return t.writeRow(ctx, `INSERT INTO rates (base, quote, value, set_by, valid_from, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		r.Base, r.Quote, r.Value.String(), r.SetBy, cambista.Micros(r.ValidFrom), cambista.Micros(t.now)).Scan(&r.ID)
}

func (t *tx) CurrentRate(ctx context.Context, base, quote string, at time.Time) (*cambista.Rate, error) {
	return read[*cambista.Rate](ctx, t, app.CurrentRateRead(base, quote, at))
}

func (t *tx) Rates(ctx context.Context, base, quote string, limit int) ([]*cambista.Rate, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	return queryAll(ctx, t, scanRate, `SELECT `+rateColumns+` FROM rates WHERE base = $1 AND quote = $2
		ORDER BY valid_from DESC, id DESC LIMIT $3`, base, quote, limit)
}
