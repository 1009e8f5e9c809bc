package discord_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista/discord"
	"github.com/cambista/cambista/discord/discordtest"
)

func TestNewSession(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		fake := discordtest.New(t, discordtest.WithHeartbeatInterval(100*time.Millisecond))
		s, err := discord.NewSession(discordtest.Token, fake.APIURL())
		if err != nil {
			t.Fatal(err)
		}
		if s.Token != "Bot "+discordtest.Token {
			t.Fatalf("token %q, want the Bot prefix added", s.Token)
		}
		ready := make(chan *discordgo.Ready, 1)
		s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { ready <- r })
		opened := time.Now().UTC()
		if err := s.Open(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })

		if calls := fake.CallsTo("GET", "/gateway"); len(calls) != 1 || calls[0].Status != 200 {
			t.Fatalf("gateway discovery calls %+v, want one GET /gateway on the fake", calls)
		}
		select {
		case r := <-ready:
			if r.User.ID != discordtest.BotUserID || r.SessionID == "" {
				t.Fatalf("READY %+v", r)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no READY")
		}
		if s.State.User == nil || s.State.User.ID != discordtest.BotUserID || !s.State.User.Bot {
			t.Fatalf("state user %+v, want the bot", s.State.User)
		}
		ids := fake.Received(discordtest.OpIdentify)
		if len(ids) != 1 {
			t.Fatalf("%d IDENTIFYs", len(ids))
		}
		var id struct {
			Token    string           `json:"token"`
			Intents  discordgo.Intent `json:"intents"`
			Compress bool             `json:"compress"`
		}
		if err := json.Unmarshal(ids[0].Data, &id); err != nil {
			t.Fatal(err)
		}
		if id.Intents != discord.Intents || id.Token != "Bot "+discordtest.Token {
			t.Fatalf("IDENTIFY intents %d token %q, want %d and the bot token", id.Intents, id.Token, discord.Intents)
		}
		// discordgo asks for payload compression, so the fake sent
		// READY and what followed zlib-compressed, and it read them.
		if !id.Compress {
			t.Fatal("IDENTIFY without compress: the fake's compressed frames went untested")
		}

		// Many heartbeat intervals pass: discordgo would reconnect
		// after five without an ACK, so one session throughout means
		// the ACKs arrived.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := fake.Wait(ctx, func() bool { return fake.Heartbeats() >= 8 }); err != nil {
			t.Fatalf("%d heartbeats: %v", fake.Heartbeats(), err)
		}
		s.RLock()
		ack := s.LastHeartbeatAck
		s.RUnlock()
		if !ack.After(opened) {
			t.Fatalf("last heartbeat ACK at %v, before the session opened at %v", ack, opened)
		}
		if n := len(fake.Received(discordtest.OpIdentify)) + len(fake.Received(discordtest.OpResume)); n != 1 || !fake.Connected() {
			t.Fatalf("%d identifies and resumes, connected %v: the session did not stay up", n, fake.Connected())
		}

		m, err := s.ChannelMessageSend("800", "Hola")
		if err != nil {
			t.Fatal(err)
		}
		msgs := fake.Messages("800")
		if len(msgs) != 1 || msgs[0].ID != m.ID || msgs[0].Content != "Hola" {
			t.Fatalf("fake channel shows %+v, want the message sent (ID %s)", msgs, m.ID)
		}
	})

	t.Run("NoTrailingSlash", func(t *testing.T) {
		t.Parallel()
		fake := discordtest.New(t)
		s, err := discord.NewSession("Bot "+discordtest.Token, strings.TrimSuffix(fake.APIURL(), "/"))
		if err != nil {
			t.Fatal(err)
		}
		if s.Token != "Bot "+discordtest.Token {
			t.Fatalf("token %q, want the prefix once", s.Token)
		}
		u, err := s.User("@me")
		if err != nil || u.ID != discordtest.BotUserID {
			t.Fatalf("GET /users/@me = %+v, %v", u, err)
		}
		if calls := fake.CallsTo("GET", "/users/@me"); len(calls) != 1 {
			t.Fatalf("calls %+v", fake.Calls())
		}
	})

	t.Run("ErrInvalidAPIURL", func(t *testing.T) {
		for _, u := range []string{"discord.com/api/v9/", "/api/v9/", "ftp://example.com/api/", "http://", "http://example.com/api?x=1", "mailto:bot@example.com", "http://[::1"} {
			_, err := discord.NewSession("token", u)
			if err == nil {
				t.Errorf("NewSession(%q): want an error", u)
				continue
			}
			if msg := err.Error(); !strings.Contains(msg, "CAMBISTA_DISCORD_API_URL") || !strings.Contains(msg, "https://discord.com/api/v9/") {
				t.Errorf("NewSession(%q) error %q, want it to name CAMBISTA_DISCORD_API_URL and the expected form", u, msg)
			}
		}
	})

	t.Run("DiscordByDefault", func(t *testing.T) {
		s, err := discord.NewSession("token", "")
		if err != nil {
			t.Fatal(err)
		}
		if tr := discord.Unlimited(s.Client.Transport); tr != nil && tr != http.DefaultTransport {
			t.Fatalf("transport %T, want requests to go to Discord unchanged", tr)
		}
		if !s.ShouldRetryOnRateLimit || s.MaxRestRetries != 3 || s.Identify.Intents != discord.Intents || s.State.TrackMembers {
			t.Fatalf("options: retry on rate limit %v, max retries %d, intents %d, member cache %v",
				s.ShouldRetryOnRateLimit, s.MaxRestRetries, s.Identify.Intents, s.State.TrackMembers)
		}
	})
}
