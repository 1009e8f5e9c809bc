package storetest_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestHeldErrorNamesItsMethod checks that the error of a held statement,
// which PostgreSQL reports with whatever statement comes next or with the
// commit, names the method that issued it and keeps its code: a second
// transfer of one quote is ECONFLICT on both databases.
func TestHeldErrorNamesItsMethod(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := apptest.Business(t, s)
		q := apptest.Must(e.Svc.Quote(e.As(apptest.Client), "", app.QuoteRequest{Amount: "100", From: "USD", To: "VES"}))
		tr := apptest.Must(e.Svc.CreateTransfer(e.As(apptest.Client), "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: apptest.Beneficiary}))
		named := func(t *testing.T, err error, op string) {
			t.Helper()
			if s.Dialect() == "postgres" && (err == nil || !strings.Contains(err.Error(), "store: "+op+" (held): ")) {
				t.Errorf("error %v does not name %s", err, op)
			}
		}
		for _, then := range []struct {
			name string
			fn   func(app.Tx) error
		}{
			{"NextStatement", func(tx app.Tx) error {
				_, err := tx.User(ctx, apptest.Client)
				return err
			}},
			{"Commit", func(app.Tx) error { return nil }},
		} {
			t.Run("CreateTransfer/"+then.name, func(t *testing.T) {
				err := tx(t, s, func(tx app.Tx) error {
					tx.Prefetch(ctx, app.NewIDRead("transfer"))
					again := *tr
					again.ID = 0
					if err := tx.CreateTransfer(ctx, &again); err != nil {
						return err // SQLite: at once
					}
					return then.fn(tx)
				})
				wantCode(t, err, cambista.ECONFLICT)
				named(t, err, "CreateTransfer")
			})
		}
		t.Run("Enqueue", func(t *testing.T) {
			if s.Dialect() != "postgres" {
				t.Skip("SQLite stores any bytes as text; the write succeeds there")
			}
			var next error
			err := tx(t, s, func(tx app.Tx) error {
				// Not valid UTF-8: PostgreSQL refuses it when the held
				// insert reaches it, with the next statement.
				if err := tx.Enqueue(ctx, &cambista.OutboxMessage{Kind: "\xff", Payload: json.RawMessage(`{}`)}); err != nil {
					return err
				}
				_, next = tx.User(ctx, apptest.Client)
				return nil // as if the error went unnoticed
			})
			named(t, next, "Enqueue")
			named(t, err, "Enqueue")
			wantCode(t, err, cambista.EINTERNAL)
		})
	})
}
