package app

import (
	"context"
	"fmt"

	"github.com/cambista/cambista"
)

// syncedFromDiscord are the roles a change made in Discord may bring back.
// Superuser is never granted or removed from Discord: whoever manages the
// server's roles must not thereby control the money.
var syncedFromDiscord = []cambista.Role{cambista.RoleAgent, cambista.RoleCashier}

// syncAttempts bounds how many times a sync starts again because the user
// changed while Discord was asked. Each time something else wrote the
// user; after a run of them the sync gives up, and the member event that
// the last change makes Discord send settles it.
const syncAttempts = 5

// SyncRolesFromDiscord brings a member's roles changed in Discord back to
// the app: each synced app role is held exactly when the member has its
// mapped Discord role. event are the member's Discord roles as a member
// event described them; current reads them from Discord now. Unknown
// users and unmapped roles are left alone. It runs as the system, with an
// audit event, and writes no outbox message (the change came from
// Discord).
//
// An event may describe the member as they were before the app's last
// role change reached Discord: events carry no version, and may reach the
// app late (a slow or resumed connection, another process). So the event
// only says whether to look. When it agrees with the app there is nothing
// to do; when it does not, the member's roles are read from Discord, where
// every change the app has delivered already is, and those are brought
// back. While a change of the app is still on its way to Discord nothing
// is brought back: Discord is behind, and the delivery's own member event
// comes later. The user's version, read before asking Discord and checked
// in the transaction, shows whether anything wrote the user meanwhile (a
// change of the app, delivered since, or a sync by another process); if
// so, the sync starts again.
func (s *Service) SyncRolesFromDiscord(ctx context.Context, user cambista.UserID, event []string, current func(context.Context) ([]string, error)) (*cambista.User, bool, error) {
	cfg, err := s.DiscordConfig(ctx)
	if err != nil {
		return nil, false, err
	}
	ctx = cambista.WithActor(ctx, cambista.Actor{UserID: "discord", System: true, Roles: cambista.SystemActor.Roles})
	for range syncAttempts {
		start, err := view(ctx, s, cambista.ActAssignRole, func(tx Tx, _ cambista.Actor) (roleSyncStart, error) {
			u, err := tx.User(ctx, user)
			if err != nil {
				return roleSyncStart{}, err
			}
			behind, err := discordBehind(ctx, tx, user)
			return roleSyncStart{u, behind}, err
		})
		switch {
		case cambista.ErrorCode(err) == cambista.ENOTFOUND:
			return nil, false, nil
		case err != nil:
			return nil, false, err
		case start.behind || cfg.fromDiscord(start.user.Roles, event) == start.user.Roles:
			return start.user, false, nil
		}
		roles, err := current(ctx)
		if err != nil {
			return nil, false, fmt.Errorf("read the member's roles from Discord: %w", err)
		}
		u, changed, moved, err := s.syncRoles(ctx, cfg, start.user.Version, user, roles)
		if err != nil || !moved {
			return u, changed, err
		}
	}
	return nil, false, fmt.Errorf("sync the roles of %s from Discord: the user kept changing", user)
}

// roleSyncStart is what a sync from Discord reads before asking Discord.
type roleSyncStart struct {
	user   *cambista.User
	behind bool // a change of the app is on its way to Discord
}

// discordBehind reports whether changes of the app to the user's Discord
// roles are still undelivered.
func discordBehind(ctx context.Context, tx Tx, user cambista.UserID) (bool, error) {
	return tx.Undelivered(ctx, user, KindRole, KindProfile)
}

// syncRoles makes the user's synced roles those the member's Discord roles
// call for, unless the user's version is no longer version (moved: the
// caller starts again) or a change of the app is undelivered.
func (s *Service) syncRoles(ctx context.Context, cfg *DiscordConfig, version int64, user cambista.UserID, discordRoles []string) (_ *cambista.User, changed, moved bool, _ error) {
	u, err := mutate(ctx, s, cambista.ActAssignRole, "", user, func(c *call) (*cambista.User, error) {
		u, err := c.tx.User(ctx, user)
		if err != nil {
			return nil, err
		}
		if u.Version != version {
			moved = true
			return u, nil
		}
		if behind, err := discordBehind(ctx, c.tx, user); err != nil || behind {
			return u, err
		}
		before := *u
		u.Roles = cfg.fromDiscord(u.Roles, discordRoles)
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
		return nil, false, false, nil
	}
	return u, changed, moved, err
}

// fromDiscord returns roles with each synced role that is mapped to a
// Discord role held exactly when discordRoles has it.
func (cfg *DiscordConfig) fromDiscord(roles cambista.RoleSet, discordRoles []string) cambista.RoleSet {
	has := map[string]bool{}
	for _, r := range discordRoles {
		has[r] = true
	}
	for _, r := range syncedFromDiscord {
		id, mapped := cfg.Roles[r]
		if !mapped {
			continue
		}
		if has[id] {
			roles = roles.With(r)
		} else {
			roles = roles.Without(r)
		}
	}
	return roles
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
