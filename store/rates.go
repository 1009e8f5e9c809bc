package store

import (
	"context"
	"time"

	"github.com/cambista/cambista"
)

func (t *tx) CurrentRates(ctx context.Context, at time.Time) ([]*cambista.Rate, error) {
	return queryAll(ctx, t, scanRate, `SELECT `+rateColumns+` FROM rates r WHERE valid_from <= $1 AND NOT EXISTS (
		SELECT 1 FROM rates n WHERE n.base = r.base AND n.quote = r.quote AND n.valid_from <= $1
		AND (n.valid_from > r.valid_from OR (n.valid_from = r.valid_from AND n.id > r.id)))
		ORDER BY base, quote`, cambista.Micros(at))
}
