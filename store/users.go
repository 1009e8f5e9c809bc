package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
)

func (t *tx) UserByInviteCode(ctx context.Context, code string) (*cambista.User, error) {
	u, err := scanUser(t.row(ctx, `SELECT `+userColumns+` FROM users WHERE invite_code = $1`, code))
	return u, one(err, "invite code", code)
}

func formatRoles(s cambista.RoleSet) string {
	var names []string
	for _, r := range s.List() {
		names = append(names, r.String())
	}
	return strings.Join(names, ",")
}

func parseRoles(s string) cambista.RoleSet {
	var set cambista.RoleSet
	for _, n := range strings.Split(s, ",") {
		if r, err := cambista.ParseRole(n); err == nil {
			set = set.With(r)
		}
	}
	return set
}

const userColumns = `id, display_name, discord_name, phone, country, type, status, locale, referrer_id, roles, COALESCE(invite_code, ''), created_at, updated_at, version`

func scanUser(sc scanner) (*cambista.User, error) {
	var u cambista.User
	var roles string
	var created, updated int64
	err := sc.Scan(&u.ID, &u.DisplayName, &u.DiscordName, &u.Phone, &u.Country, &u.Type, &u.Status, &u.Locale, &u.ReferrerID, &roles, &u.InviteCode, &created, &updated, &u.Version)
	if err != nil {
		return nil, err
	}
	u.Roles = parseRoles(roles)
	u.CreatedAt, u.UpdatedAt = cambista.FromMicros(created), cambista.FromMicros(updated)
	return &u, nil
}

func (t *tx) CreateUser(ctx context.Context, u *cambista.User) error {
	u.CreatedAt, u.UpdatedAt = t.now, t.now
	_, err := t.exec(ctx, `INSERT INTO users (id, display_name, phone, country, type, status, locale, referrer_id, roles,
		invite_code, created_at, updated_at, discord_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		u.ID, u.DisplayName, u.Phone, u.Country, u.Type, u.Status, u.Locale, u.ReferrerID, formatRoles(u.Roles),
		nullString(u.InviteCode), cambista.Micros(t.now), cambista.Micros(t.now), u.DiscordName)
	if uniqueViolation(err) {
		return exists("user", u.ID)
	}
	return err
}

func (t *tx) User(ctx context.Context, id cambista.UserID) (*cambista.User, error) {
	return read[*cambista.User](ctx, t, app.UserRead(id))
}

// UpdateUser writes u and counts the change in its version.
func (t *tx) UpdateUser(ctx context.Context, u *cambista.User) error {
	var version int64
	err := t.writeRow(ctx, `UPDATE users SET display_name = $2, phone = $3, country = $4, type = $5, status = $6,
		locale = $7, referrer_id = $8, roles = $9, invite_code = $10, updated_at = $11, discord_name = $12, version = version + 1
		WHERE id = $1 RETURNING version`,
		u.ID, u.DisplayName, u.Phone, u.Country, u.Type, u.Status, u.Locale, u.ReferrerID, formatRoles(u.Roles),
		nullString(u.InviteCode), cambista.Micros(t.now), u.DiscordName).Scan(&version)
	if uniqueViolation(err) {
		return exists("invite code", u.InviteCode)
	}
	if err = one(err, "user", u.ID); err != nil {
		return err
	}
	u.UpdatedAt, u.Version = t.now, version
	return nil
}

// likeEscaper makes a search text match itself in a LIKE pattern: "50%"
// finds "50%", not every name that starts with 50.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func (t *tx) Users(ctx context.Context, f cambista.UserFilter) ([]*cambista.User, error) {
	if f.Limit <= 0 || f.Limit > 100000 {
		f.Limit = 100
	}
	q := `SELECT ` + userColumns + ` FROM users WHERE 1 = 1`
	var args []any
	if f.Search != "" {
		args = append(args, "%"+likeEscaper.Replace(strings.ToLower(f.Search))+"%")
		q += fmt.Sprintf(` AND (id LIKE $%d ESCAPE '\' OR LOWER(display_name) LIKE $%d ESCAPE '\' OR LOWER(discord_name) LIKE $%d ESCAPE '\')`, len(args), len(args), len(args))
	}
	if f.Role != 0 {
		args = append(args, "%,"+f.Role.String()+",%")
		q += fmt.Sprintf(` AND (',' || roles || ',') LIKE $%d`, len(args))
	}
	args = append(args, f.Limit)
	q += fmt.Sprintf(` ORDER BY created_at DESC, id LIMIT $%d`, len(args))
	return queryAll(ctx, t, scanUser, q, args...)
}
