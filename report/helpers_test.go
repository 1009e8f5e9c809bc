package report_test

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/rules"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const (
	boot    = cambista.UserID("1")
	agent   = cambista.UserID("20")
	client  = cambista.UserID("30")
	cashier = cambista.UserID("40")
	heavy   = cambista.UserID("50") // a user with many postings
)

// day is the period of the fixture's reports; the clock starts in it.
var (
	day    = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	dayEnd = day.AddDate(0, 0, 1)
)

// clock is a store clock that moves one second per transaction, so that
// every run writes the same times and the golden files hold.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// openStore opens a migrated store of the dialect with the fixture's clock.
func openStore(tb testing.TB, dialect string) *store.Store {
	tb.Helper()
	c := &clock{t: day.Add(9 * time.Hour)}
	return storetest.Open(tb, dialect, store.Options{Now: c.now})
}

// eachDialect runs fn on SQLite, and on PostgreSQL when it is configured.
func eachDialect(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) { fn(t, openStore(t, d)) })
	}
}

type fixture struct {
	t   testing.TB
	s   *store.Store
	svc *app.Service
}

func newFixture(tb testing.TB, s *store.Store) *fixture {
	tb.Helper()
	f := &fixture{t: tb, s: s, svc: app.New(s, app.Config{Bootstrap: []cambista.UserID{boot}})}
	if err := f.svc.Bootstrap(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return f
}

// as returns a context acting as the user, resolved as an adapter would.
func (f *fixture) as(id cambista.UserID) context.Context {
	f.t.Helper()
	a, err := f.svc.Actor(context.Background(), id, "es-ES")
	if err != nil {
		f.t.Fatal(err)
	}
	return cambista.WithActor(context.Background(), a)
}

// super is the context of the bootstrap superuser, who may export reports.
func (f *fixture) super() context.Context { return f.as(boot) }

func (f *fixture) user(id cambista.UserID, name string, roles ...cambista.Role) {
	f.t.Helper()
	must(f.svc.Register(f.as(id), "", app.Register{DisplayName: name}))
	for _, r := range roles {
		must(f.svc.AssignRole(f.super(), "", app.RoleChange{UserID: id, Role: r}))
	}
}

// must returns v, or panics on a setup step that cannot fail unless the
// code under test is broken; the panic's trace names the line.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// business runs the design's worked example through the use cases: USD→VES
// at 40.00, a 3 % commission of which 33.34 % goes to the referring agent, a
// batch of 4,000.00 VES bought at 41.00, one transfer of 100.00 USD completed
// and the batch closed. Then the agent withdraws 0.40 USD of the 1.00 they
// earned; the client pays 5.00 USD into an account and gets 2.00 USD of
// the transfer back on it; and the client creates a second transfer that
// stays pending.
func business(tb testing.TB, s *store.Store) *fixture {
	tb.Helper()
	f := newFixture(tb, s)
	ctx := f.super()
	must(f.svc.AddCurrency(ctx, "", app.AddCurrency{Code: "USD", Exponent: 2, Name: "US dollar"}))
	must(f.svc.AddCurrency(ctx, "", app.AddCurrency{Code: "VES", Exponent: 2, Name: "Bolívar"}))
	must(f.svc.AddCountry(ctx, "", app.AddCountry{Code: "VE", Name: "Venezuela", Currency: "VES"}))
	must(f.svc.AddCountry(ctx, "", app.AddCountry{Code: "US", Name: "United States", Currency: "USD"}))
	must(f.svc.SetRate(ctx, "", app.SetRate{Base: "USD", Quote: "VES", Value: "40.00"}))
	dec := decimal.RequireFromString
	must(f.svc.SaveRule(ctx, "", rules.Rule{Name: "Standard USD→VES", Priority: 10, Kind: rules.Commission,
		Scope: rules.Scope{FromCurrency: "USD", ToCurrency: "VES"}, Effect: rules.Effect{Percent: dec("3")}}))
	must(f.svc.SaveRule(ctx, "", rules.Rule{Name: "Agents' share", Priority: 10, Kind: rules.AgentShare, Effect: rules.Effect{Percent: dec("33.34")}}))
	must(f.svc.PublishRules(ctx, ""))
	f.user(agent, "Ana Agente", cambista.RoleAgent)
	f.user(client, "Carlos Cliente")
	f.user(cashier, "Cora Cajera", cambista.RoleCashier)
	must(f.svc.SetReferrer(ctx, "", app.Referral{ClientID: client, AgentID: agent}))

	b := must(f.svc.OpenBatch(f.as(cashier), "open-1", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4.000,00", CostRate: "41,00"}))
	ben := cambista.Beneficiary{Name: "María Pérez", Bank: "Banesco", AccountNumber: "0134-0000-1234567890", DocumentID: "V-12345678"}
	q := must(f.svc.Quote(f.as(client), "quote-1", app.QuoteRequest{Amount: "100", From: "USD", To: "VES", FromCountry: "US"}))
	tr := must(f.svc.CreateTransfer(f.as(client), "create-1", app.CreateTransfer{QuoteID: q.ID, Beneficiary: ben}))
	must(f.svc.TakeTransfer(f.as(cashier), "take-1", tr.ID))
	must(f.svc.CompleteTransfer(f.as(cashier), "complete-1", app.Complete{ID: tr.ID, Reference: "REF-001", ProofURL: "https://cdn.example/p.png"}))
	must(f.svc.CloseBatch(f.as(cashier), "close-1", b.ID))

	acct := must(f.svc.RequestAccount(f.as(agent), "", "USD"))
	must(f.svc.DecideAccount(ctx, "", app.Decision{ID: acct.ID, Approve: true}))
	w := must(f.svc.RequestWithdrawal(f.as(agent), "", app.RequestWithdrawal{Currency: "USD", Amount: "0,40"}))
	must(f.svc.DecideWithdrawal(ctx, "", app.Decision{ID: w.ID, Approve: true}))
	// The client pays 5.00 USD into an account, which staff confirm; and
	// 2.00 USD of the first transfer go back to that balance after its
	// batch closed: an adjustment beside the batch's summary.
	acct = must(f.svc.RequestAccount(f.as(client), "", "USD"))
	must(f.svc.DecideAccount(ctx, "", app.Decision{ID: acct.ID, Approve: true}))
	d := must(f.svc.DeclareDeposit(f.as(client), "", app.DeclareDeposit{Currency: "USD", Amount: "5", Method: "Zelle"}))
	must(f.svc.DecideDeposit(ctx, "", app.Decision{ID: d.ID, Approve: true}))
	must(f.svc.Refund(ctx, "", app.RefundTransfer{TransferID: tr.ID, Amount: "2", ToBalance: true, Reason: "overcharged"}))

	q = must(f.svc.Quote(f.as(client), "quote-2", app.QuoteRequest{Amount: "10", From: "USD", To: "VES", FromCountry: "US"}))
	must(f.svc.CreateTransfer(f.as(client), "create-2", app.CreateTransfer{QuoteID: q.ID, Beneficiary: ben}))
	return f
}

// seedPostings writes n postings to user's USD wallet directly, one journal
// entry each (balanced by world:USD), one second apart from start: three
// credits of 10.00 then a debit of 7.00, so the balance never goes negative.
// It writes multi-row INSERTs with literal integers in a few large
// transactions and moves the cached balance, so that a million postings
// take seconds; the user and the currency must exist.
func seedPostings(tb testing.TB, s *store.Store, user cambista.UserID, n int, start time.Time) {
	tb.Helper()
	db := s.DB()
	var entry, posting int64
	if err := db.QueryRow(`SELECT COALESCE(MAX(id), 0) FROM journal_entries`).Scan(&entry); err != nil {
		tb.Fatal(err)
	}
	if err := db.QueryRow(`SELECT COALESCE(MAX(id), 0) FROM postings`).Scan(&posting); err != nil {
		tb.Fatal(err)
	}
	account := string(ledger.User(user, "USD"))
	const perInsert, perTx = 2000, 100000
	var total int64
	var entries, postings strings.Builder
	for done := 0; done < n; {
		tx, err := db.Begin()
		if err != nil {
			tb.Fatal(err)
		}
		for end := min(done+perTx, n); done < end; {
			entries.Reset()
			postings.Reset()
			entries.WriteString(`INSERT INTO journal_entries (id, time, kind, params, ref_type, ref_id) VALUES `)
			postings.WriteString(`INSERT INTO postings (id, entry_id, account, currency, amount, time) VALUES `)
			for k := 0; k < perInsert && done < end; k, done = k+1, done+1 {
				amount := int64(1000)
				if done%4 == 3 {
					amount = -700
				}
				total += amount
				entry++
				if k > 0 {
					entries.WriteString(", ")
					postings.WriteString(", ")
				}
				at := cambista.Micros(start.Add(time.Duration(done) * time.Second))
				fmt.Fprintf(&entries, `(%d, %d, 'text', '{"Text":"deposit %d"}', 'deposit', %d)`, entry, at, done+1, done+1)
				fmt.Fprintf(&postings, "(%d, %d, '%s', 'USD', %d, %d), (%d, %d, 'world:USD', 'USD', %d, %d)",
					posting+1, entry, account, amount, at, posting+2, entry, -amount, at)
				posting += 2
			}
			if _, err := tx.Exec(entries.String()); err != nil {
				tb.Fatal(err)
			}
			if _, err := tx.Exec(postings.String()); err != nil {
				tb.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			tb.Fatal(err)
		}
	}
	_, err := db.Exec(`INSERT INTO balances (account, currency, balance) VALUES ($1, 'USD', $2)
		ON CONFLICT (account) DO UPDATE SET balance = balances.balance + excluded.balance`, account, total)
	if err != nil {
		tb.Fatal(err)
	}
	if s.Dialect() == "postgres" {
		// Explicit IDs do not move the identity sequences; later inserts
		// through the store would collide without this.
		for _, table := range []string{"journal_entries", "postings"} {
			if _, err := db.Exec(`SELECT setval(pg_get_serial_sequence('` + table + `', 'id'), (SELECT MAX(id) FROM ` + table + `))`); err != nil {
				tb.Fatal(err)
			}
		}
	}
}

// heapWatch samples the size of the heap's objects every millisecond until
// stop is called, and returns the largest sample in bytes. The heap holds
// garbage not yet collected too, so this is what the process needs, not
// only what it keeps alive.
func heapWatch() (stop func() uint64) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	read := func() {
		metrics.Read(sample)
		peak = max(peak, sample[0].Value.Uint64())
	}
	read()
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				read()
				return
			case <-tick.C:
				read()
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-finished
		return peak
	}
}
