package discord

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Intents are the gateway events the bot asks for: guilds (so discordgo's
// state knows the guild and its roles), guild members (role changes made
// by people in Discord, for role sync; a privileged intent that must be
// switched on in the developer portal), guild messages and direct messages.
const Intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMembers |
	discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages

// NewSession returns a discordgo session for the bot token whose REST (and
// so gateway discovery) goes to apiURL instead of Discord's own
// https://discord.com/api/v9/, by a custom http.Client transport on
// Session.Client that rewrites scheme, host and path prefix — discordgo's
// package-level endpoint variables are never touched, so sessions for
// different APIs (a test's fake, a rate-limit proxy) can live in one
// process. apiURL "" means Discord's own. The gateway URL then comes from
// that API's GET /gateway (discordgo calls it on Open) and is dialled as
// given: a fake or proxy answers with its own websocket address.
//
// token is the bot token from the developer portal; the "Bot " prefix
// Discord wants in the Authorization header is added when missing.
func NewSession(token, apiURL string) (*discordgo.Session, error) {
	if token == "" {
		return nil, fmt.Errorf("discord session: CAMBISTA_DISCORD_TOKEN is empty")
	}
	if !strings.HasPrefix(token, "Bot ") && !strings.HasPrefix(token, "Bearer ") {
		token = "Bot " + token
	}
	s, err := discordgo.New(token)
	if err != nil {
		return nil, fmt.Errorf("discord session: %w", err)
	}
	var transport http.RoundTripper = http.DefaultTransport
	if apiURL != "" {
		to, err := parseAPIURL(apiURL)
		if err != nil {
			return nil, err
		}
		from, err := url.Parse(discordgo.EndpointAPI)
		if err != nil {
			return nil, fmt.Errorf("discord session: discordgo's API endpoint %q: %w", discordgo.EndpointAPI, err)
		}
		transport = &rewrite{from: from, to: to, next: http.DefaultTransport}
	}
	// A request that hangs must not hold a rate-limit bucket forever;
	// discordgo's own default is the same 20 seconds.
	// The limiter keeps calls within Discord's limits (ratelimit.go).
	s.Client = &http.Client{Timeout: 20 * time.Second, Transport: newLimiter(transport, DefaultRESTBudget)}
	s.Identify.Intents = Intents
	// Payload compression stays on (discordgo's default, compress: true
	// in IDENTIFY): READY and GUILD_CREATE of a big guild are large.
	// Discord answers 429 with how long to wait; discordgo waits and
	// retries by itself, so a burst of notices slows down instead of
	// failing. MaxRestRetries bounds discordgo's retries of 502 Bad
	// Gateway, which Discord's edge returns now and then. Other 5xx are
	// returned to the caller, whose outbox retries them later.
	s.ShouldRetryOnRateLimit = true
	s.MaxRestRetries = 3
	// discordgo reconnects and resumes the gateway after a dropped
	// connection; without this, the bot would go deaf until restarted.
	s.ShouldReconnectOnError = true
	// The bot reads roles from events and REST, never from discordgo's
	// member cache, which would hold every member of the guild and is
	// racy: an update is copied into the cached member that an earlier
	// event's handler may still be reading (found with -race).
	s.State.TrackMembers = false
	// Handlers get the gateway's events one at a time, in the order
	// Discord sent them, on the session's reading goroutine (discordgo
	// otherwise starts a goroutine per event, and a member's updates
	// could be handled out of order). So a handler must not block: the
	// bot's hand their work to goroutines of their own.
	s.SyncEvents = true
	s.State.TrackPresences = false
	return s, nil
}

// OpenSession opens the session's gateway connection, again after
// CloseSession if need be: it turns reconnection back on.
func OpenSession(s *discordgo.Session) error {
	s.ShouldReconnectOnError = true
	return s.Open()
}

// CloseSession closes the session's gateway connection, for good unless
// OpenSession opens it again. It turns reconnection off first: discordgo
// v0.29.0's heartbeat races its own Close (a heartbeat written after the
// close frame fails, and the heartbeat goroutine then reconnects), so a
// plain Close can leave the session reconnecting, or trying to, after it
// was closed.
func CloseSession(s *discordgo.Session) error {
	s.ShouldReconnectOnError = false
	return s.Close()
}

// parseAPIURL checks that apiURL is an absolute http(s) URL and returns it
// with a trailing slash, the form discordgo's endpoints have.
func parseAPIURL(apiURL string) (*url.URL, error) {
	u, err := url.Parse(apiURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("CAMBISTA_DISCORD_API_URL %q: want an absolute http or https URL of a Discord REST API, such as https://discord.com/api/v9/", apiURL)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	return u, nil
}

// rewrite sends requests for Discord's API (from) to another base URL (to),
// keeping the rest of the path and the query; other hosts, such as the CDN,
// pass through unchanged.
type rewrite struct {
	from, to *url.URL
	next     http.RoundTripper
}

func (rt *rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	u := req.URL
	if u.Scheme != rt.from.Scheme || u.Host != rt.from.Host || !strings.HasPrefix(u.EscapedPath(), rt.from.EscapedPath()) {
		return rt.next.RoundTrip(req)
	}
	rest := strings.TrimPrefix(u.EscapedPath(), rt.from.EscapedPath())
	to, err := url.Parse(rt.to.Scheme + "://" + rt.to.Host + rt.to.EscapedPath() + rest)
	if err != nil {
		return nil, fmt.Errorf("rewrite %s for %s: %w", u, rt.to, err)
	}
	to.RawQuery = u.RawQuery
	// A RoundTripper must not modify the request it was given.
	out := req.Clone(req.Context())
	out.URL = to
	out.Host = ""
	return rt.next.RoundTrip(out)
}
