package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestInternalErrorsNameTheAction: an internal error of any runner (mutate,
// view, panelWrite) carries the action's name in its cause, which adapters
// log, and still shows people the generic message; a person's error keeps
// its code and message exactly.
func TestInternalErrorsNameTheAction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		ctx := e.As(boot)
		runners := []struct {
			name string
			act  cambista.Action
			call func() error
		}{
			{"mutate", cambista.ActManageCurrency, func() error {
				_, err := e.Svc.AddCurrency(ctx, "", app.AddCurrency{Code: "USD", Exponent: 2, Name: "US dollar"})
				return err
			}},
			{"view", cambista.ActRequestQuote, func() error {
				_, err := e.Svc.Currencies(ctx)
				return err
			}},
			{"panelWrite", app.ActPanelRevokeSessions, func() error {
				_, err := e.Svc.RevokePanelSessions(ctx, "777")
				return err
			}},
		}

		t.Run("UserErrorUnchanged", func(t *testing.T) {
			_, err := e.Svc.AddCurrency(ctx, "", app.AddCurrency{Code: "EUR", Exponent: 2, Name: "Euro", Rounding: "sideways"})
			want := cambista.Errorf(cambista.EINVALID, cambista.MsgBadRounding.Msg("Input", "sideways"))
			if err == nil || err.Error() != want.Error() {
				t.Fatalf("got %v, want %v", err, want)
			}
			_, err = e.Svc.Currencies(context.Background()) // no actor
			wantCode(t, err, cambista.EFORBIDDEN)
			if strings.Contains(err.Error(), string(cambista.ActRequestQuote)) {
				t.Fatalf("a refusal names the action: %v", err)
			}
		})

		t.Run("InternalNamed", func(t *testing.T) {
			// Every runner's transaction fails from here on. Close, not
			// DB().Close: a sealer round in flight would keep its commit
			// group, and its connection, open for the next writer to join.
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			for _, r := range runners {
				err := r.call()
				var ce *cambista.Error
				if !errors.As(err, &ce) || ce.Code != cambista.EINTERNAL || ce.Err == nil {
					t.Fatalf("%s: got %v, want an internal *cambista.Error with a cause", r.name, err)
				}
				if !strings.HasPrefix(ce.Err.Error(), string(r.act)+": ") {
					t.Errorf("%s: cause %q does not begin with the action %s", r.name, ce.Err, r.act)
				}
				if cambista.ErrorMessage(err).String() != cambista.MsgInternal.Msg().String() {
					t.Errorf("%s: a person reads %q", r.name, cambista.ErrorMessage(err))
				}
			}
		})
	})
}
