package jobs_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/shopspring/decimal"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/discord"
	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/jobs"
	"github.com/cambista/cambista/rules"
	"github.com/cambista/cambista/store"
)

const (
	boot     = cambista.UserID("1")
	client   = cambista.UserID("30") // reads Spanish
	clientEN = cambista.UserID("31") // reads English
	cashier  = cambista.UserID("40")
	other    = cambista.UserID("41") // not a cashier yet

	cashierChannel = "900000000000000001"
	adminChannel   = "900000000000000002"
	cashierRole    = "800000000000000001"
)

// clock is the worker's clock: real time plus an offset the test moves,
// so that backoff and horizons pass without sleeping.
type clock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// env is a business with users, configured channels and a mapped role, a
// fake Discord, and a worker between them.
type env struct {
	t     *testing.T
	st    *store.Store
	svc   *app.Service
	dc    *discordtest.Server
	dg    *discordgo.Session
	w     *jobs.Worker
	reg   *prometheus.Registry
	clock *clock
}

func newEnv(t *testing.T, st *store.Store, cfg jobs.Config) *env {
	t.Helper()
	e := &env{t: t, st: st, dc: discordtest.New(t, discordtest.WithRateLimits(discordtest.DiscordLimits)), reg: prometheus.NewPedanticRegistry(), clock: &clock{}}
	e.svc = app.New(st, app.Config{Bootstrap: []cambista.UserID{boot}})
	if err := e.svc.Bootstrap(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx := e.as(boot)
	for _, c := range []app.AddCurrency{{Code: "USD", Exponent: 2, Name: "US dollar"}, {Code: "VES", Exponent: 2, Name: "Bolívar"}} {
		must(e.svc.AddCurrency(ctx, "", c))
	}
	must(e.svc.AddCountry(ctx, "", app.AddCountry{Code: "VE", Name: "Venezuela", Currency: "VES"}))
	must(e.svc.AddCountry(ctx, "", app.AddCountry{Code: "US", Name: "United States", Currency: "USD"}))
	must(e.svc.SetRate(ctx, "", app.SetRate{Base: "USD", Quote: "VES", Value: "40.00"}))
	must(e.svc.SaveRule(ctx, "", rules.Rule{Name: "Standard", Priority: 10, Kind: rules.Commission,
		Scope: rules.Scope{FromCurrency: "USD", ToCurrency: "VES"}, Effect: rules.Effect{Percent: decimal.RequireFromString("3")}}))
	must(e.svc.PublishRules(ctx, ""))

	e.dc.AddRole(cashierRole, "Cajero")
	for id, locale := range map[cambista.UserID]string{client: "es", clientEN: "en", cashier: "es", other: "es"} {
		e.dc.AddMember(string(id), "user"+string(id))
		must(e.svc.Register(e.as(id), "", app.Register{DisplayName: "user " + string(id), Locale: locale}))
	}
	must(e.svc.ConfigureChannel(ctx, "", app.ChannelSetting{Kind: app.ChannelCashier, ChannelID: cashierChannel}))
	must(e.svc.ConfigureChannel(ctx, "", app.ChannelSetting{Kind: app.ChannelAdmin, ChannelID: adminChannel}))
	must(e.svc.ConfigureRole(ctx, "", app.RoleSetting{Role: cambista.RoleCashier, DiscordRoleID: cashierRole}))
	must(e.svc.AssignRole(ctx, "", app.RoleChange{UserID: cashier, Role: cambista.RoleCashier}))
	must(e.svc.OpenBatch(e.as(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "1000000", CostRate: "41"}))

	e.dg = must(discord.NewSession(discordtest.Token, e.dc.APIURL()))
	cfg.GuildID, cfg.Now = discordtest.GuildID, e.clock.Now
	e.w = jobs.New(e.svc, e.dg, cfg, nil, e.reg)
	return e
}

// must returns v, or panics on a setup step that cannot fail unless the
// code under test is broken; the panic's trace names the line.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// as returns a context acting as the user, resolved as an adapter would.
func (e *env) as(id cambista.UserID) context.Context {
	e.t.Helper()
	ctx := context.Background()
	return cambista.WithActor(ctx, must(e.svc.Actor(ctx, id, "")))
}

var beneficiary = cambista.Beneficiary{Name: "María Pérez", Bank: "Banesco", AccountNumber: "0134-0000-1234567890", DocumentID: "V-12345678"}

// send quotes and creates a pending transfer for the client.
func (e *env) send(who cambista.UserID, amount string) *cambista.Transfer {
	e.t.Helper()
	q := must(e.svc.Quote(e.as(who), "", app.QuoteRequest{Amount: amount, From: "USD", To: "VES", FromCountry: "US"}))
	return must(e.svc.CreateTransfer(e.as(who), "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: beneficiary}))
}

func (e *env) take(id cambista.ID) {
	must(e.svc.TakeTransfer(e.as(cashier), "", id))
}

func (e *env) complete(id cambista.ID) {
	must(e.svc.CompleteTransfer(e.as(cashier), "", app.Complete{ID: id, Reference: "REF-1"}))
}

// system is the context a worker runs in, as cmd starts it.
func system() context.Context {
	return cambista.WithActor(context.Background(), cambista.SystemActor)
}

// runOnce runs one pass and returns how many rows it handled.
func (e *env) runOnce() int {
	e.t.Helper()
	n, err := e.w.RunOnce(system())
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// drain runs passes, moving the clock past any backoff between them,
// until no row is left to deliver; it fails the test after max passes.
func (e *env) drain(max int, step time.Duration) int {
	e.t.Helper()
	for pass := 1; pass <= max; pass++ {
		e.runOnce()
		if e.pending() == 0 {
			return pass
		}
		e.waitBuckets()
		e.clock.Advance(step)
	}
	e.t.Fatalf("%d rows still undelivered after %d passes", e.pending(), max)
	return 0
}

// waitBuckets waits, in Discord's time, for the buckets that rows put
// back to wait for (discord.Busy) to refill: the clock the worker reads
// is the test's, Discord's limits keep time of their own.
func (e *env) waitBuckets() {
	e.t.Helper()
	var due sql.NullInt64
	if err := e.st.DB().QueryRow(`SELECT MAX(run_at) FROM outbox WHERE delivered_at IS NULL AND given_up_at IS NULL
		AND last_error LIKE '%rate limited: the route''s bucket%'`).Scan(&due); err != nil {
		e.t.Fatal(err)
	}
	if due.Valid {
		<-time.After(cambista.FromMicros(due.Int64).Sub(e.clock.Now()))
	}
}

// pending counts rows neither delivered nor given up.
func (e *env) pending() int {
	e.t.Helper()
	var n int
	if err := e.st.DB().QueryRow(`SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND given_up_at IS NULL`).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// metric returns the value of a counter or gauge, for the kind if given.
func (e *env) metric(name, kind string) float64 {
	e.t.Helper()
	families, err := e.reg.Gather()
	if err != nil {
		e.t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			match := kind == ""
			for _, l := range m.GetLabel() {
				match = match || l.GetName() == "kind" && l.GetValue() == kind
			}
			if !match {
				continue
			}
			if m.Counter != nil {
				return m.Counter.GetValue()
			}
			return m.Gauge.GetValue()
		}
	}
	return 0
}

// succeeded returns the calls with the method and path prefix that the
// fake carried out (not faulted).
func (e *env) succeeded(method, path string) []discordtest.Call {
	var out []discordtest.Call
	for _, c := range e.dc.CallsTo(method, path) {
		if c.Status < 300 {
			out = append(out, c)
		}
	}
	return out
}

// field returns the value of the embed's field with the name.
func field(m discordtest.Message, name string) string {
	for _, e := range m.Embeds {
		for _, f := range e.Fields {
			if f.Name == name {
				return f.Value
			}
		}
	}
	return ""
}

// shown finds the transfer among the channel's messages, as its own card
// or as a line of a queue card, and returns the message and the state it
// shows.
func shown(ms []discordtest.Message, id cambista.ID) (discordtest.Message, string) {
	name := fmt.Sprintf("Transferencia #%d", id)
	for _, m := range ms {
		if title(m) == name {
			return m, field(m, "Estado")
		}
		for _, e := range m.Embeds {
			for _, f := range e.Fields {
				if strings.HasPrefix(f.Name, name+" · ") {
					return m, lineState(f.Value)
				}
			}
		}
	}
	return discordtest.Message{}, ""
}

// lineState reads the state of a queue card's line: its second line, less
// who acted.
func lineState(v string) string {
	_, st, _ := strings.Cut(v, "\n")
	st, _, _ = strings.Cut(st, " por ")
	return strings.ToLower(st)
}

func title(m discordtest.Message) string {
	if len(m.Embeds) == 0 {
		return ""
	}
	return m.Embeds[0].Title
}

// buttons lists the labels of the message's buttons.
func buttons(m discordtest.Message) []string {
	var out []string
	for _, c := range m.Components {
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, b := range row.Components {
			if b, ok := b.(*discordgo.Button); ok {
				out = append(out, b.Label)
			}
		}
	}
	return out
}
