package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/audit"
	"github.com/cambista/cambista/discord"
	"github.com/cambista/cambista/logs"
	"github.com/cambista/cambista/playground"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/web"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Main is the program, wired by hand: configuration, logger, database,
// use cases and servers.
type Main struct {
	Config *Config
	Stdout io.Writer
	Stderr io.Writer

	Log      *slog.Logger
	Registry *prometheus.Registry
	Store    *store.Store
	App      *app.Service

	// Addr is the address the HTTP server listens on, once it does;
	// MetricsAddr the metrics listener's, when CAMBISTA_METRICS_ADDR is set.
	Addr, MetricsAddr net.Addr
	// limits are the HTTP server's; zero means web.DefaultLimits (tests
	// shorten them).
	limits web.Limits
	// playground is the stand-in for Discord, when it runs.
	playground *playground.Guild
	// ready is closed when Serve is listening.
	ready chan struct{}
}

// open builds the logger, the metrics registry, the store and the service.
func (m *Main) open(ctx context.Context) error {
	m.Log = logs.New(m.Stderr, m.Config.LogLevel, m.Config.LogFormat)
	m.Registry = prometheus.NewRegistry()
	m.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s, err := store.Open(ctx, m.Config.DB, store.Options{Metrics: store.NewMetrics(m.Registry), Logger: m.Log, ReadDSN: m.Config.DBRead})
	if err != nil {
		return err
	}
	m.Store = s
	m.App = app.New(s, app.Config{Bootstrap: m.bootstrap(), Logger: m.Log, Metrics: app.NewMetrics(m.Registry),
		QuoteTTL: m.Config.QuoteTTL, PendingTTL: m.Config.PendingTTL, Notion: notionMirrored(m.Config.NotionDatabases),
		RateConfirmPercent: m.Config.RateConfirmPercent, DepositSuperuserAbove: m.Config.DepositSuperuserAbove,
		RefundTwoSuperusersAbove: m.Config.RefundTwoSuperusersAbove})
	return nil
}

// Close releases the database.
func (m *Main) Close() {
	if m.Store != nil {
		m.Store.Close()
	}
}

func (m *Main) fail(err error) int {
	// The CLI's reader is an operator: show the cause, not the message
	// meant for a Discord user.
	var ce *cambista.Error
	if errors.As(err, &ce) && ce.Code == cambista.EINTERNAL && ce.Err != nil {
		err = ce.Err
	}
	if m.Log != nil {
		m.Log.Error("cambista failed", "err", err)
	} else {
		fmt.Fprintln(m.Stderr, "cambista:", err)
	}
	return 1
}

// Migrate brings the schema up to date.
func (m *Main) Migrate(ctx context.Context) int {
	if err := m.open(ctx); err != nil {
		return m.fail(err)
	}
	applied, err := m.Store.Migrate(ctx)
	if err != nil {
		return m.fail(err)
	}
	fmt.Fprintf(m.Stdout, "migrated %s database: %d migrations applied\n", m.Store.Dialect(), len(applied))
	return 0
}

// AuditVerify walks the audit chain: exit 0 and "ok: N events", or exit 1
// naming the first broken sequence number.
func (m *Main) AuditVerify(ctx context.Context) int {
	if err := m.open(ctx); err != nil {
		return m.fail(err)
	}
	if err := m.Store.CheckSchema(ctx); err != nil {
		return m.fail(err)
	}
	n, err := app.VerifyAudit(ctx, m.Store)
	var broken *audit.BrokenError
	if errors.As(err, &broken) {
		fmt.Fprintf(m.Stdout, "broken: sequence %d: %s (%d events verified before it)\n", broken.Seq, broken.Reason, n)
		return 1
	}
	if err != nil {
		return m.fail(err)
	}
	fmt.Fprintf(m.Stdout, "ok: %d events\n", n)
	return 0
}

// LedgerCheck runs the ledger invariant checker.
func (m *Main) LedgerCheck(ctx context.Context) int {
	if err := m.open(ctx); err != nil {
		return m.fail(err)
	}
	if err := m.Store.CheckSchema(ctx); err != nil {
		return m.fail(err)
	}
	v, err := app.CheckLedger(ctx, m.Store)
	if err != nil {
		return m.fail(err)
	}
	for _, x := range v {
		fmt.Fprintln(m.Stdout, "violation:", x)
	}
	if len(v) > 0 {
		fmt.Fprintf(m.Stdout, "broken: %d invariant violations\n", len(v))
		return 1
	}
	fmt.Fprintln(m.Stdout, "ok: per-currency sums are zero, no negative balance, cached balances match postings")
	return 0
}

// Serve migrates, bootstraps the superusers, and serves HTTP (the admin
// panel included) and the bot until ctx ends; then it stops them in order
// (Run).
func (m *Main) Serve(ctx context.Context) int { return m.serve(ctx, true) }

func (m *Main) serve(ctx context.Context, withBot bool) int {
	if withBot && m.Config.DiscordMode == "playground" {
		// The playground's owner sets the business's channels and roles
		// up with the bot's commands, as a superuser does on Discord.
		m.Config.Bootstrap = append(m.Config.Bootstrap, playground.OwnerID)
	}
	if err := m.open(ctx); err != nil {
		return m.fail(err)
	}
	m.Log.Info("starting cambista", "version", version, "config", m.Config)
	applied, err := m.Store.Migrate(ctx)
	if err != nil {
		return m.fail(err)
	}
	if len(applied) > 0 {
		m.Log.Info("database migrated", "dialect", m.Store.Dialect(), "applied", applied)
	}
	if withBot {
		m.preparePartitions(ctx)
	}
	if m.Config.Demo {
		if err := m.seedDemo(ctx); err != nil {
			return m.fail(err)
		}
	}
	if err := m.App.Bootstrap(ctx); err != nil {
		return m.fail(fmt.Errorf("bootstrap superusers: %w", err))
	}
	webServer := web.NewServer(m.Store, m.Registry, m.Log)
	m.registerBusiness(ctx)
	ln, err := net.Listen("tcp", m.Config.HTTPAddr)
	if err != nil {
		return m.fail(fmt.Errorf("listen on CAMBISTA_HTTP_ADDR=%s: %w", m.Config.HTTPAddr, err))
	}
	if m.Config.PublicURL == "" {
		// Unset: the address listened on, so that the links the process
		// prints (the first login's) reach it, whatever port it took.
		m.Config.PublicURL = publicURL(ln.Addr().(*net.TCPAddr))
	}
	if err := m.mountPanel(ctx, webServer); err != nil {
		ln.Close()
		return m.fail(err)
	}
	if m.limits != (web.Limits{}) {
		webServer.Limits = m.limits
	}
	webServer.MetricsApart = m.Config.MetricsAddr != ""
	metricsParts, metricsLn, err := m.metricsServer(webServer)
	if err != nil {
		ln.Close()
		return m.fail(err)
	}
	var session *discordgo.Session
	var bot *discord.Bot
	if withBot {
		// The bot's interactions outlive the signal: its Shutdown waits
		// for them in its turn.
		if session, bot, err = m.startDiscord(context.WithoutCancel(ctx), webServer, ln.Addr()); err != nil {
			ln.Close()
			if metricsLn != nil {
				metricsLn.Close()
			}
			return m.fail(err)
		}
	}
	if m.playground == nil {
		// Without the playground its addresses are not there, whatever
		// the method (the panel answers other GETs with its 404).
		webServer.Handle("POST /playground/", http.NotFoundHandler())
	}
	m.Addr = ln.Addr()
	errorLog := slog.NewLogLogger(m.Log.Handler(), slog.LevelWarn)
	srv := web.NewHTTPServer(webServer.Handler(), webServer.Limits, errorLog)
	if m.playground != nil {
		// The playground's live pages hold their requests open.
		srv.RegisterOnShutdown(m.playground.Close)
	}
	// Stop accepting interactions and requests, let those in flight finish,
	// stop the background work, seal the audit events it left; Close then
	// closes the store.
	var parts []part
	if session != nil && m.Config.DiscordMode == "gateway" {
		parts = append(parts, m.gateway(session))
	}
	parts = append(parts, httpPart("HTTP server", srv, ln))
	if bot != nil {
		parts = append(parts, part{name: "Discord bot", stop: bot.Shutdown}, m.outboxWorker(session))
	}
	if withBot {
		parts = append(parts, m.scheduler())
	}
	// Probes and metrics answer until the work in flight is done.
	parts = append(parts, m.auditSealer())
	parts = append(parts, metricsParts...)
	m.Log.Info("listening", "addr", "http://"+m.Addr.String())
	if m.ready != nil {
		close(m.ready)
	}
	if err := m.Run(ctx, parts...); err != nil {
		return m.fail(err)
	}
	m.Log.Info("stopped")
	return 0
}

// httpPart serves srv on ln until stopped.
func httpPart(name string, srv *http.Server, ln net.Listener) part {
	return part{name: name, run: func(context.Context) error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}, stop: srv.Shutdown}
}

// auditSealer seals the audit events committed before the stop, so that
// its failure is the program's (Close seals again, but can only log).
func (m *Main) auditSealer() part {
	return part{name: "audit sealer", stop: func(ctx context.Context) error {
		_, err := m.Store.Seal(ctx)
		return err
	}}
}
