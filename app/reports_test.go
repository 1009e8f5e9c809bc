package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestExportAuditReportSealsFirst: an event that another process committed
// and left unsealed is in the audit report, sealed at the end of the chain.
// This process has committed nothing, so no sealer of its own runs: only
// the use case's seal can have chained it.
func TestExportAuditReportSealsFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		at := time.Now().UTC().Truncate(time.Microsecond)
		_, err := s.DB().ExecContext(ctx, `INSERT INTO audit_pending (time, actor, action, entity_type, entity_id, before, after, idempotency_key)
			VALUES ($1, 'system', 'test.left', 'thing', '1', 'null', 'null', 'left-1')`, cambista.Micros(at))
		if err != nil {
			t.Fatal(err)
		}
		svc := app.New(s, app.Config{Bootstrap: []cambista.UserID{boot}})
		super, err := svc.Actor(ctx, boot, "es-ES")
		if err != nil {
			t.Fatal(err)
		}
		var events []*cambista.AuditEvent
		err = svc.ExportAuditReport(cambista.WithActor(ctx, super), func(r app.AuditReader) error {
			return r.Events(ctx, at, at.Add(time.Second), func(ev *cambista.AuditEvent) error {
				events = append(events, ev)
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 1 || events[0].IdempotencyKey != "left-1" || events[0].Seq != 1 || events[0].Hash == "" {
			t.Fatalf("the report's events: %+v; want the pending one, sealed as the first of the chain", events)
		}
	})
}
