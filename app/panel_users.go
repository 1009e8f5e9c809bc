package app

import (
	"context"

	"github.com/cambista/cambista"
)

// SearchUsers finds users by ID or display name, newest first, for the
// panel's users page; a superuser's view.
func (s *Service) SearchUsers(ctx context.Context, search string, limit int) ([]*cambista.User, error) {
	if limit <= 0 || limit > 200 {
		limit = 200
	}
	return view(ctx, s, cambista.ActAssignRole, func(tx Tx, _ cambista.Actor) ([]*cambista.User, error) {
		return tx.Users(ctx, cambista.UserFilter{Search: search, Limit: limit})
	})
}
