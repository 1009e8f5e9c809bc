// Package demo fills an empty database with a realistic week of a
// remittance business — currencies, countries, rates with history, rules,
// people of every role, batches closed and open, transfers in every state,
// withdrawals — through the same use cases people use, so the panel and
// the bot have something living to show on a first run.
package demo

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/rules"
	"github.com/shopspring/decimal"
)

// Clock is the demo's own time: the week is played in a few seconds. The
// store the week is played into reads its time from Now.
type Clock struct {
	mu  sync.Mutex
	now time.Time
	end time.Time // the hour the script must end before
}

// NewClock returns the time at the start of the demo's week, 167 hours
// before the current hour: the script plays six business days, one a day,
// then the last hours before that hour, so everything it writes lies in
// the past week, in order, before anyone uses the business.
func NewClock() *Clock { return clockEnding(time.Now().UTC().Truncate(time.Hour)) }

func clockEnding(end time.Time) *Clock {
	return &Clock{now: end.Add(-167 * time.Hour), end: end}
}

// Now returns the demo's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *Clock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// advanceTo moves the clock to t, which the script plans to be later than
// its time now: time never runs backwards.
func (c *Clock) advanceTo(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.Before(c.now) {
		panic(failure{fmt.Errorf("the script ran past its plan: %s is before %s", t, c.now)})
	}
	c.now = t
}

// People of the demo, by Discord-like IDs.
var (
	superusers = []cambista.UserID{"900000000000000001", "900000000000000002"}
	agents     = map[cambista.UserID]string{"900000000000000011": "Carla Méndez", "900000000000000012": "Luis Ortega"}
	cashiers   = map[cambista.UserID]string{"900000000000000021": "Pedro Salas", "900000000000000022": "Ana Rivas", "900000000000000023": "Jorge Páez"}
	clients    = map[cambista.UserID]string{
		"900000000000000031": "María Pérez", "900000000000000032": "José Rodríguez", "900000000000000033": "Daniela Gómez",
		"900000000000000034": "Andrés Castillo", "900000000000000035": "Valentina Rojas", "900000000000000036": "Miguel Torres",
		"900000000000000037": "Sofía Herrera", "900000000000000038": "Diego Morales",
	}
)

// Superusers returns the demo's superusers. The service the week is
// played through must have them among its bootstrap superusers, beside
// the operator's, who get the demo's superuser powers too.
func Superusers() []cambista.UserID { return slices.Clone(superusers) }

// Seed plays the week through svc, whose store reads its time from c and
// whose bootstrap superusers include Superusers. It refuses a database that
// has a business.
func Seed(ctx context.Context, svc *app.Service, c *Clock) error {
	if has, err := svc.HasBusiness(ctx); err != nil {
		return err
	} else if has {
		return fmt.Errorf("demo: the database already holds a business; use an empty one")
	}
	if err := svc.Bootstrap(ctx); err != nil {
		return err
	}
	return play(&player{ctx: ctx, svc: svc, c: c, r: rand.New(rand.NewPCG(7, 7))})
}

// days is how many business days the script plays before the last hours.
const days = 6

func play(p *player) (err error) {
	defer func() {
		if r := recover(); r != nil {
			f, ok := r.(failure)
			if !ok {
				panic(r)
			}
			err = fmt.Errorf("demo: %w", f.err)
		}
	}()
	start := p.c.Now()
	p.setup()
	for day := range days {
		p.c.advanceTo(start.Add(time.Duration(day)*24*time.Hour + 7*time.Hour))
		p.day(day)
	}
	p.now()
	return nil
}

type player struct {
	ctx context.Context
	svc *app.Service
	c   *Clock
	r   *rand.Rand
}

// failure carries a fault out of the script to Seed.
type failure struct{ err error }

// do returns a step's result. A refusal the demo may meet (a limit, a
// batch running short) is part of the story; a fault stops the script.
func do[T any](v T, err error) T {
	if err != nil && cambista.ErrorCode(err) == cambista.EINTERNAL {
		panic(failure{err})
	}
	return v
}

func (p *player) as(id cambista.UserID) context.Context {
	return cambista.WithActor(p.ctx, do(p.svc.Actor(p.ctx, id, "es-ES")))
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func (p *player) setup() {
	boss, second := p.as(superusers[0]), p.as(superusers[1])
	do(p.svc.Register(boss, "", app.Register{DisplayName: "Gerencia"}))
	do(p.svc.Register(p.as(superusers[1]), "", app.Register{DisplayName: "Supervisión"}))
	for _, c := range []app.AddCurrency{
		{Code: "USD", Exponent: 2, Name: "Dólar estadounidense"}, {Code: "VES", Exponent: 2, Name: "Bolívar"},
		{Code: "COP", Exponent: 2, Name: "Peso colombiano"}, {Code: "CLP", Exponent: 0, Name: "Peso chileno"},
		{Code: "EUR", Exponent: 2, Name: "Euro", Rounding: "half_up"}, {Code: "USDT", Exponent: 6, Name: "Tether"},
	} {
		do(p.svc.AddCurrency(boss, "", c))
	}
	for _, c := range []app.AddCountry{
		{Code: "VE", Name: "Venezuela", Currency: "VES"}, {Code: "CO", Name: "Colombia", Currency: "COP"},
		{Code: "CL", Name: "Chile", Currency: "CLP"}, {Code: "US", Name: "Estados Unidos", Currency: "USD"},
		{Code: "ES", Name: "España", Currency: "EUR"},
	} {
		do(p.svc.AddCountry(boss, "", c))
	}
	for _, r := range []rules.Rule{
		{Name: "Comisión USD→VES", Priority: 10, Kind: rules.Commission, Scope: rules.Scope{FromCurrency: "USD", ToCurrency: "VES"}, Effect: rules.Effect{Percent: dec("3")}},
		{Name: "Comisión USD→COP por tramos", Priority: 10, Kind: rules.Commission, Scope: rules.Scope{FromCurrency: "USD", ToCurrency: "COP"},
			Effect: rules.Effect{Tiers: []rules.Tier{{UpTo: dec("100"), Percent: dec("4")}, {UpTo: dec("500"), Percent: dec("3")}, {Percent: dec("2.5")}}}},
		{Name: "Comisión USD→CLP", Priority: 10, Kind: rules.Commission, Scope: rules.Scope{FromCurrency: "USD", ToCurrency: "CLP"},
			Effect: rules.Effect{Percent: dec("2"), Fixed: dec("1"), Min: dec("3")}},
		{Name: "Parte del agente", Priority: 10, Kind: rules.AgentShare, Effect: rules.Effect{Percent: dec("33.34")}},
		{Name: "Bono por envío grande", Priority: 10, Kind: rules.Bonus, Scope: rules.Scope{FromCurrency: "USD", MinAmount: dec("300")},
			Effect: rules.Effect{Amount: dec("2"), Currency: "USD", To: rules.ToAgent}},
		{Name: "Límite diario clientes", Priority: 10, Kind: rules.Limit, Scope: rules.Scope{FromCurrency: "USD", UserType: cambista.UserTypeClient},
			Effect: rules.Effect{Daily: dec("1500")}},
	} {
		do(p.svc.SaveRule(boss, "", r))
	}
	do(p.svc.PublishRules(boss, ""))
	for id, name := range agents {
		do(p.svc.Register(p.as(id), "", app.Register{DisplayName: name}))
		do(p.svc.AssignRole(boss, "", app.RoleChange{UserID: id, Role: cambista.RoleAgent}))
		a := do(p.svc.RequestAccount(p.as(id), "", "USD"))
		if a != nil {
			do(p.svc.DecideAccount(second, "", app.Decision{ID: a.ID, Approve: true}))
		}
	}
	for id, name := range cashiers {
		do(p.svc.Register(p.as(id), "", app.Register{DisplayName: name}))
		do(p.svc.AssignRole(boss, "", app.RoleChange{UserID: id, Role: cambista.RoleCashier}))
	}
	i := 0
	for _, id := range sortedIDs(clients) {
		do(p.svc.Register(p.as(id), "", app.Register{DisplayName: clients[id]}))
		country := []string{"US", "ES", "CO", "US"}[i%4]
		do(p.svc.UpdateProfile(p.as(id), "", app.Profile{Country: &country}))
		if i%2 == 0 {
			agent := sortedIDs(agents)[i/2%2]
			do(p.svc.SetReferrer(boss, "", app.Referral{ClientID: id, AgentID: agent}))
		}
		i++
	}
	// Account requests in every state.
	ids := sortedIDs(clients)
	if a := do(p.svc.RequestAccount(p.as(ids[0]), "", "USD")); a != nil {
		do(p.svc.DecideAccount(boss, "", app.Decision{ID: a.ID, Approve: true}))
	}
	if a := do(p.svc.RequestAccount(p.as(ids[1]), "", "USD")); a != nil {
		do(p.svc.DecideAccount(boss, "", app.Decision{ID: a.ID, Reason: "Documento de identidad ilegible"}))
	}
	if a := do(p.svc.RequestAccount(p.as(ids[2]), "", "USD")); a != nil {
		do(p.svc.DecideAccount(boss, "", app.Decision{ID: a.ID, Approve: true}))
		do(p.svc.SetAccountFrozen(boss, "", app.SetAccountFrozen{ID: a.ID, Frozen: true, Reason: "Revisión de cumplimiento"}))
	}
	do(p.svc.RequestAccount(p.as(ids[3]), "", "USD"))
}

// rate sets a pair's rate within half a percent of mid, given in
// hundredths.
func (p *player) rate(base, quote string, midCents int64) {
	v := midCents * (10000 + int64(p.r.IntN(101)) - 50) / 10000
	do(p.svc.SetRate(p.as(superusers[0]), "", app.SetRate{Base: base, Quote: quote, Value: fmt.Sprintf("%d.%02d", v/100, v%100)}))
}

// day plays one business day from 07:00 of its clock, in under 15 hours:
// new rates in the morning, batches opened, transfers sent and paid,
// batches closed at night. On the last day a transfer is left pending
// that no cashier will take.
func (p *player) day(d int) {
	p.rate("USD", "VES", 3850+int64(d)*30)
	p.rate("USD", "COP", 400000)
	p.rate("USD", "CLP", 95000)
	p.rate("EUR", "VES", 4200+int64(d)*30)
	pairs := [][2]string{{"USD", "VES"}, {"USD", "COP"}, {"USD", "CLP"}}
	capital := map[string]string{"VES": "400000", "COP": "40000000", "CLP": "9000000"}
	cash := sortedIDs(cashiers)
	for k, pair := range pairs {
		do(p.svc.OpenBatch(p.as(cash[k]), "", app.OpenBatch{Base: pair[0], Quote: pair[1], Capital: capital[pair[1]],
			CostRate: map[string]string{"VES": "41", "COP": "4080", "CLP": "965"}[pair[1]]}))
	}
	ids := sortedIDs(clients)
	for n := range 6 + d%3 { // each at most 97 minutes
		p.c.advance(time.Duration(15+p.r.IntN(45)) * time.Minute)
		k := p.r.IntN(len(pairs))
		who := ids[p.r.IntN(len(ids))]
		amount := fmt.Sprint([]int{50, 80, 100, 150, 250, 400}[p.r.IntN(6)])
		q := do(p.svc.Quote(p.as(who), "", app.QuoteRequest{Amount: amount, From: pairs[k][0], To: pairs[k][1]}))
		if q == nil {
			continue
		}
		t := do(p.svc.CreateTransfer(p.as(who), "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: beneficiary(n + d)}))
		if t == nil {
			continue
		}
		p.c.advance(time.Duration(5+p.r.IntN(10)) * time.Minute)
		do(p.svc.TakeTransfer(p.as(cash[k]), "", t.ID))
		if p.r.IntN(12) == 0 {
			do(p.svc.RejectTransfer(p.as(cash[k]), "", app.Reason{ID: t.ID, Reason: "Cuenta del beneficiario cerrada"}))
			continue
		}
		p.c.advance(time.Duration(5+p.r.IntN(20)) * time.Minute)
		do(p.svc.CompleteTransfer(p.as(cash[k]), "", app.Complete{ID: t.ID, Reference: fmt.Sprintf("REF-%d-%03d", d+1, n)}))
	}
	p.c.advance(2 * time.Hour)
	for k := range pairs {
		open := do(p.svc.OpenBatches(p.as(cash[k])))
		for _, b := range open {
			do(p.svc.CloseBatch(p.as(cash[k]), "", b.Batch.ID))
		}
	}
	if d == days-1 {
		p.send(ids[4], "60") // expires in the last hours: no cashier takes it
	}
}

// send quotes and creates a USD→VES transfer for the client.
func (p *player) send(who cambista.UserID, amount string) *cambista.Transfer {
	q := do(p.svc.Quote(p.as(who), "", app.QuoteRequest{Amount: amount, From: "USD", To: "VES"}))
	if q == nil {
		return nil
	}
	return do(p.svc.CreateTransfer(p.as(who), "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: beneficiary(1)}))
}

// now leaves the business as it stands this minute: an open batch, a
// transfer pending, one taken, one cancelled, one expired, withdrawals in
// every state.
func (p *player) now() {
	boss := p.as(superusers[0])
	ids := sortedIDs(clients)
	cash := sortedIDs(cashiers)
	send := p.send
	// The last day ended before 23:00 yesterday, by this clock: what it
	// left pending has waited more than the 24 hours a transfer may wait.
	p.c.advanceTo(p.c.end.Add(-40 * time.Minute))
	do(p.svc.ExpireTransfers(p.ctx))
	p.c.advance(10 * time.Minute)
	p.rate("USD", "VES", 3850+days*30)
	do(p.svc.OpenBatch(p.as(cash[0]), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "200000", CostRate: "41.5"}))
	if t := send(ids[5], "120"); t != nil {
		do(p.svc.TakeTransfer(p.as(cash[0]), "", t.ID))
	}
	send(ids[6], "75")
	if t := send(ids[7], "40"); t != nil {
		do(p.svc.CancelTransfer(p.as(ids[7]), "", t.ID))
	}
	agentIDs := sortedIDs(agents)
	if w := do(p.svc.RequestWithdrawal(p.as(agentIDs[0]), "", app.RequestWithdrawal{Currency: "USD", Amount: "1"})); w != nil {
		do(p.svc.DecideWithdrawal(boss, "", app.Decision{ID: w.ID, Approve: true}))
	}
	if w := do(p.svc.RequestWithdrawal(p.as(agentIDs[1]), "", app.RequestWithdrawal{Currency: "USD", Amount: "1"})); w != nil {
		do(p.svc.DecideWithdrawal(boss, "", app.Decision{ID: w.ID, Reason: "Datos bancarios incompletos"}))
	}
	do(p.svc.RequestWithdrawal(p.as(agentIDs[0]), "", app.RequestWithdrawal{Currency: "USD", Amount: "2"}))
}

func beneficiary(n int) cambista.Beneficiary {
	names := []string{"Rosa Blanco", "Carlos Díaz", "Lucía Fernández", "Pablo Suárez", "Elena Vargas"}
	banks := []string{"Banesco", "Banco de Venezuela", "Mercantil", "Bancolombia", "BancoEstado"}
	return cambista.Beneficiary{Name: names[n%len(names)], Bank: banks[n%len(banks)],
		AccountNumber: fmt.Sprintf("0102-0000-%010d", 1000000+n*7919), DocumentID: fmt.Sprintf("V-%08d", 12000000+n*137)}
}

func sortedIDs[V any](m map[cambista.UserID]V) []cambista.UserID {
	return slices.Sorted(maps.Keys(m))
}
