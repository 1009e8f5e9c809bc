package discordtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista/discord"
	"github.com/cambista/cambista/discord/discordtest"
)

// TestMain fails the run if a discordgo session or a fake's goroutine
// outlives the tests: a test must close what it opens.
func TestMain(m *testing.M) {
	// Each test spends about a second in discordgo's Close, which
	// sleeps before closing the websocket; waiting is not CPU, so run
	// more tests at once than there are CPUs unless told otherwise.
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		flag.Set("test.parallel", "16")
	}
	code := m.Run()
	if code == 0 {
		if leaked := waitLeaks(5 * time.Second); leaked != "" {
			fmt.Fprintf(os.Stderr, "goroutines left running after the tests:\n%s\n", leaked)
			code = 1
		}
	}
	os.Exit(code)
}

func waitLeaks(d time.Duration) string {
	deadline := time.Now().Add(d)
	for {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		var leaked []string
		for _, g := range strings.Split(string(buf), "\n\n") {
			if strings.Contains(g, "bwmarrin/discordgo") || strings.Contains(g, "discord/discordtest.") {
				leaked = append(leaked, g)
			}
		}
		if len(leaked) == 0 || time.Now().After(deadline) {
			return strings.Join(leaked, "\n\n")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// connect starts a fake and a session on it that has received READY.
// Handlers added with on are registered before the session opens.
func connect(t *testing.T, opts ...discordtest.Option) (*discordtest.Server, *discordgo.Session) {
	t.Helper()
	fake := discordtest.New(t, opts...)
	dg := MustSession(t, fake)
	fake.OpenSession(t, dg)
	return fake, dg
}

// MustSession returns a session on the fake that is not yet open.
func MustSession(tb testing.TB, fake *discordtest.Server) *discordgo.Session {
	tb.Helper()
	dg, err := discord.NewSession(discordtest.Token, fake.APIURL())
	if err != nil {
		tb.Fatal(err)
	}
	return dg
}

func timeout(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// restError returns err's *discordgo.RESTError, failing the test when err
// is not one with the status and Discord error code.
func restError(t *testing.T, err error, status, code int) {
	t.Helper()
	var re *discordgo.RESTError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want a *discordgo.RESTError", err)
	}
	if re.Response.StatusCode != status || re.Message == nil || re.Message.Code != code {
		t.Fatalf("err = %v, want HTTP %d with code %d", err, status, code)
	}
}

func TestInteraction(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	dg := MustSession(t, fake)
	got := make(chan *discordgo.Interaction, 1)
	dg.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
		got <- ic.Interaction
		err := s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: "Cotización: 1 USD = 1000 ARS", Flags: discordgo.MessageFlagsEphemeral},
		})
		if err != nil {
			t.Errorf("respond: %v", err)
		}
	})
	fake.OpenSession(t, dg)
	fake.AddMember("500", "ana")

	sent := fake.Command("500", "700", discordgo.ApplicationCommandInteractionData{Name: "cotizar"})
	if sent.ID == "" || sent.Token == "" || sent.AppID != discordtest.AppID {
		t.Fatalf("SendInteraction did not fill ID, Token and AppID: %+v", sent)
	}
	var in *discordgo.Interaction
	select {
	case in = <-got:
	case <-time.After(5 * time.Second):
		t.Fatal("the interaction did not reach the handler")
	}
	if in.ID != sent.ID || in.Token != sent.Token || in.Member == nil || in.Member.User.ID != "500" ||
		in.ApplicationCommandData().Name != "cotizar" || in.GuildID != discordtest.GuildID {
		t.Fatalf("handler got %+v", in)
	}

	resp, err := fake.WaitResponse(timeout(t), sent.ID)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data.Content != "Cotización: 1 USD = 1000 ARS" {
		t.Fatalf("response = %+v", resp)
	}
	msgs := fake.Messages("700")
	if len(msgs) != 1 || msgs[0].Content != "Cotización: 1 USD = 1000 ARS" || !msgs[0].Ephemeral() || msgs[0].InteractionID != sent.ID {
		t.Fatalf("channel shows %+v", msgs)
	}

	t.Run("ErrAlreadyAcknowledged", func(t *testing.T) {
		err := dg.InteractionRespond(sent, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: "again"},
		})
		restError(t, err, http.StatusBadRequest, 40060)
		if n := len(fake.Messages("700")); n != 1 {
			t.Fatalf("%d messages after a refused second callback, want 1", n)
		}
	})
	t.Run("ErrUnknownInteraction", func(t *testing.T) {
		err := dg.InteractionRespond(&discordgo.Interaction{ID: "1", Token: "nope"}, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource})
		restError(t, err, http.StatusNotFound, 10062)
	})
}

func TestFollowupsAndOriginal(t *testing.T) {
	t.Parallel()
	fake, dg := connect(t)
	fake.AddMember("501", "beto")

	// The REST calls are made by the test, not a handler: the
	// interaction only needs to be known to the fake.
	i := fake.Command("501", "701", discordgo.ApplicationCommandInteractionData{Name: "saldo"})

	if _, err := dg.FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: "too early"}); err == nil {
		t.Fatal("follow-up before the callback: want Unknown Webhook")
	} else {
		restError(t, err, http.StatusNotFound, 10015)
	}

	err := dg.InteractionRespond(i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral},
	})
	if err != nil {
		t.Fatal(err)
	}
	orig, ok := fake.Original(i.ID)
	if !ok || !orig.Loading() || !orig.Ephemeral() {
		t.Fatalf("after deferring, @original = %+v, want an ephemeral loading message", orig)
	}

	content := "Saldo: 10 USD"
	m, err := dg.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: &content})
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != orig.ID || m.Content != content {
		t.Fatalf("edit @original returned %+v", m)
	}
	if orig, _ = fake.Original(i.ID); orig.Loading() || orig.Edited || orig.Content != content {
		t.Fatalf("completed deferred response = %+v, want content, not loading, not marked edited", orig)
	}
	if got, err := dg.InteractionResponse(i); err != nil || got.Content != content {
		t.Fatalf("GET @original = %+v, %v", got, err)
	}

	f, err := dg.FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: "Detalle", Flags: discordgo.MessageFlagsEphemeral})
	if err != nil {
		t.Fatal(err)
	}
	if f.ID == "" || f.ID == orig.ID {
		t.Fatalf("follow-up ID %q, want a new message", f.ID)
	}
	detail := "Detalle completo"
	if _, err := dg.FollowupMessageEdit(i, f.ID, &discordgo.WebhookEdit{Content: &detail}); err != nil {
		t.Fatal(err)
	}
	fm, ok := fake.Message("701", f.ID)
	if !ok || fm.Content != detail || !fm.Edited || fm.InteractionID != i.ID {
		t.Fatalf("follow-up after edit = %+v", fm)
	}

	if err := dg.InteractionResponseDelete(i); err != nil {
		t.Fatal(err)
	}
	if msgs := fake.Messages("701"); len(msgs) != 1 || msgs[0].ID != f.ID {
		t.Fatalf("after deleting @original the channel shows %+v", msgs)
	}
	if _, err := dg.InteractionResponse(i); err == nil {
		t.Fatal("GET @original after delete: want Unknown Message")
	} else {
		restError(t, err, http.StatusNotFound, 10008)
	}

	t.Run("FirstFollowupCompletesDeferred", func(t *testing.T) {
		j := fake.Command("501", "702", discordgo.ApplicationCommandInteractionData{Name: "extracto"})
		if err := dg.InteractionRespond(j, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}); err != nil {
			t.Fatal(err)
		}
		m, err := dg.FollowupMessageCreate(j, true, &discordgo.WebhookParams{
			Content: "Extracto",
			Files:   []*discordgo.File{{Name: "extracto.csv", ContentType: "text/csv", Reader: strings.NewReader("a,b\n")}},
		})
		if err != nil {
			t.Fatal(err)
		}
		msgs := fake.Messages("702")
		if len(msgs) != 1 || msgs[0].ID != m.ID || msgs[0].Loading() || msgs[0].Content != "Extracto" ||
			len(msgs[0].Attachments) != 1 || string(msgs[0].Attachments[0].Data) != "a,b\n" {
			t.Fatalf("channel shows %+v, want the deferred message completed with the file", msgs)
		}
	})
}

func TestDMToUserWhoBlocksDMs(t *testing.T) {
	t.Parallel()
	fake, dg := connect(t)
	fake.BlockDMs("502")

	ch, err := dg.UserChannelCreate("502")
	if err != nil {
		t.Fatal(err)
	}
	if ch.ID != fake.DMChannel("502") || ch.Type != discordgo.ChannelTypeDM {
		t.Fatalf("DM channel = %+v", ch)
	}
	if again, err := dg.UserChannelCreate("502"); err != nil || again.ID != ch.ID {
		t.Fatalf("second DM channel = %+v, %v; want the same channel", again, err)
	}
	_, err = dg.ChannelMessageSend(ch.ID, "Tu transferencia fue aprobada")
	restError(t, err, http.StatusForbidden, 50007)
	if msgs := fake.Messages(ch.ID); len(msgs) != 0 {
		t.Fatalf("blocked DM shows %+v", msgs)
	}

	open, err := dg.UserChannelCreate("503")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dg.ChannelMessageSend(open.ID, "Hola"); err != nil {
		t.Fatalf("DM to a user who accepts DMs: %v", err)
	}
	if msgs := fake.Messages(open.ID); len(msgs) != 1 || msgs[0].GuildID != "" {
		t.Fatalf("DM shows %+v", msgs)
	}
}

func TestMemberRoles(t *testing.T) {
	t.Parallel()
	fake, dg := connect(t)
	fake.AddRole("900", "cambista")
	fake.AddRole("901", "cliente")
	fake.AddMember("504", "caro", "901")
	fake.AddMember("505", "dani")
	echo := make(chan *discordgo.GuildMemberUpdate, 4)
	dg.AddHandler(func(_ *discordgo.Session, u *discordgo.GuildMemberUpdate) { echo <- u })

	if err := dg.GuildMemberRoleAdd(discordtest.GuildID, "504", "900"); err != nil {
		t.Fatal(err)
	}
	if got := fake.MemberRoles("504"); !slices.Equal(got, []string{"900", "901"}) {
		t.Fatalf("roles after add = %v", got)
	}
	select {
	case u := <-echo:
		if u.User.ID != "504" || !slices.Contains(u.Roles, "900") {
			t.Fatalf("echoed update = %+v", u.Member)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no GUILD_MEMBER_UPDATE after a role change")
	}
	if err := dg.GuildMemberRoleRemove(discordtest.GuildID, "504", "901"); err != nil {
		t.Fatal(err)
	}
	if got := fake.MemberRoles("504"); !slices.Equal(got, []string{"900"}) {
		t.Fatalf("roles after remove = %v", got)
	}

	m, err := dg.GuildMember(discordtest.GuildID, "504")
	if err != nil || m.User.ID != "504" || !slices.Equal(m.Roles, []string{"900"}) {
		t.Fatalf("GuildMember = %+v, %v", m, err)
	}
	roles, err := dg.GuildRoles(discordtest.GuildID)
	if err != nil || len(roles) != 3 || roles[0].ID != discordtest.GuildID {
		t.Fatalf("GuildRoles = %v, %v; want @everyone and two roles", roles, err)
	}
	// Discord pages members by ID, one by default.
	page, err := dg.GuildMembers(discordtest.GuildID, "", 1)
	if err != nil || len(page) != 1 || page[0].User.ID != "504" {
		t.Fatalf("first page = %v, %v", page, err)
	}
	page, err = dg.GuildMembers(discordtest.GuildID, "504", 1000)
	if err != nil || len(page) != 1 || page[0].User.ID != "505" {
		t.Fatalf("page after 504 = %v, %v", page, err)
	}

	t.Run("ErrUnknownRole", func(t *testing.T) {
		restError(t, dg.GuildMemberRoleAdd(discordtest.GuildID, "504", "999"), http.StatusNotFound, 10011)
	})
	t.Run("ErrUnknownMember", func(t *testing.T) {
		restError(t, dg.GuildMemberRoleAdd(discordtest.GuildID, "599", "900"), http.StatusNotFound, 10007)
	})
}

func TestMemberUpdateDispatch(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	fake.AddRole("910", "cambista")
	fake.AddMember("506", "eli")
	dg := MustSession(t, fake)
	got := make(chan *discordgo.GuildMemberUpdate, 1)
	dg.AddHandler(func(_ *discordgo.Session, u *discordgo.GuildMemberUpdate) { got <- u })
	fake.OpenSession(t, dg)

	fake.MemberUpdate("506", []string{"910"})
	select {
	case u := <-got:
		if u.GuildID != discordtest.GuildID || u.User.ID != "506" || !slices.Equal(u.Roles, []string{"910"}) {
			t.Fatalf("handler got %+v", u.Member)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("GUILD_MEMBER_UPDATE did not reach the handler")
	}
	if got := fake.MemberRoles("506"); !slices.Equal(got, []string{"910"}) {
		t.Fatalf("fake's roles = %v", got)
	}
	// discordgo's state learnt the guild and its roles from GUILD_CREATE.
	if r, err := dg.State.Role(discordtest.GuildID, "910"); err != nil || r.Name != "cambista" {
		t.Fatalf("state role = %+v, %v", r, err)
	}
}

// TestHeldEvents: held events reach the client only when sent, in the
// order the test chose (the first to arrive is the last produced).
func TestHeldEvents(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	fake.AddRole("910", "cambista")
	fake.AddMember("506", "eli")
	dg := MustSession(t, fake)
	got := make(chan []string, 3)
	dg.AddHandler(func(_ *discordgo.Session, u *discordgo.GuildMemberUpdate) { got <- u.Roles })
	fake.OpenSession(t, dg)

	fake.HoldEvents("GUILD_MEMBER_UPDATE")
	fake.MemberUpdate("506", []string{"910"})
	fake.MemberUpdate("506", nil)
	if held := fake.HeldEvents(); !slices.Equal(held, []string{"GUILD_MEMBER_UPDATE", "GUILD_MEMBER_UPDATE"}) {
		t.Fatalf("held %v", held)
	}
	fake.SendHeld(1, 0)
	for _, want := range [][]string{{}, {"910"}} {
		select {
		case roles := <-got:
			if !slices.Equal(roles, want) {
				t.Fatalf("handler got roles %v, want %v", roles, want)
			}
		case <-timeout(t).Done():
			t.Fatal("a held event did not reach the handler once sent")
		}
	}
}

func TestResume(t *testing.T) {
	t.Parallel()
	// No heartbeats but the one on connecting: discordgo's heartbeat
	// could race its reconnection and resume twice (see
	// WithHeartbeatInterval), and this test counts resumes.
	fake := discordtest.New(t, discordtest.WithHeartbeatInterval(time.Minute))
	dg := MustSession(t, fake)
	// Handlers run in order on discordgo's reader, so once the marker
	// arrived, everything dispatched before it has too.
	dg.SyncEvents = true
	var mu sync.Mutex
	seen := make(map[string]int)
	dg.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
		mu.Lock()
		seen[ic.ApplicationCommandData().Name]++
		mu.Unlock()
	})
	resumed := make(chan struct{}, 2)
	dg.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) { resumed <- struct{}{} })
	fake.OpenSession(t, dg)
	fake.AddMember("507", "fede")
	count := func(name string) int {
		mu.Lock()
		defer mu.Unlock()
		return seen[name]
	}

	for n := 1; n <= 2; n++ {
		fake.DropGateway()
		if fake.Connected() {
			t.Fatal("connected right after DropGateway")
		}
		missed := fmt.Sprintf("missed%d", n)
		fake.Command("507", "703", discordgo.ApplicationCommandInteractionData{Name: missed})
		if err := fake.WaitReady(timeout(t)); err != nil {
			t.Fatalf("drop %d: no reconnection: %v", n, err)
		}
		select {
		case <-resumed:
		case <-time.After(5 * time.Second):
			t.Fatalf("drop %d: discordgo saw no RESUMED", n)
		}
		marker := fmt.Sprintf("marker%d", n)
		fake.Command("507", "703", discordgo.ApplicationCommandInteractionData{Name: marker})
		if err := fake.Wait(timeout(t), func() bool { return count(marker) == 1 }); err != nil {
			t.Fatalf("drop %d: marker not delivered: %v", n, err)
		}
		if c := count(missed); c != 1 {
			t.Fatalf("drop %d: the dispatch sent while disconnected arrived %d times, want once", n, c)
		}
	}
	if got := len(fake.Received(discordtest.OpResume)); got != 2 {
		t.Fatalf("fake saw %d RESUMEs, want 2", got)
	}
	if got := len(fake.Received(discordtest.OpIdentify)); got != 1 {
		t.Fatalf("fake saw %d IDENTIFYs, want 1 (resumes, not new sessions)", got)
	}
	if calls := fake.CallsTo("GET", "/gateway"); len(calls) != 1 {
		t.Fatalf("GET /gateway called %d times, want once (discordgo keeps the URL)", len(calls))
	}

	t.Run("InvalidSession", func(t *testing.T) {
		fake.InvalidateSessions()
		fake.DropGateway()
		if err := fake.WaitReady(timeout(t)); err != nil {
			t.Fatal(err)
		}
		if got := len(fake.Received(discordtest.OpIdentify)); got != 2 {
			t.Fatalf("after op 9, %d IDENTIFYs, want 2", got)
		}
		fake.Command("507", "703", discordgo.ApplicationCommandInteractionData{Name: "after"})
		if err := fake.Wait(timeout(t), func() bool { return count("after") == 1 }); err != nil {
			t.Fatalf("no dispatch on the new session: %v", err)
		}
	})
}

func TestFaults(t *testing.T) {
	t.Parallel()
	fake, dg := connect(t)
	fake.SetFaults(discordtest.Faults{Rate: 0.3, Statuses: []int{429, 500}, Seed: 1, RetryAfter: 20 * time.Millisecond})

	retried := 0
	for i := range 50 {
		for {
			_, err := dg.ChannelMessageSend("704", fmt.Sprint(i))
			if err == nil {
				break
			}
			// discordgo retries 429s itself; a 500 comes back to
			// the caller, which retries as the outbox would.
			var re *discordgo.RESTError
			if !errors.As(err, &re) || re.Response.StatusCode != 500 {
				t.Fatalf("send %d: %v", i, err)
			}
			retried++
		}
	}
	msgs := fake.Messages("704")
	if len(msgs) != 50 {
		t.Fatalf("%d messages, want exactly 50", len(msgs))
	}
	for i, m := range msgs {
		if m.Content != fmt.Sprint(i) {
			t.Fatalf("message %d is %q", i, m.Content)
		}
	}
	status := make(map[int]int)
	for _, c := range fake.CallsTo("POST", "/channels/704/messages") {
		status[c.Status]++
	}
	if status[200] != 50 || status[429] == 0 || status[500] != retried || retried == 0 {
		t.Fatalf("calls by status %v, test retried %d; want 50 OK and some 429s and 500s", status, retried)
	}

	t.Run("BadGatewayRetriedByDiscordgo", func(t *testing.T) {
		fake.SetFaults(discordtest.Faults{})
		fake.FailNext(2, http.StatusBadGateway)
		if _, err := dg.ChannelMessageSend("705", "x"); err != nil {
			t.Fatalf("discordgo should retry 502 up to MaxRestRetries: %v", err)
		}
		if n := len(fake.Messages("705")); n != 1 {
			t.Fatalf("%d messages, want 1", n)
		}
	})
	t.Run("RateLimitHeaders", func(t *testing.T) {
		fake.FailNext(1, http.StatusTooManyRequests)
		fake.SetFaults(discordtest.Faults{RetryAfter: 50 * time.Millisecond})
		req, _ := http.NewRequest("GET", fake.APIURL()+"users/@me", nil)
		req.Header.Set("Authorization", "Bot "+discordtest.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body struct {
			RetryAfter float64 `json:"retry_after"`
			Global     bool    `json:"global"`
		}
		json.NewDecoder(resp.Body).Decode(&body)
		h := resp.Header
		if resp.StatusCode != 429 || body.RetryAfter != 0.05 || h.Get("X-RateLimit-Remaining") != "0" ||
			h.Get("X-RateLimit-Reset-After") != "0.050" || h.Get("Retry-After") != "1" ||
			h.Get("X-RateLimit-Bucket") == "" || h.Get("X-RateLimit-Limit") == "" || h.Get("X-RateLimit-Reset") == "" {
			t.Fatalf("429: body %+v, headers %v", body, h)
		}
	})
}

func TestFileUpload(t *testing.T) {
	t.Parallel()
	fake, dg := connect(t)
	data := []byte("fecha,monto\n2026-01-02,100.00\n")
	m, err := dg.ChannelMessageSendComplex("706", &discordgo.MessageSend{
		Content: "Reporte",
		Files:   []*discordgo.File{{Name: "reporte.csv", ContentType: "text/csv", Reader: bytes.NewReader(data)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	calls := fake.CallsTo("POST", "/channels/706/messages")
	if len(calls) != 1 {
		t.Fatalf("%d calls", len(calls))
	}
	c := calls[0]
	if len(c.Files) != 1 || c.Files[0].Name != "reporte.csv" || c.Files[0].ContentType != "text/csv" || !bytes.Equal(c.Files[0].Data, data) {
		t.Fatalf("recorded files %+v", c.Files)
	}
	var payload struct{ Content string }
	if err := json.Unmarshal(c.Body, &payload); err != nil || payload.Content != "Reporte" {
		t.Fatalf("recorded payload %s: %v", c.Body, err)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Filename != "reporte.csv" || m.Attachments[0].Size != len(data) {
		t.Fatalf("returned attachments %+v", m.Attachments)
	}
	resp, err := http.Get(m.Attachments[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if got, _ := io.ReadAll(resp.Body); !bytes.Equal(got, data) {
		t.Fatalf("attachment URL serves %q", got)
	}
}

func TestComponents(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	dg := MustSession(t, fake)
	clicked := make(chan *discordgo.Message, 1)
	dg.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
		if ic.Type != discordgo.InteractionMessageComponent || ic.MessageComponentData().CustomID != "approve:42" {
			return
		}
		clicked <- ic.Message
		s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseUpdateMessage,
			Data: &discordgo.InteractionResponseData{Content: "Aprobada", Components: []discordgo.MessageComponent{}},
		})
	})
	fake.OpenSession(t, dg)
	fake.AddMember("508", "gabi")

	m, err := dg.ChannelMessageSendComplex("707", &discordgo.MessageSend{
		Content: "Transferencia 42",
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Aprobar", Style: discordgo.SuccessButton, CustomID: "approve:42"},
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	shown, _ := fake.Message("707", m.ID)
	row, ok := shown.Components[0].(*discordgo.ActionsRow)
	if !ok || row.Components[0].(*discordgo.Button).CustomID != "approve:42" {
		t.Fatalf("message components %#v", shown.Components)
	}

	i := fake.Click("508", "707", m.ID, "approve:42")
	if _, err := fake.WaitResponse(timeout(t), i.ID); err != nil {
		t.Fatal(err)
	}
	// The handler sees the message clicked on, components included,
	// which discordgo's own JSON of a message would leave out.
	if on := <-clicked; on == nil || on.ID != m.ID || len(on.Components) != 1 {
		t.Fatalf("the click carried message %+v", on)
	}
	shown, _ = fake.Message("707", m.ID)
	if shown.Content != "Aprobada" || len(shown.Components) != 0 || !shown.Edited {
		t.Fatalf("after the click the message is %+v", shown)
	}

	t.Run("ErrDuplicateCustomID", func(t *testing.T) {
		b := discordgo.Button{Label: "x", Style: discordgo.PrimaryButton, CustomID: "same"}
		_, err := dg.ChannelMessageSendComplex("707", &discordgo.MessageSend{
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{b, b}}},
		})
		restError(t, err, http.StatusBadRequest, 50035)
	})
	t.Run("ErrContentTooLong", func(t *testing.T) {
		_, err := dg.ChannelMessageSend("707", strings.Repeat("a", 2001))
		restError(t, err, http.StatusBadRequest, 50035)
	})
	t.Run("ErrUnknownMessage", func(t *testing.T) {
		_, err := dg.ChannelMessageEdit("707", "1", "x")
		restError(t, err, http.StatusNotFound, 10008)
	})
}

func TestCommands(t *testing.T) {
	t.Parallel()
	fake, dg := connect(t)
	cmds := []*discordgo.ApplicationCommand{{
		Name: "cotizar", Description: "Cotización del día",
		NameLocalizations: &map[discordgo.Locale]string{discordgo.EnglishUS: "quote"},
	}}
	first, err := dg.ApplicationCommandBulkOverwrite(discordtest.AppID, discordtest.GuildID, cmds)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 1 || first[0].ID == "" || first[0].GuildID != discordtest.GuildID {
		t.Fatalf("created %+v", first)
	}
	again, err := dg.ApplicationCommandBulkOverwrite(discordtest.AppID, discordtest.GuildID, cmds)
	if err != nil || again[0].ID != first[0].ID {
		t.Fatalf("overwrite kept ID %v (err %v), want %s", again, err, first[0].ID)
	}
	listed, err := dg.ApplicationCommands(discordtest.AppID, discordtest.GuildID)
	if err != nil || len(listed) != 1 || listed[0].Name != "cotizar" {
		t.Fatalf("listed %+v, %v", listed, err)
	}
	if global, err := dg.ApplicationCommands(discordtest.AppID, ""); err != nil || len(global) != 0 {
		t.Fatalf("global commands %+v, %v; want none", global, err)
	}
	// A command a person uses carries the registered command's ID.
	fake.AddMember("509", "hugo")
	if i := fake.Command("509", "708", discordgo.ApplicationCommandInteractionData{Name: "cotizar"}); i.ApplicationCommandData().ID != first[0].ID {
		t.Fatalf("interaction command ID %q, want %q", i.ApplicationCommandData().ID, first[0].ID)
	}

	t.Run("ErrInvalidName", func(t *testing.T) {
		_, err := dg.ApplicationCommandBulkOverwrite(discordtest.AppID, discordtest.GuildID, []*discordgo.ApplicationCommand{{Name: "Cotizar", Description: "x"}})
		restError(t, err, http.StatusBadRequest, 50035)
	})
	t.Run("ErrUnknownApplication", func(t *testing.T) {
		_, err := dg.ApplicationCommandBulkOverwrite(discordtest.BotUserID, "", cmds)
		restError(t, err, http.StatusNotFound, 10002)
	})
}

func TestUnknownRouteRecorded(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	dg := MustSession(t, fake)
	_, err := dg.GuildChannels(discordtest.GuildID)
	restError(t, err, http.StatusNotFound, 0)
	calls := fake.CallsTo("GET", "/guilds/"+discordtest.GuildID+"/channels")
	if len(calls) != 1 || calls[0].Status != 404 {
		t.Fatalf("calls %+v", calls)
	}
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	dg, err := discord.NewSession("wrong", fake.APIURL())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dg.User("@me"); err == nil {
		t.Fatal("REST with a wrong token: want 401")
	} else {
		restError(t, err, http.StatusUnauthorized, 0)
	}
	if err := dg.Open(); err == nil {
		dg.Close()
		t.Fatal("gateway with a wrong token: want an error")
	}
	if fake.Connected() {
		t.Fatal("connected with a wrong token")
	}
}

func TestModal(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	dg := MustSession(t, fake)
	dg.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
		switch ic.Type {
		case discordgo.InteractionApplicationCommand:
			err := s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseModal,
				Data: &discordgo.InteractionResponseData{CustomID: "register", Title: "Registro", Components: []discordgo.MessageComponent{
					discordgo.ActionsRow{Components: []discordgo.MessageComponent{
						discordgo.TextInput{CustomID: "name", Label: "Nombre", Style: discordgo.TextInputShort, Required: true},
					}},
				}},
			})
			if err != nil {
				t.Errorf("modal: %v", err)
			}
		case discordgo.InteractionModalSubmit:
			var got []string
			for _, row := range ic.ModalSubmitData().Components {
				for _, c := range row.(*discordgo.ActionsRow).Components {
					in := c.(*discordgo.TextInput)
					got = append(got, in.CustomID+"="+in.Value)
				}
			}
			s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Content: strings.Join(got, ",")},
			})
		}
	})
	fake.OpenSession(t, dg)
	fake.AddMember("510", "iris")

	cmd := fake.Command("510", "709", discordgo.ApplicationCommandInteractionData{Name: "register"})
	resp, err := fake.WaitResponse(timeout(t), cmd.ID)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Type != discordgo.InteractionResponseModal || resp.Data.CustomID != "register" || len(resp.Data.Components) != 1 {
		t.Fatalf("modal response %+v", resp.Data)
	}
	sub := fake.SubmitModal("510", "709", "register", map[string]string{"name": "Iris", "phone": "555"})
	resp, err = fake.WaitResponse(timeout(t), sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Data.Content != "name=Iris,phone=555" {
		t.Fatalf("the handler read %q from the modal", resp.Data.Content)
	}
}

func TestParseResponse(t *testing.T) {
	b, err := json.Marshal(&discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "x", Flags: discordgo.MessageFlagsEphemeral, Components: []discordgo.MessageComponent{
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{Label: "Ok", CustomID: "ok", Style: discordgo.PrimaryButton}}},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := discordtest.ParseResponse(b)
	if err != nil {
		t.Fatal(err)
	}
	row, ok := resp.Data.Components[0].(*discordgo.ActionsRow)
	if resp.Data.Content != "x" || resp.Data.Flags != discordgo.MessageFlagsEphemeral || !ok || row.Components[0].(*discordgo.Button).CustomID != "ok" {
		t.Fatalf("parsed %+v", resp.Data)
	}
}

// TestHold: a held call takes effect at once, and its client is answered
// only when the test releases it, or when the fake closes; a client that
// gives up stops waiting.
func TestHold(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	dg := MustSession(t, fake)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sent := make(chan error, 1)
	send := func(ctx context.Context, channelID string) {
		go func() {
			_, err := dg.ChannelMessageSend(channelID, "hola", discordgo.WithContext(ctx))
			sent <- err
		}()
		if err := fake.Wait(ctx, func() bool { return fake.Held() == 1 }); err != nil {
			t.Fatalf("no call held: %v", err)
		}
		if n := len(fake.Messages(channelID)); n != 1 {
			t.Fatalf("the held call left %d messages, want 1: it takes effect before it is held", n)
		}
	}

	// Giving up is the client's only way out of a held call.
	fake.Hold("", "/channels/707/")
	giveUp, stop := context.WithCancel(ctx)
	send(giveUp, "707")
	stop()
	if err := <-sent; !errors.Is(err, context.Canceled) {
		t.Fatalf("a client that gave up got %v, want context.Canceled", err)
	}
	if err := fake.Wait(ctx, func() bool { return fake.Held() == 0 }); err != nil {
		t.Fatalf("the fake still holds a call whose client gave up: %v", err)
	}

	release := fake.Hold("POST", "/channels/708/")
	send(ctx, "708")
	release()
	if err := <-sent; err != nil {
		t.Fatalf("after release: %v", err)
	}
	if n := fake.Held(); n != 0 {
		t.Fatalf("%d calls held after release", n)
	}

	fake.Hold("POST", "/channels/709/")
	send(ctx, "709")
	fake.Close()
	if err := <-sent; err != nil {
		t.Fatalf("after the fake closed: %v", err)
	}
}
