// Package discordtest is a fake Discord for tests: one loopback server that
// speaks enough of Discord's REST API (v9, JSON and multipart) and gateway
// (JSON, with discordgo's per-message zlib compression) for the real
// discordgo library to connect, identify, heartbeat, resume, receive
// events and call the endpoints cambista uses. It keeps the state a person
// would see — messages with their embeds, components and attachments,
// members and their roles — so tests assert on that instead of on calls,
// and records every call for the cases where the call itself matters.
//
// Use it with discord.NewSession(discordtest.Token, s.APIURL()).
package discordtest

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/cambista/cambista/discord/wire"
)

// The fake's fixed identities. The bot user ID differs from the
// application ID (as it does for older Discord applications) so that code
// using one where the other belongs fails in tests.
const (
	Token     = "fake-bot-token"
	AppID     = "1100000000000000001"
	GuildID   = "1100000000000000002"
	BotUserID = "1100000000000000003"
	BotName   = "cambista"
	GuildName = "Cambista Test"
)

// Option configures a Server.
type Option func(*Server)

// WithHeartbeatInterval sets the interval sent in HELLO. discordgo
// heartbeats once on connecting and then every interval; the default, 1s,
// keeps its ACK timeout (five intervals) far from a busy test machine's
// delays. discordgo v0.29.0's heartbeat races its own Close: a tick just
// as the connection closes makes it reconnect once more, so a test that
// counts reconnections should set a long interval.
func WithHeartbeatInterval(d time.Duration) Option {
	return func(s *Server) { s.heartbeat = d }
}

// WithToken sets the bot token the fake accepts instead of Token.
func WithToken(token string) Option {
	return func(s *Server) { s.token = token }
}

// WithListener serves the fake on l (closed with it) rather than on a
// loopback port of its choosing: a load generator's fake must be where the
// processes it loads were told to find Discord.
func WithListener(l net.Listener) Option {
	return func(s *Server) { s.listener = l }
}

// WithoutMemberEcho stops the fake from dispatching GUILD_MEMBER_UPDATE
// after the bot changes a member's roles over REST, which Discord does
// (to sessions with the guild members intent) and so the fake does by
// default.
func WithoutMemberEcho() Option {
	return func(s *Server) { s.echoMembers = false }
}

// Server is a fake Discord. All its methods are safe for concurrent use.
type Server struct {
	srv         *httptest.Server
	token       string
	heartbeat   time.Duration
	echoMembers bool
	listener    net.Listener // where to serve; a loopback port when nil
	upgrader    websocket.Upgrader

	ids wire.IDs

	// mu guards the REST state (st), the call log, the holds and the
	// count of calls they hold.
	mu    sync.Mutex
	st    state
	holds []*hold
	held  int

	// gmu guards the gateway: sessions, connections, pending dispatches.
	// Lock order: gmu before mu, never the reverse.
	gmu sync.Mutex
	gw  gateway

	// nmu guards changed, closed and replaced on every change so
	// that Wait can sleep until something happens.
	nmu     sync.Mutex
	changed chan struct{}

	wg sync.WaitGroup // websocket connections being served
}

// New starts a fake Discord on 127.0.0.1, closed when the test ends.
func New(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s := Start(opts...)
	tb.Cleanup(s.Close)
	return s
}

// Start starts a fake Discord on 127.0.0.1 (or WithListener's listener)
// outside a test, for a load generator (cambista loadtest); the caller
// closes it.
func Start(opts ...Option) *Server {
	s := &Server{
		token:       Token,
		heartbeat:   time.Second,
		echoMembers: true,
		changed:     make(chan struct{}),
	}
	s.st.init()
	s.gw.init()
	for _, o := range opts {
		o(s)
	}
	mux := http.NewServeMux()
	mux.Handle(apiPrefix, http.HandlerFunc(s.serveREST))
	mux.HandleFunc("/gateway/ws", s.serveGateway)
	// discordgo adds a slash to the URL from GET /gateway before its query.
	mux.HandleFunc("/gateway/ws/", s.serveGateway)
	mux.HandleFunc("GET /attachments/{id}/{name}", s.serveAttachment)
	// Set before serving: the handlers read it, and a client in another
	// process gives the race detector no order between the two.
	s.srv = httptest.NewUnstartedServer(mux)
	if s.listener != nil {
		s.srv.Listener.Close()
		s.srv.Listener = s.listener
	}
	s.srv.Start()
	return s
}

// URL is the server's base URL, http://127.0.0.1:PORT.
func (s *Server) URL() string { return s.srv.URL }

// APIURL is the REST API's base URL, to pass to discord.NewSession.
func (s *Server) APIURL() string { return s.srv.URL + apiPrefix }

// GatewayURL is the websocket URL that GET /gateway returns.
func (s *Server) GatewayURL() string { return "ws" + s.srv.URL[len("http"):] + "/gateway/ws" }

// Close closes every gateway connection, stops the server and waits for
// its goroutines. Close any discordgo session first: one still open
// would keep trying to reconnect to a server that is gone.
func (s *Server) Close() {
	s.gmu.Lock()
	if s.gw.closed {
		s.gmu.Unlock()
		return
	}
	s.gw.closed = true
	for c := range s.gw.conns {
		c.ws.Close()
	}
	s.gmu.Unlock()
	// The server waits for the calls in flight, held ones included.
	s.mu.Lock()
	holds := s.holds
	s.holds = nil
	s.mu.Unlock()
	for _, h := range holds {
		h.release()
	}
	s.srv.Close()
	s.wg.Wait()
}

// OpenSession opens dg's gateway connection, waits for the fake to have
// sent READY, and closes dg when the test ends (before the server closes,
// as cleanups run last-in first-out).
func (s *Server) OpenSession(tb testing.TB, dg *discordgo.Session) {
	tb.Helper()
	if err := dg.Open(); err != nil {
		tb.Fatalf("open discordgo session on the fake: %v", err)
	}
	tb.Cleanup(func() {
		// discordgo v0.29.0's heartbeat races its own Close: a heartbeat
		// written after the close frame fails and reconnects, to a fake
		// about to close. A session closed for good must not reconnect.
		dg.ShouldReconnectOnError = false
		dg.Close()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.WaitReady(ctx); err != nil {
		tb.Fatalf("wait for READY: %v", err)
	}
}

// notify wakes everyone in Wait. Callers may hold mu or gmu.
func (s *Server) notify() {
	s.nmu.Lock()
	close(s.changed)
	s.changed = make(chan struct{})
	s.nmu.Unlock()
}

// Wait blocks until cond returns true or ctx ends. cond is checked after
// every change to the fake's state, and every 10ms for conditions on
// anything else (what a handler saw). cond may call the Server's methods.
func (s *Server) Wait(ctx context.Context, cond func() bool) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		s.nmu.Lock()
		ch := s.changed
		s.nmu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ch:
		case <-tick.C:
		}
	}
}

// NewID returns a new snowflake, later than every one before it.
func (s *Server) NewID() string { return s.ids.Next() }
