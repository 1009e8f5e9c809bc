package app

import (
	"context"

	"github.com/cambista/cambista"
)

// RequestAgent asks for the actor to become an agent. Being an agent
// changes money (commissions, bonuses, client limits), so a superuser other
// than the requester decides (DecideAgent).
func (s *Service) RequestAgent(ctx context.Context, key string) (*cambista.AgentRequest, error) {
	return mutate(ctx, s, cambista.ActRequestAgent, key, struct{}{}, func(c *call) (*cambista.AgentRequest, error) {
		u, err := c.tx.User(ctx, c.actor.UserID)
		if err != nil {
			return nil, err
		}
		if u.Type == cambista.UserTypeAgent {
			return nil, cambista.Errorf(cambista.ECONFLICT, cambista.MsgAlreadyAgent.Msg())
		}
		r := &cambista.AgentRequest{UserID: u.ID, Status: cambista.AgentRequested}
		if err := c.tx.CreateAgentRequest(ctx, r); err != nil {
			return nil, err
		}
		if err := c.notify("agent.requested", "agent_request", r.ID, ChannelAdmin, ""); err != nil {
			return nil, err
		}
		return r, c.audit("agent_request", r.ID, nil, r)
	})
}

// DecideAgent approves or rejects a request to become an agent; the
// decider can never be the requester. An approval makes the user an agent
// and gives them the agent's Discord role, as a superuser's profile edit
// would.
func (s *Service) DecideAgent(ctx context.Context, key string, d Decision) (*cambista.AgentRequest, error) {
	if err := d.validate(); err != nil {
		return nil, err
	}
	return mutate(ctx, s, cambista.ActDecideAgent, key, d, func(c *call) (*cambista.AgentRequest, error) {
		r, err := c.tx.AgentRequest(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		if err := fourEyes(c, r.UserID); err != nil {
			return nil, err
		}
		to := cambista.AgentRejected
		if d.Approve {
			to = cambista.AgentApproved
		}
		if err := r.Status.CheckTransition(to); err != nil {
			return nil, err
		}
		before := *r
		r.Status, r.DecidedBy, r.Reason = to, c.actor.UserID, d.Reason
		if err := c.tx.UpdateAgentRequest(ctx, r); err != nil {
			return nil, err
		}
		if d.Approve {
			if err := c.setType(r.UserID, cambista.UserTypeAgent); err != nil {
				return nil, err
			}
		}
		if err := c.notify("agent.decided", "agent_request", r.ID, ChannelAdmin, r.UserID); err != nil {
			return nil, err
		}
		return r, c.audit("agent_request", r.ID, before, r)
	})
}

// setType changes a user's type, with its Discord roles and audit event.
func (c *call) setType(id cambista.UserID, t cambista.UserType) error {
	u, err := c.tx.User(c.ctx, id)
	if err != nil || u.Type == t {
		return err
	}
	before := *u
	u.Type = t
	if err := c.tx.UpdateUser(c.ctx, u); err != nil {
		return err
	}
	p := ProfileChanged{UserID: u.ID, Country: u.Country, Type: string(u.Type), OldCountry: before.Country, OldType: string(before.Type)}
	if err := c.enqueue(KindProfile, p); err != nil {
		return err
	}
	return c.audit("user", u.ID, before, u)
}

// AgentRequest returns a request to become an agent: one's own, or any
// for a superuser.
func (s *Service) AgentRequest(ctx context.Context, id cambista.ID) (*cambista.AgentRequest, error) {
	return view(ctx, s, cambista.ActViewOwn, func(tx Tx, actor cambista.Actor) (*cambista.AgentRequest, error) {
		r, err := tx.AgentRequest(ctx, id)
		if err != nil {
			return nil, err
		}
		return r, ownOrSuper(actor, r.UserID)
	})
}

// PendingAgentRequests lists requests to become an agent awaiting a
// decision.
func (s *Service) PendingAgentRequests(ctx context.Context) ([]*cambista.AgentRequest, error) {
	return view(ctx, s, cambista.ActDecideAgent, func(tx Tx, _ cambista.Actor) ([]*cambista.AgentRequest, error) {
		return tx.AgentRequests(ctx, cambista.AgentRequestFilter{Status: cambista.AgentRequested, Limit: 1000})
	})
}
