package cambista

import (
	"context"
	"encoding/json"
	"time"
)

// OutboxMessage is a side effect to run outside the database (a Discord
// message, DM, role change, Notion page), written in the same transaction
// as the change it announces and delivered later by a worker.
type OutboxMessage struct {
	ID          ID
	Kind        string
	Payload     json.RawMessage
	RunAt       time.Time
	Attempts    int
	LastError   string
	DeliveredAt time.Time
	CreatedAt   time.Time
}

// Outbox is the queue of side effects, as a transaction writes it.
type Outbox interface {
	// Enqueue writes an outbox message, due at m.RunAt (now if zero). It
	// sets m.ID by the time the transaction next reaches the database.
	Enqueue(ctx context.Context, m *OutboxMessage) error
	// Undelivered reports whether outbox messages of the kinds about the
	// user (payload field user_id), or about anything when user is empty,
	// are still waiting or being retried.
	Undelivered(ctx context.Context, user UserID, kinds ...string) (bool, error)
}
