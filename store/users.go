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

const userColumns = `id, display_name, phone, country, type, status, locale, referrer_id, roles, COALESCE(invite_code, ''), created_at, updated_at`

func scanUser(sc scanner) (*cambista.User, error) {
	var u cambista.User
	var roles string
	var created, updated int64
	err := sc.Scan(&u.ID, &u.DisplayName, &u.Phone, &u.Country, &u.Type, &u.Status, &u.Locale, &u.ReferrerID, &roles, &u.InviteCode, &created, &updated)
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
		invite_code, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		u.ID, u.DisplayName, u.Phone, u.Country, u.Type, u.Status, u.Locale, u.ReferrerID, formatRoles(u.Roles),
		nullString(u.InviteCode), cambista.Micros(t.now), cambista.Micros(t.now))
	if uniqueViolation(err) {
		return exists("user", u.ID)
	}
	return err
}

func (t *tx) User(ctx context.Context, id cambista.UserID) (*cambista.User, error) {
	return read[*cambista.User](ctx, t, app.UserRead(id))
}

func (t *tx) UpdateUser(ctx context.Context, u *cambista.User) error {
	u.UpdatedAt = t.now
	res, err := t.exec(ctx, `UPDATE users SET display_name = $2, phone = $3, country = $4, type = $5, status = $6,
		locale = $7, referrer_id = $8, roles = $9, invite_code = $10, updated_at = $11 WHERE id = $1`,
		u.ID, u.DisplayName, u.Phone, u.Country, u.Type, u.Status, u.Locale, u.ReferrerID, formatRoles(u.Roles),
		nullString(u.InviteCode), cambista.Micros(t.now))
	if uniqueViolation(err) {
		return exists("invite code", u.InviteCode)
	}
	return affected(res, err, "user", u.ID)
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
		q += fmt.Sprintf(` AND (id LIKE $%d ESCAPE '\' OR LOWER(display_name) LIKE $%d ESCAPE '\')`, len(args), len(args))
	}
	if f.Role != 0 {
		args = append(args, "%,"+f.Role.String()+",%")
		q += fmt.Sprintf(` AND (',' || roles || ',') LIKE $%d`, len(args))
	}
	args = append(args, f.Limit)
	q += fmt.Sprintf(` ORDER BY created_at DESC, id LIMIT $%d`, len(args))
	return queryAll(ctx, t, scanUser, q, args...)
}
