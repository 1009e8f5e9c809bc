package main

import (
	"context"
	"fmt"
	"net/netip"
	"net/url"
	"strings"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/web"
)

// Web serves HTTP (the admin panel, health and metrics) without the bot
// and its background jobs: the web role of a deployment split into
// processes that share one PostgreSQL database.
func (m *Main) Web(ctx context.Context) int { return m.serve(ctx, false) }

// mountPanel adds the admin panel to the server and, while no superuser has
// ever logged in to it, logs the one-time login link of the first
// bootstrap superuser.
func (m *Main) mountPanel(ctx context.Context, srv *web.Server) error {
	c := m.Config
	panel, err := web.NewPanel(m.App, web.PanelConfig{
		PublicURL: c.PublicURL, DiscordOAuthURL: c.DiscordOAuthURL,
		ClientID: c.DiscordClientID, ClientSecret: c.DiscordSecret,
		TrustedProxies: c.TrustedProxies,
	}, m.Log)
	if err != nil {
		return err
	}
	panel.Mount(srv)
	link, err := panel.BootstrapLink(ctx)
	if err != nil {
		return fmt.Errorf("panel bootstrap link: %w", err)
	}
	switch {
	case link != "":
		m.Log.Info("first login to the admin panel: open this one-time link within 15 minutes (a restart prints a new one)", "url", link)
	case !m.App.HasBootstrap():
		m.Log.Warn("no bootstrap superuser: set CAMBISTA_BOOTSTRAP_SUPERUSER to your Discord user ID (or pass --bootstrap-superuser) and restart; cambista then prints a one-time login link to the admin panel here")
	}
	if c.DiscordClientID == "" {
		m.Log.Info("panel login with Discord off: set CAMBISTA_DISCORD_CLIENT_ID and CAMBISTA_DISCORD_CLIENT_SECRET (see README, Panel)")
	}
	return nil
}

func (c *Config) validatePanel() error {
	u, err := url.Parse(c.PublicURL)
	if c.PublicURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.Trim(u.Path, "/") != "" || u.RawQuery != "") {
		return fmt.Errorf("CAMBISTA_PUBLIC_URL=%q: expected the panel's address as browsers reach it, such as https://panel.example.com or http://127.0.0.1:8080, without a path", c.PublicURL)
	}
	u, err = url.Parse(c.DiscordOAuthURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("CAMBISTA_DISCORD_OAUTH_URL=%q: expected an http(s) URL such as https://discord.com", c.DiscordOAuthURL)
	}
	if c.DiscordClientID != "" && cambista.ValidateUserID(cambista.UserID(c.DiscordClientID)) != nil {
		return fmt.Errorf("CAMBISTA_DISCORD_CLIENT_ID=%q: expected the application's numeric client ID from the Discord developer portal (OAuth2 page)", c.DiscordClientID)
	}
	if (c.DiscordClientID == "") != (c.DiscordSecret == "") {
		return fmt.Errorf("CAMBISTA_DISCORD_CLIENT_ID and CAMBISTA_DISCORD_CLIENT_SECRET go together: set both for login with Discord, or neither")
	}
	c.TrustedProxies = nil
	for _, p := range strings.Split(c.proxiesText, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			a, aerr := netip.ParseAddr(p)
			if aerr != nil {
				return fmt.Errorf("CAMBISTA_TRUSTED_PROXIES: %q is neither an address nor a network; expected addresses or CIDR networks separated by commas, such as 10.0.0.0/8,127.0.0.1", p)
			}
			prefix = netip.PrefixFrom(a, a.BitLen())
		}
		c.TrustedProxies = append(c.TrustedProxies, prefix.Masked())
	}
	return nil
}
