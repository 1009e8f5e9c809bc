package cambista

import (
	"context"
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

// AuditLog is the audit log as a transaction sees it.
type AuditLog interface {
	// Audit queues an event; WithTx writes it with the transaction and the
	// sealer chains it after commit.
	Audit(ev *AuditEvent)
	// AuditEvents returns sealed events with Seq > after, in order, at most
	// limit.
	AuditEvents(ctx context.Context, after int64, limit int) ([]*AuditEvent, error)
	// SearchAudit returns the sealed events the filter selects, newest first.
	SearchAudit(ctx context.Context, f AuditFilter) ([]*AuditEvent, error)
}

// AuditFilter selects audit events; empty fields match all.
type AuditFilter struct {
	Actor      string
	Action     string
	EntityType string
	EntityID   string
	From, To   time.Time // the events' time, in [From, To)
	Before     int64     // sequence numbers below, for paging back (0 for the newest)
	Limit      int
}
