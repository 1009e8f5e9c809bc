package app

import (
	"context"
	"crypto/rand"
	"strings"

	"github.com/cambista/cambista"
)

// isAgent: an agent by role or by the user type they chose.
func isAgent(u *cambista.User) bool {
	return u.Roles.Has(cambista.RoleAgent) || u.Type == cambista.UserTypeAgent
}

// inviteAlphabet leaves out letters and digits people confuse (0/O, 1/I/L).
const inviteAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// InviteCode returns the acting agent's invite code, making one the first
// time. Clients use it with JoinAgent.
func (s *Service) InviteCode(ctx context.Context, key string) (string, error) {
	return mutate(ctx, s, cambista.ActUpdateProfile, key, "invite", func(c *call) (string, error) {
		u, err := c.tx.User(ctx, c.actor.UserID)
		if err != nil {
			return "", err
		}
		if !isAgent(u) {
			return "", cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgNotAgent.Msg("User", u.DisplayName))
		}
		if u.InviteCode != "" {
			return u.InviteCode, nil
		}
		before := *u
		code := make([]byte, 8)
		for i, b := range randomBytes(len(code)) {
			code[i] = inviteAlphabet[int(b)%len(inviteAlphabet)]
		}
		u.InviteCode = string(code)
		if err := c.tx.UpdateUser(ctx, u); err != nil {
			return "", err
		}
		return u.InviteCode, c.audit("user", u.ID, before, u)
	})
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// JoinAgent links the acting client to the agent who owns the invite code.
// A client already linked must ask a superuser to change it.
func (s *Service) JoinAgent(ctx context.Context, key string, code string) (*cambista.User, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	return mutate(ctx, s, cambista.ActUpdateProfile, key, code, func(c *call) (*cambista.User, error) {
		agent, err := c.tx.UserByInviteCode(ctx, code)
		if cambista.ErrorCode(err) == cambista.ENOTFOUND {
			return nil, cambista.Errorf(cambista.ENOTFOUND, cambista.MsgBadInviteCode.Msg("Code", code))
		} else if err != nil {
			return nil, err
		}
		u, err := c.tx.User(ctx, c.actor.UserID)
		if err != nil {
			return nil, err
		}
		if u.ReferrerID != "" {
			return nil, cambista.Errorf(cambista.ECONFLICT, cambista.MsgHasReferrer.Msg())
		}
		return c.setReferrer(u, agent)
	})
}

// Referral names a client and their referring agent ("" to unlink).
type Referral struct {
	ClientID cambista.UserID
	AgentID  cambista.UserID
}

// SetReferrer links a client to a referring agent, or unlinks them; a
// superuser's action.
func (s *Service) SetReferrer(ctx context.Context, key string, in Referral) (*cambista.User, error) {
	return mutate(ctx, s, cambista.ActAssignRole, key, in, func(c *call) (*cambista.User, error) {
		u, err := c.tx.User(ctx, in.ClientID)
		if err != nil {
			return nil, err
		}
		if in.AgentID == "" {
			before := *u
			u.ReferrerID = ""
			if err := c.tx.UpdateUser(ctx, u); err != nil {
				return nil, err
			}
			return u, c.audit("user", u.ID, before, u)
		}
		agent, err := c.tx.User(ctx, in.AgentID)
		if err != nil {
			return nil, err
		}
		return c.setReferrer(u, agent)
	})
}

func (c *call) setReferrer(u, agent *cambista.User) (*cambista.User, error) {
	if !isAgent(agent) {
		return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgNotAgent.Msg("User", agent.DisplayName))
	}
	if agent.ID == u.ID {
		return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgSelfReferral.Msg())
	}
	before := *u
	u.ReferrerID = agent.ID
	if err := c.tx.UpdateUser(c.ctx, u); err != nil {
		return nil, err
	}
	return u, c.audit("user", u.ID, before, u)
}
