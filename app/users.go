package app

import (
	"context"
	"slices"
	"strings"

	"github.com/cambista/cambista"
)

// Register is what a person fills in to join.
type Register struct {
	DisplayName string
	Phone       string
	Locale      string // "es" or "en"; the actor's locale when empty
	DiscordName string // the member's name on Discord, when the adapter knows it
	// InviteCode, when given, links the client to the agent who owns it,
	// in the same transaction: a code no agent has refuses the whole
	// registration.
	InviteCode string
}

// Register makes the acting Discord user known to cambista as a client. A
// user who registers again updates their name and phone, and with a code
// joins its agent unless they have one already (JoinAgent's rule).
func (s *Service) Register(ctx context.Context, key string, in Register) (*cambista.User, error) {
	actor := cambista.ActorFromContext(ctx)
	if in.Locale == "" {
		in.Locale = normalizeLocale(actor.Locale)
	}
	in.DisplayName, in.Phone, in.DiscordName = strings.TrimSpace(in.DisplayName), strings.TrimSpace(in.Phone), strings.TrimSpace(in.DiscordName)
	in.InviteCode = normalizeCode(in.InviteCode)
	// Anyone with a Discord identity may register: they hold no role yet,
	// so the matrix is asked on their behalf as a client.
	if err := cambista.ValidateUserID(actor.UserID); err != nil {
		return nil, err
	}
	if !actor.Frozen && actor.Roles == 0 {
		actor.Roles = actor.Roles.With(cambista.RoleClient)
		ctx = cambista.WithActor(ctx, actor)
	}
	return mutate(ctx, s, cambista.ActRegister, key, in, func(c *call) (*cambista.User, error) {
		var agent *cambista.User
		if in.InviteCode != "" {
			var err error
			if agent, err = c.inviter(in.InviteCode); err != nil {
				return nil, err
			}
		}
		// join links u to the code's agent, if a code was given and u is
		// not already theirs.
		join := func(u *cambista.User) error {
			switch {
			case agent == nil || u.ReferrerID == agent.ID:
				return nil
			case u.ReferrerID != "":
				return errHasReferrer()
			}
			if err := canRefer(u, agent); err != nil {
				return err
			}
			u.ReferrerID = agent.ID
			return nil
		}
		u, err := c.tx.User(ctx, actor.UserID)
		switch cambista.ErrorCode(err) {
		case cambista.ENOTFOUND:
			u = &cambista.User{
				ID: actor.UserID, DisplayName: in.DisplayName, DiscordName: in.DiscordName, Phone: in.Phone, Locale: in.Locale,
				Type: cambista.UserTypeClient, Status: cambista.UserActive,
				Roles: actor.Roles.With(cambista.RoleClient),
			}
			if err := u.Validate(); err != nil {
				return nil, err
			}
			if err := join(u); err != nil {
				return nil, err
			}
			if err := c.tx.CreateUser(ctx, u); err != nil {
				return nil, err
			}
			for _, r := range u.Roles.List() {
				if err := c.enqueue(KindRole, RoleChanged{UserID: u.ID, Role: r.String(), Granted: true}); err != nil {
					return nil, err
				}
			}
			return u, c.audit("user", u.ID, nil, u)
		case "":
			before := *u
			u.DisplayName, u.Phone, u.Locale = in.DisplayName, in.Phone, in.Locale
			if in.DiscordName != "" {
				u.DiscordName = in.DiscordName
			}
			if err := u.Validate(); err != nil {
				return nil, err
			}
			if err := join(u); err != nil {
				return nil, err
			}
			if err := c.tx.UpdateUser(ctx, u); err != nil {
				return nil, err
			}
			return u, c.audit("user", u.ID, before, u)
		default:
			return nil, err
		}
	})
}

// NoteDiscordName keeps a member's name on Discord up to date, when
// Discord tells that it changed (a member update). It acts as Discord, like
// the role sync; an unknown user is ENOTFOUND, and a name that did not
// change writes nothing. It is recorded quietly, without an audit event,
// like the panel's language switch: it is Discord's bookkeeping, nobody's
// decision, and the log names people by ID.
func (s *Service) NoteDiscordName(ctx context.Context, user cambista.UserID, name string) (*cambista.User, error) {
	name = strings.TrimSpace(name)
	ctx = cambista.WithActor(ctx, cambista.Actor{UserID: "discord", System: true, Roles: cambista.SystemActor.Roles})
	return mutate(ctx, s, cambista.ActUpdateProfile, "", user, func(c *call) (*cambista.User, error) {
		u, err := c.tx.User(ctx, user)
		if err != nil || name == "" || u.DiscordName == name {
			return u, err
		}
		u.DiscordName = name
		if err := u.Validate(); err != nil {
			return nil, err
		}
		return u, c.tx.UpdateUser(ctx, u)
	})
}

// normalizeLocale maps a Discord locale ("es-ES", "es-419", "en-US") to
// cambista's two languages.
func normalizeLocale(l string) string {
	if strings.HasPrefix(strings.ToLower(l), "es") {
		return cambista.LocaleES
	}
	return cambista.LocaleEN
}

// Profile changes a user's self-service choices. Nil fields stay as they
// are. UserID is the user to change: the actor themself, or anyone for a
// superuser.
type Profile struct {
	UserID  cambista.UserID
	Country *string
	Type    *cambista.UserType
	Locale  *string
}

// UpdateProfile sets a user's country, user type or language.
func (s *Service) UpdateProfile(ctx context.Context, key string, in Profile) (*cambista.User, error) {
	actor := cambista.ActorFromContext(ctx)
	if in.UserID == "" {
		in.UserID = actor.UserID
	}
	return mutate(ctx, s, cambista.ActUpdateProfile, key, in, func(c *call) (*cambista.User, error) {
		if in.UserID != actor.UserID && !actor.Roles.Has(cambista.RoleSuperuser) {
			return nil, cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgForbidden.Msg("Action", cambista.WordFor(string(c.action))))
		}
		u, err := c.tx.User(ctx, in.UserID)
		if err != nil {
			return nil, err
		}
		before := *u
		if in.Country != nil {
			code := strings.ToUpper(strings.TrimSpace(*in.Country))
			if code != "" {
				if _, err := enabledCountry(c, code); err != nil {
					return nil, err
				}
			}
			u.Country = code
		}
		if in.Type != nil && *in.Type != u.Type {
			// A user's type changes money (commissions, limits): a person
			// asks for it with RequestAgent; only another superuser sets it.
			if !actor.Roles.Has(cambista.RoleSuperuser) || in.UserID == actor.UserID {
				return nil, cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgTypeByRequest.Msg())
			}
			u.Type = *in.Type
		}
		if in.Locale != nil {
			u.Locale = *in.Locale
		}
		if err := u.Validate(); err != nil {
			return nil, err
		}
		if err := c.tx.UpdateUser(ctx, u); err != nil {
			return nil, err
		}
		if u.Country != before.Country || u.Type != before.Type {
			p := ProfileChanged{UserID: u.ID, Country: u.Country, Type: string(u.Type), OldCountry: before.Country, OldType: string(before.Type)}
			if err := c.enqueue(KindProfile, p); err != nil {
				return nil, err
			}
		}
		return u, c.audit("user", u.ID, before, u)
	})
}

// ProfileChanged is the outbox payload that asks the Discord adapter to
// give the member the roles matching their country and user type (Discord
// roles named like the country's code or name, or the user type), and take
// the old ones away.
type ProfileChanged struct {
	UserID     cambista.UserID `json:"user_id"`
	Country    string          `json:"country"`
	Type       string          `json:"type"`
	OldCountry string          `json:"old_country"`
	OldType    string          `json:"old_type"`
}

// RoleChange names a user and a restricted role to give or take away.
type RoleChange struct {
	UserID cambista.UserID
	Role   cambista.Role
}

// RoleChanged is the outbox payload that asks the Discord adapter to bring
// the member's Discord roles in line.
type RoleChanged struct {
	UserID  cambista.UserID `json:"user_id"`
	Role    string          `json:"role"`
	Granted bool            `json:"granted"`
}

// AssignRole gives a user a restricted role.
func (s *Service) AssignRole(ctx context.Context, key string, in RoleChange) (*cambista.User, error) {
	return s.changeRole(ctx, key, in, true)
}

// RemoveRole takes a restricted role away. The client role stays, and the
// last superuser cannot be removed.
func (s *Service) RemoveRole(ctx context.Context, key string, in RoleChange) (*cambista.User, error) {
	return s.changeRole(ctx, key, in, false)
}

func (s *Service) changeRole(ctx context.Context, key string, in RoleChange, grant bool) (*cambista.User, error) {
	return mutate(ctx, s, cambista.ActAssignRole, key, in, func(c *call) (*cambista.User, error) {
		if in.Role.String() == "" {
			return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgBadRole.Msg("Input", in.Role.String()))
		}
		if !in.Role.Restricted() {
			return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgClientRole.Msg())
		}
		u, err := c.tx.User(ctx, in.UserID)
		if err != nil {
			return nil, err
		}
		before := *u
		if grant {
			u.Roles = u.Roles.With(in.Role)
		} else {
			if !u.Roles.Has(in.Role) {
				return nil, cambista.Errorf(cambista.ECONFLICT, cambista.MsgRoleNotHeld.Msg("User", string(u.ID), "Role", in.Role.String()))
			}
			if in.Role == cambista.RoleSuperuser {
				supers, err := c.tx.Users(ctx, cambista.UserFilter{Role: cambista.RoleSuperuser, Limit: 2})
				if err != nil {
					return nil, err
				}
				if len(supers) < 2 {
					return nil, cambista.Errorf(cambista.ECONFLICT, cambista.MsgLastSuperuser.Msg())
				}
			}
			u.Roles = u.Roles.Without(in.Role)
		}
		if u.Roles == before.Roles {
			return u, nil
		}
		if err := c.tx.UpdateUser(ctx, u); err != nil {
			return nil, err
		}
		if err := c.enqueue(KindRole, RoleChanged{UserID: u.ID, Role: in.Role.String(), Granted: grant}); err != nil {
			return nil, err
		}
		return u, c.audit("user", u.ID, before, u)
	})
}

// HasBootstrap reports whether the configuration names any bootstrap
// superuser: without one, and before anyone is made superuser from the
// panel, nobody can log in to manage the business.
func (s *Service) HasBootstrap() bool { return len(s.cfg.Bootstrap) > 0 }

// Bootstrap makes each listed Discord user a superuser, creating them if
// needed. It runs as the system at start, and is a no-op for users who are
// superusers already.
func (s *Service) Bootstrap(ctx context.Context) error {
	ctx = cambista.WithActor(ctx, cambista.SystemActor)
	for _, id := range s.cfg.Bootstrap {
		if err := cambista.ValidateUserID(id); err != nil {
			return err
		}
		_, err := mutate(ctx, s, cambista.ActAssignRole, "", id, func(c *call) (*cambista.User, error) {
			u, err := c.tx.User(ctx, id)
			switch cambista.ErrorCode(err) {
			case cambista.ENOTFOUND:
				u = &cambista.User{ID: id, DisplayName: string(id), Type: cambista.UserTypeClient, Status: cambista.UserActive,
					Locale: cambista.LocaleES, Roles: cambista.RoleSet(0).With(cambista.RoleClient).With(cambista.RoleSuperuser)}
				if err := c.tx.CreateUser(ctx, u); err != nil {
					return nil, err
				}
				return u, c.audit("user", u.ID, nil, u)
			case "":
				if u.Roles.Has(cambista.RoleSuperuser) {
					return u, nil
				}
				before := *u
				u.Roles = u.Roles.With(cambista.RoleSuperuser)
				if err := c.tx.UpdateUser(ctx, u); err != nil {
					return nil, err
				}
				return u, c.audit("user", u.ID, before, u)
			default:
				return nil, err
			}
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// User returns a user: oneself, or anyone for a superuser.
func (s *Service) User(ctx context.Context, id cambista.UserID) (*cambista.User, error) {
	return view(ctx, s, cambista.ActViewOwn, func(tx Tx, actor cambista.Actor) (*cambista.User, error) {
		if id != actor.UserID && !actor.Roles.Has(cambista.RoleSuperuser) {
			return nil, cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgForbidden.Msg("Action", cambista.WordFor(string(cambista.ActViewOwn))))
		}
		return tx.User(ctx, id)
	})
}

// PanelUserNames returns the display names of the given users that exist,
// for staff reading lists that name people by Discord ID.
func (s *Service) PanelUserNames(ctx context.Context, ids []cambista.UserID) (map[cambista.UserID]string, error) {
	return view(ctx, s, cambista.ActTakeTransfer, func(tx Tx, _ cambista.Actor) (map[cambista.UserID]string, error) {
		out := map[cambista.UserID]string{}
		ids = slices.Clone(ids)
		slices.Sort(ids)
		for _, id := range slices.Compact(ids) {
			u, err := tx.User(ctx, id)
			if cambista.ErrorCode(err) == cambista.ENOTFOUND {
				continue
			} else if err != nil {
				return nil, err
			}
			out[id] = u.Name()
		}
		return out, nil
	})
}

// PanelFindPeople returns the IDs and names of at most limit users whose
// ID, registered or Discord name contains text, for staff filtering lists
// by a person's name.
func (s *Service) PanelFindPeople(ctx context.Context, text string, limit int) (map[cambista.UserID]string, error) {
	return view(ctx, s, cambista.ActTakeTransfer, func(tx Tx, _ cambista.Actor) (map[cambista.UserID]string, error) {
		list, err := tx.Users(ctx, cambista.UserFilter{Search: text, Limit: limit})
		if err != nil {
			return nil, err
		}
		out := make(map[cambista.UserID]string, len(list))
		for _, u := range list {
			out[u.ID] = u.Name()
		}
		return out, nil
	})
}

// SearchUsers finds users by ID, registered or Discord name, newest first, for the
// panel's users page; a superuser's view.
func (s *Service) SearchUsers(ctx context.Context, search string, limit int) ([]*cambista.User, error) {
	if limit <= 0 || limit > 200 {
		limit = 200
	}
	return view(ctx, s, cambista.ActAssignRole, func(tx Tx, _ cambista.Actor) ([]*cambista.User, error) {
		return tx.Users(ctx, cambista.UserFilter{Search: search, Limit: limit})
	})
}
