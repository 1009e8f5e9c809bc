package cambista

import (
	"encoding/json"
	"time"
)

// AuditEvent is one entry of the hash-chained audit log (the backlog). Seq,
// PrevHash and Hash are set by the store when the event is appended.
type AuditEvent struct {
	Seq            int64
	Time           time.Time
	Actor          string
	Action         Action
	EntityType     string
	EntityID       string
	Before         json.RawMessage // state before, canonical JSON or null
	After          json.RawMessage // state after, canonical JSON or null
	IdempotencyKey string
	PrevHash       string // hex SHA-256 of the previous event, "" for the first
	Hash           string // hex SHA-256 over the event and PrevHash
}

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
