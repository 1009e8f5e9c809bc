package store

import (
	"context"
	"database/sql"

	"github.com/cambista/cambista"
)

// ClaimKey inserts the key or finds it. On PostgreSQL a concurrent claim of
// the same key waits on the unique index until the first transaction ends,
// then sees its row: so two racing requests never both run.
func (t *tx) ClaimKey(ctx context.Context, key, requestHash string) (bool, string, []byte, error) {
	res, err := t.exec(ctx, `INSERT INTO idempotency (key, request_hash, created_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING`,
		key, requestHash, cambista.Micros(t.now))
	if err != nil {
		return false, "", nil, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return false, "", nil, err
	} else if n == 1 {
		return true, "", nil, nil
	}
	var prev string
	var result sql.NullString
	if err := t.row(ctx, `SELECT request_hash, result FROM idempotency WHERE key = $1`, key).Scan(&prev, &result); err != nil {
		return false, "", nil, err
	}
	return false, prev, []byte(result.String), nil
}

func (t *tx) SaveKeyResult(ctx context.Context, key string, result []byte) error {
	res, err := t.exec(ctx, `UPDATE idempotency SET result = $2 WHERE key = $1`, key, string(result))
	return affected(res, err, "idempotency key", key)
}
