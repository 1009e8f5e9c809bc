package cambista

import "context"

// SettingStore keeps settings: named values a superuser sets, such as the
// Discord channels and roles.
type SettingStore interface {
	// Setting returns a setting's value, "" if unset.
	Setting(ctx context.Context, key string) (string, error)
	// SetSetting writes a setting.
	SetSetting(ctx context.Context, key, value string, by UserID) error
}
