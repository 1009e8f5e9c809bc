package playground_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/discord"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/playground"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// env is the business's service with the owner as a bootstrap superuser,
// and a stand-in with the bot connected as cmd connects it.
type env struct {
	svc *app.Service
	g   *playground.Guild
	srv *httptest.Server
}

func start(t *testing.T, svc *app.Service) *env {
	t.Helper()
	g, err := playground.New(playground.Config{App: svc, Lang: i18n.EN})
	if err != nil {
		t.Fatal(err)
	}
	s, err := discord.NewSession(g.Token(), "")
	if err != nil {
		t.Fatal(err)
	}
	s.Client.Transport = g.Transport()
	bot := discord.New(svc, s, discord.Config{AppID: playground.AppID, GuildID: playground.GuildID, DefaultLang: i18n.EN}, nil)
	g.Connect(bot.HTTPHandler(g.PublicKey()))
	if err := bot.RegisterCommands(); err != nil {
		t.Fatal(err)
	}
	if err := g.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(g.Handler())
	t.Cleanup(func() {
		g.Close()
		srv.Close()
		bot.Shutdown(context.Background())
	})
	return &env{svc: svc, g: g, srv: srv}
}

func service(t *testing.T, s *store.Store) *app.Service {
	return apptest.New(t, s, app.Config{Bootstrap: []cambista.UserID{playground.OwnerID}}).Svc
}

// join adds a member through the page's form and returns their ID and the
// welcome channel's.
func (e *env) join(t *testing.T, name, locale string) (as, welcome string) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(e.srv.URL+"/playground/join", url.Values{"name": {name}, "locale": {locale}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("join: %d", resp.StatusCode)
	}
	u, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("as"), u.Query().Get("c")
}

func (e *env) live(t *testing.T, as, channel string) string {
	t.Helper()
	resp, err := http.Get(e.srv.URL + "/playground/live?" + url.Values{"as": {as}, "c": {channel}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestRegisterThroughTheBot: a new member registers with the bot's command
// and form; the form refuses what Discord's client refuses, in the
// member's language; the reply is shown to them only; the business has a
// new user; and all of it survives a restart, until a reset.
func TestRegisterThroughTheBot(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := service(t, s)
		e := start(t, svc)
		as, welcome := e.join(t, "Lucía", "es-ES")

		res, err := e.g.Command(ctx, playground.Invocation{As: as, Channel: welcome, Path: []string{"register"}})
		if err != nil || res.Modal == nil || res.Modal.CustomID != "register" {
			t.Fatalf("register: %+v %v", res, err)
		}
		_, err = e.g.Submit(ctx, playground.Invocation{As: as, CustomID: "register", Fields: map[string]string{"name": " ", "phone": ""}})
		var refused *playground.ErrRefused
		if !errors.As(err, &refused) || refused.Invalid == nil || refused.Invalid.Code != "BASE_TYPE_REQUIRED" {
			t.Fatalf("an empty required input: %v", err)
		}
		if _, err := e.g.Submit(ctx, playground.Invocation{As: as, CustomID: "register", Fields: map[string]string{"name": "Lucía Díaz", "phone": ""}}); err != nil {
			t.Fatal(err)
		}
		u, err := svc.User(cambista.WithActor(ctx, cambista.SystemActor), cambista.UserID(as))
		if err != nil || u.DisplayName != "Lucía Díaz" {
			t.Fatalf("the business's user: %+v %v", u, err)
		}
		if page := e.live(t, as, welcome); !strings.Contains(page, "Lucía Díaz") || !strings.Contains(page, "Solo tú puedes ver esto") {
			t.Fatalf("the member does not see the bot's reply in Spanish:\n%s", page)
		}
		if page := e.live(t, playground.OwnerID, welcome); strings.Contains(page, "Lucía Díaz") {
			t.Fatalf("another member sees an ephemeral reply:\n%s", page)
		}

		// A new process over the same database.
		again := start(t, svc)
		if page := again.live(t, as, welcome); !strings.Contains(page, "Lucía Díaz") {
			t.Fatalf("the reply did not survive a restart:\n%s", page)
		}
		if err := again.g.Reset(ctx); err != nil {
			t.Fatal(err)
		}
		// The channels are new: the old welcome's ID shows #general.
		if page := again.live(t, as, welcome); strings.Contains(page, "<article") {
			t.Fatalf("messages survived a reset:\n%s", page)
		}
		// The business's people stay, and so the registered member.
		if page := again.live(t, as, welcome); !strings.Contains(page, `class="me">Lucía Díaz`) {
			t.Fatalf("the registered member is not in the guild after a reset:\n%s", page)
		}
	})
}

// TestRefusedBeforeTheBot: what Discord's client would not send never
// reaches the bot, and nothing shows in the channel.
func TestRefusedBeforeTheBot(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := start(t, service(t, s))
		as, welcome := e.join(t, "Ann", "en-US")
		before := e.live(t, as, welcome)
		for name, in := range map[string]playground.Invocation{
			"UnknownCommand":  {Path: []string{"fly"}},
			"MissingRequired": {Path: []string{"account", "request"}},
			"NotAnInteger":    {Path: []string{"transfer", "status"}, Options: map[string]string{"id": "seven"}},
			"NotAChoice":      {Path: []string{"config", "channel"}, Options: map[string]string{"kind": "kitchen", "channel": welcome}},
			"UnknownOption":   {Path: []string{"balance"}, Options: map[string]string{"colour": "red"}},
			"TooLong":         {Path: []string{"withdraw"}, Options: map[string]string{"amount": strings.Repeat("9", 6001), "currency": "USD"}},
		} {
			in.As, in.Channel = as, welcome
			_, err := e.g.Command(ctx, in)
			var refused *playground.ErrRefused
			if !errors.As(err, &refused) || refused.Invalid == nil {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := e.g.Click(ctx, playground.Invocation{As: as, Channel: welcome, Message: "1", CustomID: "take:1"}); err == nil {
			t.Error("a click on a message that is not there was sent")
		}
		if after := e.live(t, as, welcome); after != before {
			t.Fatalf("a refused command changed the channel:\n%s", after)
		}
	})
}

// TestRESTIsDiscords: the stand-in's API asks for the bot's token and
// refuses what Discord refuses, with Discord's errors.
func TestRESTIsDiscords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := start(t, service(t, s))
		_, welcome := e.join(t, "Ann", "en-US")
		dg, err := discord.NewSession(e.g.Token(), "")
		if err != nil {
			t.Fatal(err)
		}
		dg.Client.Transport = e.g.Transport()
		if _, err := dg.ChannelMessageSend(welcome, strings.Repeat("x", 2001)); restCode(err) != discordgo.ErrCodeInvalidFormBody {
			t.Errorf("a message of 2001 characters: %v", err)
		}
		if _, err := dg.ChannelMessageSend("42", "hello"); restStatus(err) != http.StatusNotFound {
			t.Errorf("an unknown channel: %v", err)
		}
		if m, err := dg.ChannelMessageSend(welcome, "hello"); err != nil || m.Content != "hello" {
			t.Errorf("a message: %+v %v", m, err)
		}
		wrong, _ := discord.NewSession("not-the-token", "")
		wrong.Client.Transport = e.g.Transport()
		if _, err := wrong.ChannelMessageSend(welcome, "hello"); restStatus(err) != http.StatusUnauthorized {
			t.Errorf("another token: %v", err)
		}
	})
}

func restCode(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil {
		return re.Message.Code
	}
	return 0
}

func restStatus(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		return re.Response.StatusCode
	}
	return 0
}

// TestLocale: a member's Discord language drives the page and the bot; an
// unknown locale is refused.
func TestLocale(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := start(t, service(t, s))
		as, welcome := e.join(t, "Ann", "en-US")
		if page := e.live(t, as, welcome); !strings.Contains(page, "Channels") {
			t.Fatalf("en-US reads English here:\n%s", page)
		}
		post := func(locale string) int {
			resp, err := http.PostForm(e.srv.URL+"/playground/locale", url.Values{"as": {as}, "c": {welcome}, "locale": {locale}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		if code := post("fr"); code != http.StatusBadRequest {
			t.Errorf("locale fr: %d", code)
		}
		if code := post("es-419"); code != http.StatusOK {
			t.Errorf("locale es-419: %d", code)
		}
		if page := e.live(t, as, welcome); !strings.Contains(page, "Canales") {
			t.Fatalf("es-419 reads Spanish:\n%s", page)
		}
		res, err := e.g.Command(context.Background(), playground.Invocation{As: as, Channel: welcome, Path: []string{"register"}})
		if err != nil || res.Modal == nil || res.Modal.Title != "Registrarme" {
			t.Fatalf("the bot's form is not in Spanish: %+v %v", res, err)
		}
	})
}

// TestThreads: the stand-in starts one thread from a message (a dispute's
// card), with the message's ID, listed among the channels, where messages
// can then be sent; a second start is Discord's refusal.
func TestThreads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := start(t, service(t, s))
		as, welcome := e.join(t, "Ann", "en-US")
		dg, err := discord.NewSession(e.g.Token(), "")
		if err != nil {
			t.Fatal(err)
		}
		dg.Client.Transport = e.g.Transport()
		card, err := dg.ChannelMessageSend(welcome, "a card")
		if err != nil {
			t.Fatal(err)
		}
		th, err := dg.MessageThreadStartComplex(welcome, card.ID, &discordgo.ThreadStart{Name: "Dispute 1 · transfer 7"})
		if err != nil || th.ID != card.ID || th.ParentID != welcome {
			t.Fatalf("thread %+v %v", th, err)
		}
		if _, err := dg.MessageThreadStartComplex(welcome, card.ID, &discordgo.ThreadStart{Name: "again"}); restCode(err) != 160004 {
			t.Fatalf("a second thread on the message: %v", err)
		}
		if _, err := dg.ChannelMessageSend(th.ID, "in the thread"); err != nil {
			t.Fatal(err)
		}
		if page := e.live(t, as, th.ID); !strings.Contains(page, "Dispute 1 · transfer 7") || !strings.Contains(page, "in the thread") {
			t.Fatalf("the page lacks the thread:\n%s", page)
		}
	})
}
