package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/cambista/cambista"
)

// TakeLoginAttempt counts a login attempt by client against a bucket of
// burst attempts that regains one every interval, shared by every process
// on the database. It returns 0 when the attempt is allowed, else how long
// until one would be, and then counts nothing.
//
// The bucket is one instant per client (login_limits.full_at): when the
// bucket would be full again. An attempt is allowed while that instant,
// pushed one interval on, is at most burst intervals away; the update is
// one upsert, so attempts racing through several processes are each
// counted against what the others left.
func (t *tx) TakeLoginAttempt(ctx context.Context, client string, burst int, interval time.Duration) (time.Duration, error) {
	now := cambista.Micros(t.now)
	step := interval.Microseconds()
	// The latest full_at from which one more attempt still fits.
	last := now + int64(burst-1)*step
	if _, err := t.exec(ctx, `DELETE FROM login_limits WHERE full_at < $1`, now); err != nil {
		return 0, err
	}
	var fullAt int64
	err := t.writeRow(ctx, `INSERT INTO login_limits (client, full_at) VALUES ($1, $2)
		ON CONFLICT (client) DO UPDATE SET full_at = CASE WHEN login_limits.full_at > $3 THEN login_limits.full_at ELSE $3 END + $4
		WHERE login_limits.full_at <= $5
		RETURNING full_at`, client, now+step, now, step, last).Scan(&fullAt)
	if err == nil {
		return 0, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	if err := t.row(ctx, `SELECT full_at FROM login_limits WHERE client = $1`, client).Scan(&fullAt); err != nil {
		return 0, err
	}
	return time.Duration(fullAt-last) * time.Microsecond, nil
}
