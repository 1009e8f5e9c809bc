// Package apptest sets up a business for tests of the adapters (Discord,
// web, reports): a real store, the real use cases, and the design's worked
// example — USD→VES at 40.00, a 3 % commission of which 33.34 % (1.00 of
// 3.00) goes to the referring agent — with an agent, a referred client and
// two cashiers.
package apptest

import (
	"context"
	"testing"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/rules"
	"github.com/cambista/cambista/store"
	"github.com/shopspring/decimal"
)

// The cast of the worked example.
const (
	Boot    = cambista.UserID("1") // bootstrap superuser
	Agent   = cambista.UserID("20")
	Client  = cambista.UserID("30")
	Cashier = cambista.UserID("40")
	Other   = cambista.UserID("41") // a second cashier
)

// Beneficiary is a valid Venezuelan beneficiary.
var Beneficiary = cambista.Beneficiary{Name: "María Pérez", Bank: "Banesco", AccountNumber: "0134-0000-1234567890", DocumentID: "V-12345678"}

// Env is a service over a store.
type Env struct {
	T     testing.TB
	Store *store.Store
	Svc   *app.Service
}

// New returns an Env whose service has Boot as bootstrap superuser.
func New(t testing.TB, s *store.Store, cfg app.Config) *Env {
	t.Helper()
	cfg.Bootstrap = append(cfg.Bootstrap, Boot)
	svc := app.New(s, cfg)
	if err := svc.Bootstrap(context.Background()); err != nil {
		t.Fatal(err)
	}
	return &Env{T: t, Store: s, Svc: svc}
}

// As returns a context acting as the user, resolved as an adapter would.
func (e *Env) As(id cambista.UserID) context.Context {
	e.T.Helper()
	ctx := context.Background()
	a, err := e.Svc.Actor(ctx, id, "es-ES")
	if err != nil {
		e.T.Fatal(err)
	}
	return cambista.WithActor(ctx, a)
}

// User registers id and gives it the roles.
func (e *Env) User(id cambista.UserID, roles ...cambista.Role) {
	e.T.Helper()
	Must(e.Svc.Register(e.As(id), "", app.Register{DisplayName: "user " + string(id)}))
	for _, r := range roles {
		Must(e.Svc.AssignRole(e.As(Boot), "", app.RoleChange{UserID: id, Role: r}))
	}
}

// Business sets up the worked example.
func Business(t testing.TB, s *store.Store) *Env {
	t.Helper()
	return BusinessWith(t, s, app.Config{})
}

// BusinessWith sets up the worked example on a service configured by cfg.
func BusinessWith(t testing.TB, s *store.Store, cfg app.Config) *Env {
	t.Helper()
	e := New(t, s, cfg)
	ctx := e.As(Boot)
	for _, c := range []app.AddCurrency{{Code: "USD", Exponent: 2, Name: "US dollar"}, {Code: "VES", Exponent: 2, Name: "Bolívar"}} {
		Must(e.Svc.AddCurrency(ctx, "", c))
	}
	Must(e.Svc.AddCountry(ctx, "", app.AddCountry{Code: "VE", Name: "Venezuela", Currency: "VES"}))
	Must(e.Svc.AddCountry(ctx, "", app.AddCountry{Code: "US", Name: "United States", Currency: "USD"}))
	Must(e.Svc.SetRate(ctx, "", app.SetRate{Base: "USD", Quote: "VES", Value: "40.00"}))
	Must(e.Svc.SaveRule(ctx, "", rules.Rule{Name: "Standard USD→VES", Priority: 10, Kind: rules.Commission,
		Scope: rules.Scope{FromCurrency: "USD", ToCurrency: "VES"}, Effect: rules.Effect{Percent: decimal.RequireFromString("3")}}))
	Must(e.Svc.SaveRule(ctx, "", rules.Rule{Name: "Agents' share", Priority: 10, Kind: rules.AgentShare,
		Effect: rules.Effect{Percent: decimal.RequireFromString("33.34")}}))
	Must(e.Svc.PublishRules(ctx, ""))
	e.User(Agent, cambista.RoleAgent)
	e.User(Client)
	e.User(Cashier, cambista.RoleCashier)
	e.User(Other, cambista.RoleCashier)
	Must(e.Svc.SetReferrer(ctx, "", app.Referral{ClientID: Client, AgentID: Agent}))
	return e
}

// Account opens an approved account of the user's (not Boot's, whose
// request would need a second superuser) in the currency.
func (e *Env) Account(who cambista.UserID, currency string) *cambista.Account {
	e.T.Helper()
	a := Must(e.Svc.RequestAccount(e.As(who), "", currency))
	return Must(e.Svc.DecideAccount(e.As(Boot), "", app.Decision{ID: a.ID, Approve: true}))
}

// Fund gives the user an approved account in the currency holding amount,
// by a deposit a superuser confirms.
func (e *Env) Fund(who cambista.UserID, currency, amount string) {
	e.T.Helper()
	views := Must(e.Svc.Accounts(e.As(who), ""))
	has := false
	for _, v := range views {
		has = has || (v.Account.Currency == currency && v.Account.Status == cambista.AccountApproved)
	}
	if !has {
		e.Account(who, currency)
	}
	d := Must(e.Svc.DeclareDeposit(e.As(who), "", app.DeclareDeposit{Currency: currency, Amount: amount, Method: "bank transfer"}))
	Must(e.Svc.DecideDeposit(e.As(Boot), "", app.Decision{ID: d.ID, Approve: true}))
}

// Send quotes and creates a pending USD→VES transfer for the user.
func (e *Env) Send(who cambista.UserID, amount string) *cambista.Transfer {
	e.T.Helper()
	q := Must(e.Svc.Quote(e.As(who), "", app.QuoteRequest{Amount: amount, From: "USD", To: "VES", FromCountry: "US"}))
	return Must(e.Svc.CreateTransfer(e.As(who), "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: Beneficiary}))
}

// Must returns v, or panics on a setup step that cannot fail unless the
// code under test is broken; the panic's trace names the line.
func Must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
