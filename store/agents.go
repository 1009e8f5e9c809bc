package store

import (
	"context"

	"github.com/cambista/cambista"
)

const agentRequestColumns = `id, user_id, status, decided_by, reason, created_at, updated_at`

func scanAgentRequest(sc scanner) (*cambista.AgentRequest, error) {
	var r cambista.AgentRequest
	var created, updated int64
	if err := sc.Scan(&r.ID, &r.UserID, &r.Status, &r.DecidedBy, &r.Reason, &created, &updated); err != nil {
		return nil, err
	}
	r.CreatedAt, r.UpdatedAt = cambista.FromMicros(created), cambista.FromMicros(updated)
	return &r, nil
}

func (t *tx) CreateAgentRequest(ctx context.Context, r *cambista.AgentRequest) error {
	r.CreatedAt, r.UpdatedAt = t.now, t.now
	err := t.writeRow(ctx, `INSERT INTO agent_requests (user_id, status, decided_by, reason, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`,
		r.UserID, r.Status, r.DecidedBy, r.Reason, cambista.Micros(t.now)).Scan(&r.ID)
	if uniqueViolation(err) {
		return exists("agent request", r.UserID)
	}
	return err
}

func (t *tx) AgentRequest(ctx context.Context, id cambista.ID) (*cambista.AgentRequest, error) {
	r, err := scanAgentRequest(t.row(ctx, `SELECT `+agentRequestColumns+` FROM agent_requests WHERE id = $1`+t.forUpdate(), id))
	return r, one(err, "agent request", id)
}

func (t *tx) UpdateAgentRequest(ctx context.Context, r *cambista.AgentRequest) error {
	r.UpdatedAt = t.now
	res, err := t.exec(ctx, `UPDATE agent_requests SET status = $2, decided_by = $3, reason = $4, updated_at = $5 WHERE id = $1`,
		r.ID, r.Status, r.DecidedBy, r.Reason, cambista.Micros(t.now))
	return affected(res, err, "agent request", r.ID)
}

func (t *tx) AgentRequests(ctx context.Context, f cambista.AgentRequestFilter) ([]*cambista.AgentRequest, error) {
	var w where
	w.addIf(f.UserID != "", "user_id = ?", f.UserID)
	w.addIf(f.Status != "", "status = ?", f.Status)
	q := `SELECT ` + agentRequestColumns + ` FROM agent_requests` + w.String() + ` ORDER BY id DESC` + w.limit(f.Limit)
	return queryAll(ctx, t, scanAgentRequest, q, w.args...)
}
