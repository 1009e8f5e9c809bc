package main

import (
	"context"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/discord"
	"github.com/cambista/cambista/jobs"
	"github.com/cambista/cambista/notion"
	"github.com/cambista/cambista/playground"
	"github.com/cambista/cambista/web"
)

// startDiscord connects the bot as configured: in gateway mode it readies
// the bot to answer interactions from the websocket session, under ctx,
// and leaves the session to be opened while the process leads the gateway
// role (gateway); in http mode it mounts the signed interactions endpoint
// on the web server and uses REST only. Both register the commands. In
// playground mode the bot is connected to the stand-in for Discord
// (startPlayground). It returns the session and the bot, or nils when the
// bot is off.
func (m *Main) startDiscord(ctx context.Context, srv *web.Server, addr net.Addr) (*discordgo.Session, *discord.Bot, error) {
	c := m.Config
	switch c.DiscordMode {
	case "off":
		m.Log.Info("Discord bot off: set CAMBISTA_DISCORD_TOKEN and CAMBISTA_DISCORD_APP_ID to connect it (see README, Connect to Discord); the HTTP server runs without it")
		return nil, nil, nil
	case "playground":
		return m.startPlayground(ctx, srv, addr)
	}
	s, err := discord.NewSession(c.DiscordToken, c.DiscordAPIURL)
	if err != nil {
		return nil, nil, err
	}
	discord.SetRESTBudget(s, c.DiscordBudget)
	bot := discord.New(m.App, s, discord.Config{AppID: c.DiscordAppID, GuildID: c.DiscordGuildID, DefaultLang: c.DiscordLang, CDNURL: c.DiscordCDNURL}, m.Log)
	m.Registry.MustRegister(bot.Metrics()...)
	switch c.DiscordMode {
	case "gateway":
		bot.Serve(ctx)
		bot.WatchMembers(ctx)
	case "http":
		srv.Handle("POST /discord/interactions", bot.HTTPHandler(c.DiscordPublicKey))
	}
	if err := bot.RegisterCommands(); err != nil {
		discord.CloseSession(s)
		return nil, nil, fmt.Errorf("register Discord commands: %w", err)
	}
	m.Log.Info("Discord bot on", "mode", c.DiscordMode, "guild", c.DiscordGuildID)
	return s, bot, nil
}

// startPlayground starts the stand-in for Discord and connects the bot to
// it the way it connects to Discord in http mode: the stand-in signs each
// interaction and posts it to the bot's interactions endpoint, and the
// session's REST calls go to the stand-in's API in the process. The page is
// mounted at /playground.
func (m *Main) startPlayground(ctx context.Context, srv *web.Server, addr net.Addr) (*discordgo.Session, *discord.Bot, error) {
	c := m.Config
	pg, err := playground.New(playground.Config{App: m.App, Log: m.Log, Lang: c.DiscordLang})
	if err != nil {
		return nil, nil, err
	}
	s, err := discord.NewSession(pg.Token(), "")
	if err != nil {
		return nil, nil, err
	}
	s.Client.Transport = pg.Transport()
	c.DiscordAppID, c.DiscordGuildID = playground.AppID, playground.GuildID
	bot := discord.New(m.App, s, discord.Config{AppID: c.DiscordAppID, GuildID: c.DiscordGuildID, DefaultLang: c.DiscordLang, CDNURL: c.DiscordCDNURL}, m.Log)
	pg.Connect(bot.HTTPHandler(pg.PublicKey()))
	if err := bot.RegisterCommands(); err != nil {
		return nil, nil, fmt.Errorf("register the commands in the playground: %w", err)
	}
	if err := pg.Start(ctx); err != nil {
		return nil, nil, err
	}
	h := pg.Handler()
	for _, pattern := range []string{"GET /playground", "GET /playground/", "POST /playground/"} {
		srv.Handle(pattern, h)
	}
	m.playground = pg
	m.Log.Info("no Discord token: the bot runs in the playground, a stand-in for Discord in the browser", "url", "http://"+addr.String()+"/playground")
	return s, bot, nil
}

// outboxWorker delivers the outbox (messages, DMs, role changes) through
// s; stopped, it finishes the delivery in flight. It acts as the system: it
// reads what it announces, whoever it belongs to.
func (m *Main) outboxWorker(s *discordgo.Session) part {
	// Commits with outbox rows wake it, in this process or (PostgreSQL)
	// in any other; it polls besides.
	wake, stopWake := m.Store.OutboxWakeups()
	w := jobs.New(m.App, s, jobs.Config{GuildID: m.Config.DiscordGuildID, DefaultLang: m.Config.DiscordLang, Wake: wake}, m.Log, m.Registry)
	if m.Config.NotionDatabases != nil {
		w.DeliverNotion(jobs.NotionConfig{Client: notion.New(m.Config.NotionAPIURL, m.Config.NotionToken, 0), Databases: m.Config.NotionDatabases})
	}
	return part{name: "outbox worker", run: func(ctx context.Context) error {
		defer stopWake()
		w.Run(cambista.WithActor(ctx, cambista.SystemActor))
		return nil
	}, stop: w.Shutdown}
}

// Worker runs only the outbox delivery, for deployments that split the bot,
// the web panel and the workers into processes.
func (m *Main) Worker(ctx context.Context) int {
	if err := m.open(ctx); err != nil {
		return m.fail(err)
	}
	if err := m.Store.CheckSchema(ctx); err != nil {
		return m.fail(err)
	}
	if m.Config.DiscordToken == "" {
		return m.fail(fmt.Errorf("cambista worker needs CAMBISTA_DISCORD_TOKEN to deliver to Discord"))
	}
	s, err := discord.NewSession(m.Config.DiscordToken, m.Config.DiscordAPIURL)
	if err != nil {
		return m.fail(err)
	}
	discord.SetRESTBudget(s, m.Config.DiscordBudget)
	metricsParts, _, err := m.metricsServer(web.NewServer(m.Store, m.Registry, m.Log))
	if err != nil {
		return m.fail(err)
	}
	m.Log.Info("delivering the outbox")
	if err := m.Run(ctx, append([]part{m.outboxWorker(s), m.auditSealer()}, metricsParts...)...); err != nil {
		return m.fail(err)
	}
	return 0
}

// The roles that one process at a time holds among those sharing a
// PostgreSQL schema (store.Lead).
const (
	// roleScheduler runs the periodic jobs.
	roleScheduler = "scheduler"
	// roleGateway holds the Discord gateway session: two sessions would
	// each receive, and answer, every interaction.
	roleGateway = "gateway"
)

// lead runs work while this process holds role's lock, and contends for
// it again when the lock is lost; an error of work stops the program.
func (m *Main) lead(name, role string, work func(ctx context.Context) error) part {
	return part{name: name, run: func(ctx context.Context) error { return m.Store.Lead(ctx, role, work) }}
}

// gateway holds the Discord gateway session while this process leads the
// gateway role; the other processes in gateway mode stand by, serving HTTP
// and delivering the outbox, and one of them opens the session when the
// leader dies.
func (m *Main) gateway(s *discordgo.Session) part {
	return m.lead("Discord gateway", roleGateway, func(ctx context.Context) error {
		if err := discord.OpenSession(s); err != nil {
			return fmt.Errorf("connect to the Discord gateway: %w", err)
		}
		m.Log.Info("Discord gateway session open")
		<-ctx.Done()
		return discord.CloseSession(s)
	})
}

// scheduler runs the periodic jobs while this process leads the scheduler
// role: the expiry of transfers that waited too long, and the liquidity
// and exposure alerts every CAMBISTA_ALERT_INTERVAL. Each is idempotent,
// so the moment two leaders may overlap (store.Lead) does no harm; one
// leader keeps the work and its load in one place. The audit sealer is not
// among them: every process seals what it commits, under the chain's own
// lock (store.Seal).
func (m *Main) scheduler() part {
	alerts := jobs.NewAlertWatch(m.App, m.Config.AlertInterval, m.Log)
	return m.lead("scheduler", roleScheduler, func(ctx context.Context) error {
		ctx = cambista.WithActor(ctx, cambista.SystemActor)
		var wg sync.WaitGroup
		wg.Go(func() { m.expireLoop(ctx) })
		wg.Go(func() { alerts.Run(ctx) })
		wg.Go(func() { m.partitionLoop(ctx) })
		wg.Wait()
		return nil
	})
}

// expireLoop marks transfers that waited too long as expired, at once and
// then once a minute, until ctx ends.
func (m *Main) expireLoop(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		if n, err := m.App.ExpireTransfers(ctx); err != nil && ctx.Err() == nil {
			m.Log.Warn("expiring transfers failed", "err", err)
		} else if n > 0 {
			m.Log.Info("transfers expired", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// notionMirrored is the set of entities that have a Notion database.
func notionMirrored(dbs map[string]string) map[string]bool {
	out := map[string]bool{}
	for entity := range dbs {
		out[entity] = true
	}
	return out
}

// RolesReconcile compares every guild member's Discord roles with the app
// roles and fixes Discord to match.
func (m *Main) RolesReconcile(ctx context.Context) int {
	if err := m.open(ctx); err != nil {
		return m.fail(err)
	}
	if err := m.Store.CheckSchema(ctx); err != nil {
		return m.fail(err)
	}
	c := m.Config
	if c.DiscordToken == "" || c.DiscordGuildID == "" {
		return m.fail(fmt.Errorf("roles reconcile needs CAMBISTA_DISCORD_TOKEN, CAMBISTA_DISCORD_APP_ID and CAMBISTA_DISCORD_GUILD_ID"))
	}
	s, err := discord.NewSession(c.DiscordToken, c.DiscordAPIURL)
	if err != nil {
		return m.fail(err)
	}
	bot := discord.New(m.App, s, discord.Config{AppID: c.DiscordAppID, GuildID: c.DiscordGuildID, DefaultLang: c.DiscordLang, CDNURL: c.DiscordCDNURL}, m.Log)
	m.Registry.MustRegister(bot.Metrics()...)
	drift, err := bot.Reconcile(ctx)
	for _, d := range drift {
		verb := "removed extra"
		if d.Add {
			verb = "added missing"
		}
		fmt.Fprintf(m.Stdout, "%s Discord role %s (%s) for user %s\n", verb, d.DiscordRoleID, d.Role, d.UserID)
	}
	if err != nil {
		return m.fail(err)
	}
	fmt.Fprintf(m.Stdout, "ok: %d roles fixed\n", len(drift))
	return 0
}
