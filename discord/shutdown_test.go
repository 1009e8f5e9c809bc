package discord_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/discord"
	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestShutdownJoinsFollowups: in http mode a reply with a file is sent as a
// follow-up after the HTTP answer. Shutdown waits for that follow-up; when
// its context ends first, it cancels the follow-up and returns only once
// the follow-up has stopped. A file reply asked for after Shutdown gets a
// message to try again.
func TestShutdownJoinsFollowups(t *testing.T) {
	t.Run("Waits", func(t *testing.T) {
		b := newFileBot(t)
		release := b.fake.Hold("POST", "/webhooks/")
		i := b.statement()
		b.waitHeld()
		done := make(chan error, 1)
		go func() { done <- b.bot.Shutdown(t.Context()) }()
		release()
		if err := <-done; err != nil {
			t.Fatalf("Shutdown: %v", err)
		}
		if m, ok := b.fake.Original(i.ID); !ok || len(m.Attachments) != 1 {
			t.Fatalf("follow-up after Shutdown: %+v %v; want the statement with its file", m, ok)
		}
	})
	t.Run("CancelsWhenTimeIsUp", func(t *testing.T) {
		b := newFileBot(t)
		b.fake.Hold("POST", "/webhooks/")
		b.statement()
		b.waitHeld()
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if err := b.bot.Shutdown(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("Shutdown with its time up: %v, want context.Canceled", err)
		}
		// The follow-up logs its failure before it ends, so the log line is
		// there once Shutdown has waited for it.
		if logs := b.logs(); !strings.Contains(logs, "follow-up with file failed") {
			t.Fatalf("Shutdown returned before the follow-up stopped; logs:\n%s", logs)
		}
		if r := b.post(b.fake.Command(string(apptest.Boot), generalChannel, statementCommand)); r.Type != discordgo.InteractionResponseChannelMessageWithSource || !strings.Contains(text(r), "try again") {
			t.Fatalf("a file reply after Shutdown: %+v, want a message to try again", r)
		}
	})
}

var statementCommand = discordgo.ApplicationCommandInteractionData{Name: "statement", Options: []*discordgo.ApplicationCommandInteractionDataOption{opt("currency", "USD")}}

// fileBot is a bot on the HTTP interactions endpoint, with its logs.
type fileBot struct {
	t       *testing.T
	fake    *discordtest.Server
	dg      *discordgo.Session
	bot     *discord.Bot
	http    *httptest.Server
	sig     *signer
	logFile string
}

func newFileBot(t *testing.T) *fileBot {
	t.Helper()
	s := storetest.Open(t, "sqlite", store.Options{})
	e := apptest.Business(t, s)
	b := &fileBot{t: t, fake: discordtest.New(t), sig: newSigner(t), logFile: filepath.Join(t.TempDir(), "bot.log")}
	var err error
	if b.dg, err = discord.NewSession(discordtest.Token, b.fake.APIURL()); err != nil {
		t.Fatal(err)
	}
	// A file, so that the test reads what the bot's goroutines wrote
	// without sharing a buffer with them.
	logs, err := os.Create(b.logFile)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logs.Close() })
	b.bot = discord.New(e.Svc, b.dg, discord.Config{AppID: discordtest.AppID, GuildID: discordtest.GuildID}, slog.New(slog.NewTextHandler(logs, nil)))
	if err := b.bot.RegisterCommands(); err != nil {
		t.Fatal(err)
	}
	b.http = httptest.NewServer(b.bot.HTTPHandler(b.sig.pub))
	t.Cleanup(b.http.Close)
	b.fake.AddMember(string(apptest.Boot), "boot")
	return b
}

// statement asks for the superuser's USD statement, which comes with a
// file: the HTTP answer is "thinking…", and the follow-up is on its way.
func (b *fileBot) statement() *discordgo.Interaction {
	b.t.Helper()
	i := b.fake.Command(string(apptest.Boot), generalChannel, statementCommand)
	r := b.post(i)
	if r.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		b.t.Fatalf("answer to a file reply: type %d, want deferred", r.Type)
	}
	// Discord takes the endpoint's answer as the interaction's callback;
	// until then it refuses follow-ups.
	if err := b.dg.InteractionRespond(i, r); err != nil {
		b.t.Fatal(err)
	}
	return i
}

func (b *fileBot) post(i *discordgo.Interaction) *discordgo.InteractionResponse {
	b.t.Helper()
	body, err := json.Marshal(discordtest.Wire(i))
	if err != nil {
		b.t.Fatal(err)
	}
	code, resp := post(b.t, b.sig.request(b.t, b.http.URL, body))
	if code != 200 {
		b.t.Fatalf("interaction endpoint: %d %s", code, resp)
	}
	return decodeResponse(b.t, resp)
}

// waitHeld waits until the follow-up has reached the fake and is held.
func (b *fileBot) waitHeld() {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.t.Context(), 10*time.Second)
	defer cancel()
	if err := b.fake.Wait(ctx, func() bool { return b.fake.Held() == 1 }); err != nil {
		b.t.Fatalf("no follow-up held: %v", err)
	}
}

// logs returns what the bot has logged.
func (b *fileBot) logs() string {
	b.t.Helper()
	out, err := os.ReadFile(b.logFile)
	if err != nil {
		b.t.Fatal(err)
	}
	return string(out)
}
