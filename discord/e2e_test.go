package discord_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/discord"
	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/jobs"
	"github.com/cambista/cambista/rules"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/shopspring/decimal"
)

const (
	adminChannel   = "5001"
	cashierChannel = "5002"
	generalChannel = "5003"
	clientRole     = "6001"
	agentRole      = "6002"
	cashierRole    = "6003"
	countryRole    = "6010"
)

// world is cambista with its Discord bot, talking to the fake Discord in
// gateway mode (interactions arrive on the websocket, answers go by REST)
// or in http mode (interactions are POSTed signed to the endpoint, the
// answer is the HTTP body).
type world struct {
	t      *testing.T
	mode   string
	dg     *discordgo.Session
	bot    *discord.Bot
	e      *apptest.Env
	fake   *discordtest.Server
	worker *jobs.Worker
	http   *httptest.Server
	sig    *signer
}

func newWorld(t *testing.T, s *store.Store, mode string) *world {
	t.Helper()
	return newWorldWith(t, s, mode, app.Config{})
}

// newWorldWith is newWorld with the service configured by cfg.
func newWorldWith(t *testing.T, s *store.Store, mode string, cfg app.Config) *world {
	t.Helper()
	w := &world{t: t, mode: mode, e: apptest.New(t, s, cfg), fake: discordtest.New(t)}
	dg, err := discord.NewSession(discordtest.Token, w.fake.APIURL())
	if err != nil {
		t.Fatal(err)
	}
	w.dg = dg
	bot := discord.New(w.e.Svc, dg, discord.Config{AppID: discordtest.AppID, GuildID: discordtest.GuildID, DefaultLang: i18n.EN, CDNURL: w.fake.URL()}, nil)
	w.bot = bot
	switch mode {
	case "gateway":
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		bot.Serve(ctx)
		bot.WatchMembers(ctx)
		w.fake.OpenSession(t, dg)
	case "http":
		w.sig = newSigner(t)
		w.http = httptest.NewServer(bot.HTTPHandler(w.sig.pub))
		t.Cleanup(w.http.Close)
	}
	if err := bot.RegisterCommands(); err != nil {
		t.Fatal(err)
	}
	w.worker = jobs.New(w.e.Svc, dg, jobs.Config{GuildID: discordtest.GuildID, DefaultLang: i18n.ES}, nil, nil)
	for _, r := range [][2]string{{clientRole, "Cliente"}, {agentRole, "Agente"}, {cashierRole, "Cajero"}, {countryRole, "Venezuela"}} {
		w.fake.AddRole(r[0], r[1])
	}
	return w
}

// member makes a Discord member with a client locale.
func (w *world) member(id cambista.UserID, locale discordgo.Locale) {
	w.fake.AddMember(string(id), "user"+string(id))
	w.fake.SetLocale(string(id), locale)
}

// answer returns the bot's answer to an interaction the fake made.
func (w *world) answer(i *discordgo.Interaction) *discordgo.InteractionResponse {
	w.t.Helper()
	if w.mode == "gateway" {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		resp, err := w.fake.WaitResponse(ctx, i.ID)
		if err != nil {
			w.t.Fatalf("no answer to interaction %s: %v", i.ID, err)
		}
		return resp
	}
	body, err := json.Marshal(discordtest.Wire(i))
	if err != nil {
		w.t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(w.sig.request(w.t, w.http.URL, body))
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		w.t.Fatalf("interaction endpoint: %d %s", res.StatusCode, b)
	}
	return decodeResponse(w.t, b)
}

// decodeResponse reads an interaction response as Discord would: discordgo
// cannot unmarshal components into its interface type by itself.
func decodeResponse(t testing.TB, b []byte) *discordgo.InteractionResponse {
	t.Helper()
	var raw struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data map[string]json.RawMessage        `json:"data"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	resp := &discordgo.InteractionResponse{Type: raw.Type}
	if raw.Data == nil {
		return resp
	}
	var comps []json.RawMessage
	if c, ok := raw.Data["components"]; ok {
		if err := json.Unmarshal(c, &comps); err != nil {
			t.Fatal(err)
		}
		delete(raw.Data, "components")
	}
	rest, _ := json.Marshal(raw.Data)
	resp.Data = &discordgo.InteractionResponseData{}
	if err := json.Unmarshal(rest, resp.Data); err != nil {
		t.Fatal(err)
	}
	for _, c := range comps {
		mc, err := discordgo.MessageComponentFromJSON(c)
		if err != nil {
			t.Fatal(err)
		}
		resp.Data.Components = append(resp.Data.Components, mc)
	}
	return resp
}

func (w *world) cmd(user cambista.UserID, name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.InteractionResponse {
	w.t.Helper()
	return w.answer(w.fake.Command(string(user), generalChannel, discordgo.ApplicationCommandInteractionData{Name: name, Options: opts}))
}

func (w *world) click(user cambista.UserID, channel, message, customID string, values ...string) *discordgo.InteractionResponse {
	w.t.Helper()
	return w.answer(w.fake.Click(string(user), channel, message, customID, values...))
}

func (w *world) submit(user cambista.UserID, customID string, values map[string]string) *discordgo.InteractionResponse {
	w.t.Helper()
	return w.answer(w.fake.SubmitModal(string(user), generalChannel, customID, values))
}

// system is the context the outbox worker runs in, as cmd starts it.
func system() context.Context {
	return cambista.WithActor(context.Background(), cambista.SystemActor)
}

// deliver runs the outbox worker until it has nothing left.
func (w *world) deliver() {
	w.t.Helper()
	for range 20 {
		n, err := w.worker.RunOnce(system())
		if err != nil {
			w.t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
	w.t.Fatal("the outbox did not drain")
}

func subcmd(name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionSubCommand, Options: opts}
}

func opt(name string, value any) *discordgo.ApplicationCommandInteractionDataOption {
	t := discordgo.ApplicationCommandOptionString
	switch value.(type) {
	case bool:
		t = discordgo.ApplicationCommandOptionBoolean
	case int, int64, float64:
		t = discordgo.ApplicationCommandOptionInteger
		value = fmt.Sprint(value)
		var f float64
		fmt.Sscan(value.(string), &f)
		value = f
	}
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: t, Value: value}
}

// text is everything a person reads in a response.
func text(r *discordgo.InteractionResponse) string {
	if r.Data == nil {
		return ""
	}
	parts := []string{r.Data.Content, r.Data.Title}
	for _, e := range r.Data.Embeds {
		parts = append(parts, e.Title, e.Description)
		for _, f := range e.Fields {
			parts = append(parts, f.Name+": "+f.Value)
		}
	}
	return strings.Join(parts, "\n")
}

func messageText(m discordtest.Message) string {
	parts := []string{m.Content}
	for _, e := range m.Embeds {
		parts = append(parts, e.Title)
		for _, f := range e.Fields {
			parts = append(parts, f.Name+": "+f.Value)
		}
	}
	return strings.Join(parts, "\n")
}

func customIDs(comps []discordgo.MessageComponent) []string {
	var out []string
	for _, c := range comps {
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			if r, ok2 := c.(discordgo.ActionsRow); ok2 {
				row = &r
			} else {
				continue
			}
		}
		for _, x := range row.Components {
			switch b := x.(type) {
			case *discordgo.Button:
				out = append(out, b.CustomID)
			case discordgo.Button:
				out = append(out, b.CustomID)
			case *discordgo.SelectMenu:
				out = append(out, b.CustomID)
			case discordgo.SelectMenu:
				out = append(out, b.CustomID)
			}
		}
	}
	return out
}

func (w *world) want(r *discordgo.InteractionResponse, wants ...string) {
	w.t.Helper()
	got := text(r)
	for _, s := range wants {
		if !strings.Contains(got, s) {
			w.t.Fatalf("the reply lacks %q:\n%s", s, got)
		}
	}
}

// cards returns what everyone sees in a channel: its messages but the
// ephemeral replies.
func (w *world) cards(channel string) []discordtest.Message {
	var out []discordtest.Message
	for _, m := range w.fake.Messages(channel) {
		if !m.Ephemeral() {
			out = append(out, m)
		}
	}
	return out
}

// lastCard returns the newest card in a channel.
func (w *world) lastCard(channel string) discordtest.Message {
	w.t.Helper()
	ms := w.cards(channel)
	if len(ms) == 0 {
		w.t.Fatalf("no message in channel %s", channel)
	}
	return ms[len(ms)-1]
}

// dms returns the texts of the direct messages a user received.
func (w *world) dms(user cambista.UserID) []string {
	ch := w.fake.DMChannel(string(user))
	var out []string
	for _, m := range w.fake.Messages(ch) {
		out = append(out, messageText(m))
	}
	return out
}

// words are what each language's reader should see.
type words struct {
	locale                                       discordgo.Locale
	registered, saved, created, completedDM      string
	paid, commission, forbidden, requested, kept string
}

var languages = map[string]words{
	"es": {locale: discordgo.SpanishLATAM, registered: "Registrado como", saved: "Guardado", created: "Transferencia #",
		completedDM: "fue completada", paid: "3.880,00 VES", commission: "3,00 USD", forbidden: "No tiene permiso", requested: "solicitada", kept: "Retiro #"},
	"en": {locale: discordgo.EnglishUS, registered: "Registered as", saved: "Saved", created: "Transfer #",
		completedDM: "was completed", paid: "3,880.00 VES", commission: "3.00 USD", forbidden: "not allowed", requested: "requested", kept: "Withdrawal #"},
}

// TestEndToEnd drives every flow through Discord, in both modes and both
// languages: setup by a superuser, registration with the roles panel,
// account approval, a transfer from quote to completion, the batch's
// close with the worked example's figures, withdrawals, cancellation, the
// statement file, and refusals.
func TestEndToEnd(t *testing.T) {
	for _, mode := range []string{"gateway", "http"} {
		for _, lang := range []string{"es", "en"} {
			t.Run(mode+"/"+lang, func(t *testing.T) {
				storetest.Each(t, func(t *testing.T, s *store.Store) { endToEnd(t, newWorld(t, s, mode), languages[lang]) })
			})
		}
	}
}

func endToEnd(t *testing.T, w *world, l words) {
	boot, agent, client, cashier := apptest.Boot, apptest.Agent, apptest.Client, apptest.Cashier
	w.member(boot, discordgo.EnglishUS)
	w.member(agent, l.locale)
	w.member(client, l.locale)
	w.member(cashier, l.locale)

	// A superuser sets the business up from Discord.
	w.want(w.cmd(boot, "currency", subcmd("add", opt("code", "USD"), opt("decimals", 2), opt("name", "US dollar"))), "USD")
	w.want(w.cmd(boot, "currency", subcmd("add", opt("code", "VES"), opt("decimals", 2), opt("name", "Bolívar"))), "VES")
	w.want(w.cmd(boot, "country", subcmd("add", opt("code", "VE"), opt("name", "Venezuela"), opt("currency", "VES"))), "VE")
	w.want(w.cmd(boot, "rate", subcmd("set", opt("from", "USD"), opt("to", "VES"), opt("rate", "40.00"))), "40")
	w.want(w.cmd(boot, "rule", subcmd("commission", opt("percent", "3"))), "3 %")
	w.want(w.cmd(boot, "rate", subcmd("list")), "USD/VES")
	// The agents' share is a kind of rule the panel edits.
	apptest.Must(w.e.Svc.SaveRule(w.e.As(boot), "", rules.Rule{Name: "Agents' share", Kind: rules.AgentShare, Effect: rules.Effect{Percent: decimal.RequireFromString("33.34")}}))
	apptest.Must(w.e.Svc.PublishRules(w.e.As(boot), ""))
	for kind, ch := range map[string]string{"admin": adminChannel, "cashier": cashierChannel} {
		w.cmd(boot, "config", subcmd("channel", opt("kind", kind), opt("channel", ch)))
	}
	for role, id := range map[string]string{"client": clientRole, "agent": agentRole, "cashier": cashierRole} {
		w.cmd(boot, "config", subcmd("role", opt("role", role), opt("discord_role", id)))
	}

	// Registration: a form, then the roles panel, then Discord roles.
	r := w.cmd(client, "register")
	if r.Type != discordgo.InteractionResponseModal || r.Data.CustomID != "register" {
		t.Fatalf("/register answered %+v", r)
	}
	r = w.submit(client, "register", map[string]string{"name": "Ana", "phone": ""})
	w.want(r, l.registered, "Ana")
	if ids := customIDs(r.Data.Components); !slices.Equal(ids, []string{"country", "usertype"}) {
		t.Fatalf("roles panel %v", ids)
	}
	w.want(w.click(client, generalChannel, "", "country", "VE"), l.saved, "VE")
	for _, u := range []cambista.UserID{agent, cashier} {
		w.submit(u, "register", map[string]string{"name": "user " + string(u)})
	}
	w.want(w.cmd(boot, "role", subcmd("assign", opt("user", string(agent)), opt("role", "agent"))), "agent")
	w.want(w.cmd(boot, "role", subcmd("assign", opt("user", string(cashier)), opt("role", "cashier"))), "cashier", "<@"+string(cashier)+">")
	apptest.Must(w.e.Svc.SetReferrer(w.e.As(boot), "", app.Referral{ClientID: client, AgentID: agent}))
	w.deliver()
	if got := w.fake.MemberRoles(string(client)); !slices.Contains(got, clientRole) || !slices.Contains(got, countryRole) {
		t.Fatalf("client's Discord roles %v, want the client and Venezuela roles", got)
	}
	if got := w.fake.MemberRoles(string(cashier)); !slices.Contains(got, cashierRole) {
		t.Fatalf("cashier's Discord roles %v", got)
	}

	// An account request: the admin channel's card, refusals, approval.
	w.want(w.cmd(agent, "account", subcmd("request", opt("currency", "USD"))), "USD")
	w.deliver()
	card := w.lastCard(adminChannel)
	approve := customIDs(card.Components)[0]
	w.want(w.click(client, adminChannel, card.ID, approve), l.forbidden)
	r = w.click(boot, adminChannel, card.ID, approve)
	if r.Type != discordgo.InteractionResponseUpdateMessage || len(customIDs(r.Data.Components)) != 0 {
		t.Fatalf("approval answered %+v", r)
	}
	w.deliver()
	if dms := w.dms(agent); len(dms) == 0 {
		t.Fatal("the agent got no DM about the account")
	}
	// Four eyes: a superuser's own request needs another superuser.
	w.cmd(boot, "account", subcmd("request", opt("currency", "VES")))
	w.deliver()
	own := w.lastCard(adminChannel)
	w.want(w.click(boot, adminChannel, own.ID, customIDs(own.Components)[0]), "another superuser")

	// A transfer: quote, send, beneficiary form, cashier channel, take,
	// complete, DM, and the card edited in place.
	w.want(w.cmd(cashier, "batch", subcmd("open", opt("from", "USD"), opt("to", "VES"), opt("capital", "4000"), opt("cost_rate", "41"))), "4")
	w.want(w.cmd(client, "quote", opt("amount", "100"), opt("from", "USD"), opt("to", "VES")), l.commission, l.paid)
	r = w.cmd(client, "send", opt("amount", "100"), opt("from", "USD"), opt("to", "VES"))
	confirm := customIDs(r.Data.Components)
	if len(confirm) != 1 || !strings.HasPrefix(confirm[0], "send:") {
		t.Fatalf("send answered %v", confirm)
	}
	r = w.click(client, generalChannel, "", confirm[0])
	if r.Type != discordgo.InteractionResponseModal {
		t.Fatalf("confirm answered %+v", r)
	}
	b := apptest.Beneficiary
	w.want(w.submit(client, confirm[0], map[string]string{"name": b.Name, "bank": b.Bank, "number": b.AccountNumber, "document": b.DocumentID}), l.created)
	w.deliver()
	card = w.lastCard(cashierChannel)
	if ids := customIDs(card.Components); len(ids) != 1 || !strings.HasPrefix(ids[0], "take:") {
		t.Fatalf("cashier card buttons %v", ids)
	}
	take := customIDs(card.Components)[0]
	w.want(w.click(client, cashierChannel, card.ID, take), l.forbidden)
	r = w.click(cashier, cashierChannel, card.ID, take)
	done := customIDs(r.Data.Components)
	if r.Type != discordgo.InteractionResponseUpdateMessage || len(done) != 3 {
		t.Fatalf("take answered %+v", r)
	}
	if r = w.click(cashier, cashierChannel, card.ID, done[0]); r.Type != discordgo.InteractionResponseModal {
		t.Fatalf("complete answered %+v", r)
	}
	r = w.submit(cashier, done[0], map[string]string{"reference": "REF-1", "proof": ""})
	if r.Type != discordgo.InteractionResponseUpdateMessage || len(customIDs(r.Data.Components)) != 0 {
		t.Fatalf("completion answered %+v", r)
	}
	w.deliver()
	if n := len(w.cards(cashierChannel)); n != 1 {
		t.Fatalf("%d cards in the cashier channel, want the one edited in place", n)
	}
	if got := messageText(w.lastCard(cashierChannel)); !strings.Contains(got, "REF-1") {
		t.Fatalf("the cashier card was not edited: %s", got)
	}
	if dms := strings.Join(w.dms(client), "\n"); !strings.Contains(dms, l.completedDM) {
		t.Fatalf("client DMs lack the completion:\n%s", dms)
	}

	// Closing the batch shows the worked example's figures.
	r = w.cmd(cashier, "batch", subcmd("close"))
	w.want(r, l.paid)
	for _, fig := range map[string][]string{"es": {"94,63 USD", "5,37 USD", "1,00 USD", "4,37 USD", "120,00 VES"}, "en": {"94.63 USD", "5.37 USD", "1.00 USD", "4.37 USD", "120.00 VES"}}[langOf(l)] {
		w.want(r, fig)
	}

	// Withdrawals: the agent's 1.00 USD commission; one rejected with a
	// reason, one approved.
	w.want(w.cmd(agent, "balance"), map[string]string{"es": "1,00 USD", "en": "1.00 USD"}[langOf(l)])
	w.want(w.cmd(agent, "withdraw", opt("amount", "0.50"), opt("currency", "USD")), l.kept)
	w.deliver()
	wd := w.lastCard(adminChannel)
	reject := customIDs(wd.Components)[1]
	if r = w.click(boot, adminChannel, wd.ID, reject); r.Type != discordgo.InteractionResponseModal {
		t.Fatalf("reject answered %+v", r)
	}
	w.want(w.submit(boot, reject, map[string]string{"reason": "missing documents"}), "missing documents")
	w.cmd(agent, "withdraw", opt("amount", "0.50"), opt("currency", "USD"))
	w.deliver()
	wd = w.lastCard(adminChannel)
	w.click(boot, adminChannel, wd.ID, customIDs(wd.Components)[0])
	w.want(w.cmd(agent, "balance"), map[string]string{"es": "0,50 USD", "en": "0.50 USD"}[langOf(l)])

	// Cancel a pending transfer.
	q := apptest.Must(w.e.Svc.Quote(w.e.As(client), "", app.QuoteRequest{Amount: "10", From: "USD", To: "VES"}))
	tr := apptest.Must(w.e.Svc.CreateTransfer(w.e.As(client), "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: b}))
	w.want(w.cmd(agent, "transfer", subcmd("cancel", opt("id", int64(tr.ID)))), "❌", fmt.Sprint(tr.ID))
	w.want(w.cmd(client, "transfer", subcmd("cancel", opt("id", int64(tr.ID)))), fmt.Sprint(tr.ID))

	// The statement comes with its CSV file.
	w.cmd(agent, "statement", opt("currency", "USD"))
	w.waitFile("statement-USD.csv")

	// Forbidden: a client may not set rates.
	w.want(w.cmd(client, "rate", subcmd("set", opt("from", "USD"), opt("to", "VES"), opt("rate", "50"))), l.forbidden)
	w.deliver()
	if v, err := app.CheckLedger(context.Background(), w.e.Store); err != nil || len(v) != 0 {
		t.Fatalf("ledger: %v %v", v, err)
	}
}

func langOf(l words) string {
	if l.locale == discordgo.EnglishUS {
		return "en"
	}
	return "es"
}

// waitFile waits for a message with the attachment: the answer itself in
// gateway mode, a follow-up in http mode.
func (w *world) waitFile(name string) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := w.fake.Wait(ctx, func() bool {
		for _, c := range w.fake.Calls() {
			for _, f := range c.Files {
				if f.Name == name && strings.Contains(string(f.Data), "opening balance") {
					return true
				}
			}
		}
		return false
	})
	if err != nil {
		w.t.Fatalf("no file %s was sent", name)
	}
}

// TestAgentRequestFromDiscord: a client who picks "agent" in the roles
// panel asks for it; the type changes only when a superuser approves the
// card in the admin channel, and then the member gets the agent's role.
func TestAgentRequestFromDiscord(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s, "gateway")
		boot, client := apptest.Boot, apptest.Client
		w.member(boot, discordgo.EnglishUS)
		w.member(client, discordgo.SpanishLATAM)
		w.cmd(boot, "config", subcmd("channel", opt("kind", "admin"), opt("channel", adminChannel)))
		w.submit(client, "register", map[string]string{"name": "Ana"})

		w.want(w.click(client, generalChannel, "", "usertype", "agent"), "Su solicitud para ser agente")
		if u := apptest.Must(w.e.Svc.User(w.e.As(boot), client)); u.Type != cambista.UserTypeClient {
			t.Fatalf("asking made the user %s", u.Type)
		}
		w.deliver()
		card := w.lastCard(adminChannel)
		approve := customIDs(card.Components)[0]
		w.want(w.click(client, adminChannel, card.ID, approve), "No tiene permiso")
		r := w.click(boot, adminChannel, card.ID, approve)
		if r.Type != discordgo.InteractionResponseUpdateMessage || len(customIDs(r.Data.Components)) != 0 {
			t.Fatalf("approval answered %+v", r)
		}
		if u := apptest.Must(w.e.Svc.User(w.e.As(boot), client)); u.Type != cambista.UserTypeAgent {
			t.Fatalf("approved, but the user is %s", u.Type)
		}
		w.deliver()
		if got := w.fake.MemberRoles(string(client)); !slices.Contains(got, agentRole) {
			t.Fatalf("the new agent's Discord roles %v", got)
		}
		if dms := w.dms(client); len(dms) == 0 || !strings.Contains(dms[len(dms)-1], "ser agente") {
			t.Fatalf("the client's DMs %v", dms)
		}
	})
}

// TestPanicRecovered: an interaction whose option has a type its handler
// does not expect (a text where an integer belongs) is answered with an
// apology in the person's language and counted, in gateway mode where
// nothing else would catch it; the bot goes on answering.
func TestPanicRecovered(t *testing.T) {
	for _, mode := range []string{"gateway", "http"} {
		t.Run(mode, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, s *store.Store) {
				w := newWorld(t, s, mode)
				w.member(apptest.Client, discordgo.SpanishLATAM)
				w.submit(apptest.Client, "register", map[string]string{"name": "Ana"})
				bad := &discordgo.ApplicationCommandInteractionDataOption{Name: "id", Type: discordgo.ApplicationCommandOptionString, Value: "7"}
				w.want(w.cmd(apptest.Client, "transfer", subcmd("status", bad)), "Algo falló de nuestro lado")
				reg := prometheus.NewRegistry()
				reg.MustRegister(w.bot.Metrics()...)
				mfs, err := reg.Gather()
				if err != nil || len(mfs) != 1 || mfs[0].GetMetric()[0].GetCounter().GetValue() != 1 {
					t.Fatalf("panics counted: %v %v, want 1", mfs, err)
				}
				w.want(w.cmd(apptest.Client, "balance"), "")
			})
		})
	}
}

// TestUserTextEscaped: what a person types reaches Discord as text: a
// beneficiary named like a masked link shows as those characters in the
// cashiers' card and in the reply, and no reply can ping anyone.
func TestUserTextEscaped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s, "gateway")
		apptest.Business(t, s)
		boot, client := apptest.Boot, apptest.Client
		w.member(boot, discordgo.EnglishUS)
		w.member(client, discordgo.SpanishLATAM)
		w.cmd(boot, "config", subcmd("channel", opt("kind", "cashier"), opt("channel", cashierChannel)))
		const evil = "[Pague aquí primero](https://evil.example/login) @everyone"
		const shown = `\[Pague aquí primero\]\(https://evil.example/login\) \@everyone`
		r := w.cmd(client, "send", opt("amount", "100"), opt("from", "USD"), opt("to", "VES"))
		b := apptest.Beneficiary
		r = w.submit(client, customIDs(r.Data.Components)[0], map[string]string{"name": evil, "bank": b.Bank, "number": b.AccountNumber, "document": b.DocumentID})
		w.want(r, shown)
		if m := r.Data.AllowedMentions; m == nil || len(m.Parse) != 0 || len(m.Roles) != 0 || len(m.Users) != 0 {
			t.Fatalf("the reply may ping: %+v", m)
		}
		w.deliver()
		card := w.lastCard(cashierChannel)
		if text := messageText(card); !strings.Contains(text, shown) {
			t.Fatalf("the cashiers' card shows the name unescaped:\n%s", text)
		}
		if m := card.AllowedMentions; m == nil || len(m.Parse) != 0 || len(m.Roles) != 0 || len(m.Users) != 0 {
			t.Fatalf("the card may ping: %+v", m)
		}
	})
}

// eachModeAndLanguage runs f as a subtest for each way the bot meets
// Discord (gateway, http) and each reader's language of langs.
func eachModeAndLanguage[L any](t *testing.T, langs map[string]L, f func(t *testing.T, mode string, l L)) {
	for _, mode := range []string{"gateway", "http"} {
		for name, l := range langs {
			t.Run(mode+"/"+name, func(t *testing.T) { f(t, mode, l) })
		}
	}
}

// cashierDesk sets up the business with its usual cast as members: the
// superuser reads English, the client and the cashier read locale; new
// transfers go to the cashier channel.
func (w *world) cashierDesk(locale discordgo.Locale) (boot, client, cashier cambista.UserID) {
	apptest.Business(w.t, w.e.Store)
	boot, client, cashier = apptest.Boot, apptest.Client, apptest.Cashier
	w.member(boot, discordgo.EnglishUS)
	w.member(client, locale)
	w.member(cashier, locale)
	w.cmd(boot, "config", subcmd("channel", opt("kind", "cashier"), opt("channel", cashierChannel)))
	return boot, client, cashier
}
