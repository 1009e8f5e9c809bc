package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/audit"
)

func (t *tx) Audit(ev *cambista.AuditEvent) { t.audit = append(t.audit, ev) }

// sealAudit appends the transaction's queued events to the chain. It runs
// last, just before commit, so the head row — the one lock every audited
// transaction shares — is held only for these statements and the commit.
func (t *tx) sealAudit(ctx context.Context) error {
	if len(t.audit) == 0 {
		return nil
	}
	var seq int64
	var hash string
	if err := t.row(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+t.forUpdate()).Scan(&seq, &hash); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	var q strings.Builder
	q.WriteString(`INSERT INTO audit_events (seq, time, actor, action, entity_type, entity_id, before, after, idempotency_key, prev_hash, hash) VALUES `)
	var args []any
	for i, ev := range t.audit {
		if ev.Time.IsZero() {
			ev.Time = t.now
		}
		if len(ev.Before) == 0 {
			ev.Before = []byte("null")
		}
		if len(ev.After) == 0 {
			ev.After = []byte("null")
		}
		audit.Seal(ev, seq, hash)
		seq, hash = ev.Seq, ev.Hash
		if i > 0 {
			q.WriteString(", ")
		}
		n := len(args)
		q.WriteString("(")
		for j := 1; j <= 11; j++ {
			if j > 1 {
				q.WriteString(", ")
			}
			fmt.Fprintf(&q, "$%d", n+j)
		}
		q.WriteString(")")
		args = append(args, ev.Seq, cambista.Micros(ev.Time), ev.Actor, string(ev.Action), ev.EntityType, ev.EntityID,
			string(ev.Before), string(ev.After), ev.IdempotencyKey, ev.PrevHash, ev.Hash)
	}
	if _, err := t.exec(ctx, q.String(), args...); err != nil {
		return fmt.Errorf("append audit events: %w", err)
	}
	if _, err := t.exec(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, seq, hash); err != nil {
		return fmt.Errorf("move audit head: %w", err)
	}
	return nil
}

func (t *tx) AuditEvents(ctx context.Context, after int64, limit int) ([]*cambista.AuditEvent, error) {
	if limit <= 0 {
		limit = 1000
	}
	return queryAll(ctx, t, scanAuditEvent, `SELECT seq, time, actor, action, entity_type, entity_id, before, after,
		idempotency_key, prev_hash, hash FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2`, after, limit)
}

func scanAuditEvent(sc scanner) (*cambista.AuditEvent, error) {
	var ev cambista.AuditEvent
	var at int64
	var action, before, after string
	if err := sc.Scan(&ev.Seq, &at, &ev.Actor, &action, &ev.EntityType, &ev.EntityID, &before, &after,
		&ev.IdempotencyKey, &ev.PrevHash, &ev.Hash); err != nil {
		return nil, err
	}
	ev.Time, ev.Action, ev.Before, ev.After = cambista.FromMicros(at), cambista.Action(action), []byte(before), []byte(after)
	return &ev, nil
}
