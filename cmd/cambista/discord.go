package main

import (
	"context"
	"fmt"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/discord"
	"github.com/cambista/cambista/jobs"
	"github.com/cambista/cambista/web"
)

// startDiscord connects the bot as configured: in gateway mode it opens the
// websocket session and answers interactions from it, under ctx; in http
// mode it mounts the signed interactions endpoint on the web server and
// uses REST only. Both register the commands. It returns the session and
// the bot, or nils when the bot is off.
func (m *Main) startDiscord(ctx context.Context, srv *web.Server) (*discordgo.Session, *discord.Bot, error) {
	c := m.Config
	if c.DiscordMode == "off" {
		m.Log.Info("Discord bot off: set CAMBISTA_DISCORD_TOKEN and CAMBISTA_DISCORD_APP_ID to connect it (see README, Connect to Discord); the HTTP server runs without it")
		return nil, nil, nil
	}
	s, err := discord.NewSession(c.DiscordToken, c.DiscordAPIURL)
	if err != nil {
		return nil, nil, err
	}
	discord.SetRESTBudget(s, c.DiscordBudget)
	bot := discord.New(m.App, s, discord.Config{AppID: c.DiscordAppID, GuildID: c.DiscordGuildID, DefaultLang: c.DiscordLang}, m.Log)
	m.Registry.MustRegister(bot.Metrics()...)
	switch c.DiscordMode {
	case "gateway":
		bot.Serve(ctx)
		bot.WatchMembers(ctx)
		if err := s.Open(); err != nil {
			return nil, nil, fmt.Errorf("connect to the Discord gateway: %w", err)
		}
	case "http":
		srv.Handle("POST /discord/interactions", bot.HTTPHandler(c.DiscordPublicKey))
	}
	if err := bot.RegisterCommands(); err != nil {
		s.Close()
		return nil, nil, fmt.Errorf("register Discord commands: %w", err)
	}
	m.Log.Info("Discord bot on", "mode", c.DiscordMode, "guild", c.DiscordGuildID)
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
	m.Log.Info("delivering the outbox")
	if err := m.Run(ctx, m.outboxWorker(s), m.auditSealer()); err != nil {
		return m.fail(err)
	}
	return 0
}

// expireLoop marks transfers that waited too long as expired, once a
// minute, until ctx ends.
func (m *Main) expireLoop(ctx context.Context) error {
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
			return nil
		case <-t.C:
		}
	}
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
	bot := discord.New(m.App, s, discord.Config{AppID: c.DiscordAppID, GuildID: c.DiscordGuildID, DefaultLang: c.DiscordLang}, m.Log)
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
