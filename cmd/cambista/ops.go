package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/ops"
	"github.com/cambista/cambista/web"
)

// registerBusiness adds the business gauges to the registry, read through
// the use cases as the system at scrape time.
func (m *Main) registerBusiness(ctx context.Context) {
	sys := cambista.WithActor(context.WithoutCancel(ctx), cambista.SystemActor)
	m.Registry.MustRegister(ops.New(sys, m.App, ops.Config{PendingTTL: m.Config.PendingTTL, Logger: m.Log}))
}

// metricsServer listens on CAMBISTA_METRICS_ADDR and returns the part
// that serves the probes and /metrics there, or no part when the setting
// is empty (the main listener serves them). The caller closes the listener
// if it does not run the part.
func (m *Main) metricsServer(srv *web.Server) ([]part, net.Listener, error) {
	if m.Config.MetricsAddr == "" {
		return nil, nil, nil
	}
	ln, err := net.Listen("tcp", m.Config.MetricsAddr)
	if err != nil {
		return nil, nil, fmt.Errorf("listen on CAMBISTA_METRICS_ADDR=%s: %w", m.Config.MetricsAddr, err)
	}
	m.MetricsAddr = ln.Addr()
	hs := web.NewHTTPServer(srv.OpsHandler(), srv.Limits, slog.NewLogLogger(m.Log.Handler(), slog.LevelWarn))
	m.Log.Info("serving metrics and probes", "addr", "http://"+ln.Addr().String())
	return []part{httpPart("metrics server", hs, ln)}, ln, nil
}
