package store

import "context"

// The playground's stand-in for Discord (app.PlaygroundStore).

func (t *tx) PlaygroundItems(ctx context.Context) (map[string]string, error) {
	rs, err := t.query(ctx, `SELECT key, value FROM playground_items`)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	out := map[string]string{}
	for rs.Next() {
		var k, v string
		if err := rs.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rs.Err()
}

func (t *tx) PutPlaygroundItem(ctx context.Context, key, value string) error {
	if value == "" {
		_, err := t.exec(ctx, `DELETE FROM playground_items WHERE key = $1`, key)
		return err
	}
	_, err := t.exec(ctx, `INSERT INTO playground_items (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

func (t *tx) ClearPlayground(ctx context.Context) error {
	_, err := t.exec(ctx, `DELETE FROM playground_items`)
	return err
}
