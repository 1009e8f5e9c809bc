package app

import (
	"context"

	"github.com/cambista/cambista"
)

// syncedFromDiscord are the roles a change made in Discord may bring back.
// Superuser is never granted or removed from Discord: whoever manages the
// server's roles must not thereby control the money.
var syncedFromDiscord = []cambista.Role{cambista.RoleAgent, cambista.RoleCashier}

// SyncRolesFromDiscord brings a member's Discord roles back to the app after
// someone changed them in Discord: each synced app role is held exactly
// when the member has its mapped Discord role. Unknown users and unmapped
// roles are left alone. It runs as the system, with an audit event, and
// writes no outbox message (the change came from Discord).
func (s *Service) SyncRolesFromDiscord(ctx context.Context, user cambista.UserID, discordRoles []string) (*cambista.User, bool, error) {
	cfg, err := s.DiscordConfig(ctx)
	if err != nil {
		return nil, false, err
	}
	has := map[string]bool{}
	for _, r := range discordRoles {
		has[r] = true
	}
	ctx = cambista.WithActor(ctx, cambista.Actor{UserID: "discord", System: true, Roles: cambista.SystemActor.Roles})
	changed := false
	u, err := mutate(ctx, s, cambista.ActAssignRole, "", user, func(c *call) (*cambista.User, error) {
		u, err := c.tx.User(ctx, user)
		if err != nil {
			return nil, err
		}
		// While the app's own role changes for the user are on their way to
		// Discord, Discord's view is behind: bringing it back would undo
		// them. The worker's delivery makes Discord match, and the update
		// that follows finds nothing to change.
		if pending, err := c.tx.Undelivered(ctx, user, KindRole, KindProfile); err != nil || pending {
			return u, err
		}
		before := *u
		for _, r := range syncedFromDiscord {
			id, mapped := cfg.Roles[r]
			if !mapped {
				continue
			}
			if has[id] {
				u.Roles = u.Roles.With(r)
			} else {
				u.Roles = u.Roles.Without(r)
			}
		}
		if u.Roles == before.Roles {
			return u, nil
		}
		changed = true
		if err := c.tx.UpdateUser(ctx, u); err != nil {
			return nil, err
		}
		return u, c.audit("user", u.ID, before, u)
	})
	if cambista.ErrorCode(err) == cambista.ENOTFOUND {
		return nil, false, nil
	}
	return u, changed, err
}

// RoleDrift is a difference between a member's app roles and their
// Discord roles, as reconcile found and fixed it.
type RoleDrift struct {
	UserID        cambista.UserID
	Role          cambista.Role
	DiscordRoleID string
	Add           bool // the Discord role was missing (else it was extra)
}

// ExpectedDiscordRoles returns, for every known user, the mapped Discord
// role IDs their app roles call for, and the set of mapped role IDs: the
// app is the source of truth when reconciling.
func (s *Service) ExpectedDiscordRoles(ctx context.Context) (map[cambista.UserID]map[string]cambista.Role, map[string]cambista.Role, error) {
	cfg, err := s.DiscordConfig(ctx)
	if err != nil {
		return nil, nil, err
	}
	mapped := map[string]cambista.Role{}
	for r, id := range cfg.Roles {
		mapped[id] = r
	}
	want := map[cambista.UserID]map[string]cambista.Role{}
	err = s.store.View(ctx, func(tx Tx) error {
		users, err := tx.Users(ctx, cambista.UserFilter{Limit: 100000})
		if err != nil {
			return err
		}
		for _, u := range users {
			m := map[string]cambista.Role{}
			for _, r := range u.Roles.List() {
				if id, ok := cfg.Roles[r]; ok {
					m[id] = r
				}
			}
			want[u.ID] = m
		}
		return nil
	})
	return want, mapped, err
}
