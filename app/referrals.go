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

// Invitation is what an agent hands out: their invite code and the
// welcome channel where the invited register ("" when none is set).
type Invitation struct {
	Code           string
	WelcomeChannel string
}

// InviteCode returns the acting agent's invitation, making their code the
// first time. Clients use the code when they register, or with JoinAgent.
func (s *Service) InviteCode(ctx context.Context, key string) (Invitation, error) {
	return mutate(ctx, s, cambista.ActUpdateProfile, key, "invite", func(c *call) (Invitation, error) {
		u, err := c.tx.User(ctx, c.actor.UserID)
		if err != nil {
			return Invitation{}, err
		}
		if !isAgent(u) {
			return Invitation{}, cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgNotAgent.Msg("User", u.DisplayName))
		}
		welcome, err := c.tx.Setting(ctx, channelKey(ChannelWelcome))
		if err != nil {
			return Invitation{}, err
		}
		if u.InviteCode != "" {
			return Invitation{u.InviteCode, welcome}, nil
		}
		before := *u
		code := make([]byte, 8)
		for i, b := range randomBytes(len(code)) {
			code[i] = inviteAlphabet[int(b)%len(inviteAlphabet)]
		}
		u.InviteCode = string(code)
		if err := c.tx.UpdateUser(ctx, u); err != nil {
			return Invitation{}, err
		}
		return Invitation{u.InviteCode, welcome}, c.audit("user", u.ID, before, u)
	})
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// normalizeCode reads an invite code as people type it: any case, with
// spaces around.
func normalizeCode(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }

// inviter returns the agent who owns the code; ENOTFOUND with a message
// that names the code.
func (c *call) inviter(code string) (*cambista.User, error) {
	agent, err := c.tx.UserByInviteCode(c.ctx, code)
	if cambista.ErrorCode(err) == cambista.ENOTFOUND {
		return nil, cambista.Errorf(cambista.ENOTFOUND, cambista.MsgBadInviteCode.Msg("Code", code))
	}
	return agent, err
}

// JoinAgent links the acting client to the agent who owns the invite code,
// once: a client already linked must ask a superuser to change it.
func (s *Service) JoinAgent(ctx context.Context, key string, code string) (*cambista.User, error) {
	code = normalizeCode(code)
	return mutate(ctx, s, cambista.ActUpdateProfile, key, code, func(c *call) (*cambista.User, error) {
		agent, err := c.inviter(code)
		if err != nil {
			return nil, err
		}
		u, err := c.tx.User(ctx, c.actor.UserID)
		if err != nil {
			return nil, err
		}
		if u.ReferrerID != "" {
			return nil, errHasReferrer()
		}
		return c.setReferrer(u, agent)
	})
}

func errHasReferrer() error {
	return cambista.Errorf(cambista.ECONFLICT, cambista.MsgHasReferrer.Msg())
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

// canRefer checks that agent may be u's referring agent.
func canRefer(u, agent *cambista.User) error {
	if !isAgent(agent) {
		return cambista.Errorf(cambista.EINVALID, cambista.MsgNotAgent.Msg("User", agent.DisplayName))
	}
	if agent.ID == u.ID {
		return cambista.Errorf(cambista.EINVALID, cambista.MsgSelfReferral.Msg())
	}
	return nil
}

func (c *call) setReferrer(u, agent *cambista.User) (*cambista.User, error) {
	if err := canRefer(u, agent); err != nil {
		return nil, err
	}
	before := *u
	u.ReferrerID = agent.ID
	if err := c.tx.UpdateUser(c.ctx, u); err != nil {
		return nil, err
	}
	return u, c.audit("user", u.ID, before, u)
}
