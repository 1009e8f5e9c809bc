package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/cambista/cambista/app"
)

// AlertWatch runs the liquidity and exposure check (app.CheckAlerts) at a
// fixed interval. The check raises and clears alerts in the database, with
// their notices in the outbox, so the Worker delivers them like any other
// notice; several watches (several processes) can run, and a crossing is
// still announced once.
type AlertWatch struct {
	app   *app.Service
	every time.Duration
	log   *slog.Logger
}

// NewAlertWatch returns a watch that checks every interval (a minute if
// zero).
func NewAlertWatch(svc *app.Service, every time.Duration, log *slog.Logger) *AlertWatch {
	if every <= 0 {
		every = time.Minute
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &AlertWatch{app: svc, every: every, log: log}
}

// Run checks at once, then every interval, until ctx ends. It acts as the
// actor ctx carries, which must be the system (or a superuser).
func (w *AlertWatch) Run(ctx context.Context) {
	t := time.NewTicker(w.every)
	defer t.Stop()
	for {
		w.Check(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Check runs one check and logs what it changed; a failure is logged, and
// the next check tries again.
func (w *AlertWatch) Check(ctx context.Context) (app.AlertCheck, error) {
	got, err := w.app.CheckAlerts(ctx)
	switch {
	case err != nil && ctx.Err() == nil:
		w.log.Warn("checking liquidity alerts failed", "err", err)
	case got.Raised > 0 || got.Cleared > 0:
		w.log.Info("liquidity alerts checked", "raised", got.Raised, "cleared", got.Cleared)
	}
	return got, err
}
