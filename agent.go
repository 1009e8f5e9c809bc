package cambista

import (
	"context"
	"time"
)

// AgentRequestStatus is the state of a user's request to become an agent.
type AgentRequestStatus string

const (
	AgentRequested AgentRequestStatus = "requested"
	AgentApproved  AgentRequestStatus = "approved"
	AgentRejected  AgentRequestStatus = "rejected"
)

var agentRequestLifecycle = lifecycle[AgentRequestStatus]{
	entity: "agent request",
	next: map[AgentRequestStatus][]AgentRequestStatus{
		AgentRequested: {AgentApproved, AgentRejected},
	},
}

// CheckTransition returns ECONFLICT unless the request may move to s.
func (s AgentRequestStatus) CheckTransition(to AgentRequestStatus) error {
	return agentRequestLifecycle.check(s, to)
}

// AgentRequest is a user's request to become an agent. Being an agent
// changes money (commissions, bonuses, limits), so it is never a
// self-service choice: a superuser other than the requester decides.
type AgentRequest struct {
	ID        ID
	UserID    UserID
	Status    AgentRequestStatus
	DecidedBy UserID
	Reason    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// AgentRequestStore keeps requests to become an agent.
type AgentRequestStore interface {
	// CreateAgentRequest inserts r and sets its ID; ECONFLICT if the user
	// already has a request waiting.
	CreateAgentRequest(ctx context.Context, r *AgentRequest) error
	// AgentRequest returns a request, locked until the transaction ends;
	// ENOTFOUND.
	AgentRequest(ctx context.Context, id ID) (*AgentRequest, error)
	// UpdateAgentRequest writes r's status, decider and reason; ENOTFOUND.
	UpdateAgentRequest(ctx context.Context, r *AgentRequest) error
	// AgentRequests lists requests, newest first.
	AgentRequests(ctx context.Context, f AgentRequestFilter) ([]*AgentRequest, error)
}

// AgentRequestFilter selects requests to become an agent; zero fields
// match all.
type AgentRequestFilter struct {
	UserID UserID
	Status AgentRequestStatus
	Limit  int
}
