package storetest_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestSealerFailureLogged: a failed round of the background audit sealer,
// which no caller sees, is logged with its cause.
func TestSealerFailureLogged(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			h := &firstError{got: make(chan slog.Record, 1)}
			s := storetest.Open(t, d, store.Options{Logger: slog.New(h)})
			if _, err := s.DB().Exec(`ALTER TABLE audit_head RENAME TO audit_head_gone`); err != nil {
				t.Fatal(err)
			}
			mustTx(t, s, func(tx app.Tx) error {
				tx.Audit(&cambista.AuditEvent{Actor: "1", Action: "test.do", EntityType: "thing", EntityID: "1"})
				return nil
			})
			var r slog.Record
			select {
			case r = <-h.got:
			case <-time.After(10 * time.Second):
				t.Fatal("no error logged after the sealer's round failed")
			}
			var cause string
			r.Attrs(func(a slog.Attr) bool {
				if a.Key == "err" {
					cause = a.Value.String()
				}
				return true
			})
			if !strings.Contains(r.Message, "audit sealing round failed") || !strings.Contains(cause, "audit_head") {
				t.Fatalf("logged %q with err %q; want the sealer's failure and its cause", r.Message, cause)
			}
		})
	}
}

// firstError is a slog handler that hands over the first error record; it
// drops the rest, so that a sealer failing round after round never blocks.
type firstError struct {
	once sync.Once
	got  chan slog.Record
}

func (h *firstError) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }

func (h *firstError) Handle(_ context.Context, r slog.Record) error {
	h.once.Do(func() { h.got <- r.Clone() })
	return nil
}

func (h *firstError) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *firstError) WithGroup(string) slog.Handler      { return h }
