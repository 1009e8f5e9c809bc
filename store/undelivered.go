package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cambista/cambista"
)

func (t *tx) Undelivered(ctx context.Context, user cambista.UserID, kinds ...string) (bool, error) {
	if len(kinds) == 0 {
		return false, nil
	}
	// The payloads are JSON written by encoding/json, so the user appears
	// exactly as this fragment; "%" matches every payload.
	pattern := "%"
	if user != "" {
		frag, err := json.Marshal(map[string]cambista.UserID{"user_id": user})
		if err != nil {
			return false, err
		}
		pattern = "%" + strings.Trim(string(frag), "{}") + "%"
	}
	args := []any{pattern}
	marks := make([]string, len(kinds))
	for i, k := range kinds {
		args = append(args, k)
		marks[i] = fmt.Sprintf("$%d", i+2)
	}
	var n int
	err := t.row(ctx, `SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND given_up_at IS NULL AND payload LIKE $1
		AND kind IN (`+strings.Join(marks, ", ")+`)`, args...).Scan(&n)
	return n > 0, err
}
