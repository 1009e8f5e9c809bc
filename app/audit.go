package app

import (
	"context"

	"github.com/cambista/cambista"
)

// AuditPage is a page of the audit log, newest first; Next is the Before
// of the following page, 0 on the last.
type AuditPage struct {
	Events []*cambista.AuditEvent
	Next   int64
}

// AuditLog reads the audit log for a superuser.
func (s *Service) AuditLog(ctx context.Context, q cambista.AuditFilter) (*AuditPage, error) {
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgBadDateRange.Msg())
	}
	if q.Limit <= 0 || q.Limit > 500 {
		q.Limit = 50
	}
	// The page shows every event committed before it was asked for: seal
	// the pending ones first.
	if err := cambista.Authorize(cambista.ActorFromContext(ctx), cambista.ActReadAudit); err != nil {
		return nil, err
	}
	if _, err := s.store.Seal(ctx); err != nil {
		return nil, err
	}
	// Fresh: a read replica serves the page only once it has the seal.
	return viewReplica(Fresh(ctx), s, cambista.ActReadAudit, func(tx Tx, _ cambista.Actor) (*AuditPage, error) {
		f := q
		f.Limit++ // one more, to know whether there is a next page
		events, err := tx.SearchAudit(ctx, f)
		if err != nil {
			return nil, err
		}
		page := &AuditPage{Events: events}
		if len(events) > q.Limit {
			page.Events = events[:q.Limit]
			page.Next = page.Events[q.Limit-1].Seq
		}
		return page, nil
	})
}
