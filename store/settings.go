package store

import (
	"context"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
)

func (t *tx) Setting(ctx context.Context, key string) (string, error) {
	return read[string](ctx, t, app.SettingRead(key))
}

func (t *tx) SetSetting(ctx context.Context, key, value string, by cambista.UserID) error {
	_, err := t.exec(ctx, `INSERT INTO settings (key, value, updated_by, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		key, value, by, cambista.Micros(t.now))
	return err
}
