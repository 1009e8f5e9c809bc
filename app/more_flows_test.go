package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/rules"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
	"github.com/shopspring/decimal"
)

// completeOne runs one transfer of amt USD from the client to completion
// in a fresh batch of the cashier's.
func (e *env) completeOne(amt string) *cambista.Transfer {
	e.T.Helper()
	if open := apptest.Must(e.Svc.OpenBatches(e.As(cashier))); len(open) == 0 {
		apptest.Must(e.Svc.OpenBatch(e.As(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "1000000", CostRate: "41"}))
	}
	t := e.Send(client, amt)
	apptest.Must(e.Svc.TakeTransfer(e.As(cashier), "", t.ID))
	return apptest.Must(e.Svc.CompleteTransfer(e.As(cashier), "", app.Complete{ID: t.ID, Reference: "R"}))
}

func TestAccountsAndWithdrawals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		e.User("2", cambista.RoleSuperuser) // a second superuser, for four eyes
		a := apptest.Must(e.Svc.RequestAccount(e.As(agent), "", "usd"))
		_, err := e.Svc.RequestAccount(e.As(agent), "", "USD")
		wantCode(t, err, cambista.ECONFLICT)
		_, err = e.Svc.DecideAccount(e.As(agent), "", app.Decision{ID: a.ID, Approve: true})
		wantCode(t, err, cambista.EFORBIDDEN)
		_, err = e.Svc.DecideAccount(e.As(boot), "", app.Decision{ID: a.ID})
		wantCode(t, err, cambista.EINVALID) // a rejection needs a reason
		a = apptest.Must(e.Svc.DecideAccount(e.As(boot), "", app.Decision{ID: a.ID, Approve: true}))
		if a.Status != cambista.AccountApproved || a.DecidedBy != boot {
			t.Fatalf("decided %+v", a)
		}
		// The superuser's own request needs the other superuser.
		own := apptest.Must(e.Svc.RequestAccount(e.As(boot), "", "VES"))
		_, err = e.Svc.DecideAccount(e.As(boot), "", app.Decision{ID: own.ID, Approve: true})
		wantCode(t, err, cambista.EFORBIDDEN)
		apptest.Must(e.Svc.DecideAccount(e.As("2"), "", app.Decision{ID: own.ID, Reason: "not needed"}))

		// The agent earns 1.00 USD and withdraws part of it.
		e.completeOne("100")
		w := apptest.Must(e.Svc.RequestWithdrawal(e.As(agent), "", app.RequestWithdrawal{Currency: "USD", Amount: "0,60"}))
		views := apptest.Must(e.Svc.Accounts(e.As(agent), ""))
		if len(views) != 1 || views[0].Balance.String() != "1.00 USD" || views[0].Held.String() != "0.60 USD" || views[0].Available.String() != "0.40 USD" {
			t.Fatalf("views %+v", views)
		}
		_, err = e.Svc.RequestWithdrawal(e.As(agent), "", app.RequestWithdrawal{Currency: "USD", Amount: "0,50"})
		wantCode(t, err, cambista.EINSUFFICIENT)
		if m := cambista.ErrorMessage(err); m.ID != cambista.MsgAvailable.ID {
			t.Fatalf("message %s", m.ID)
		}
		_, err = e.Svc.DecideWithdrawal(e.As(agent), "", app.Decision{ID: w.ID, Approve: true})
		wantCode(t, err, cambista.EFORBIDDEN)
		// Frozen meanwhile: the approval waits.
		apptest.Must(e.Svc.SetAccountFrozen(e.As(boot), "", app.SetAccountFrozen{ID: a.ID, Frozen: true, Reason: "review"}))
		_, err = e.Svc.DecideWithdrawal(e.As(boot), "", app.Decision{ID: w.ID, Approve: true})
		wantCode(t, err, cambista.ECONFLICT)
		_, err = e.Svc.RequestWithdrawal(e.As(agent), "", app.RequestWithdrawal{Currency: "USD", Amount: "0,10"})
		wantCode(t, err, cambista.ECONFLICT)
		apptest.Must(e.Svc.SetAccountFrozen(e.As(boot), "", app.SetAccountFrozen{ID: a.ID}))
		w = apptest.Must(e.Svc.DecideWithdrawal(e.As(boot), "", app.Decision{ID: w.ID, Approve: true}))
		if w.Status != cambista.WithdrawalApproved || e.balance(ledger.User(agent, "USD")) != 40 {
			t.Fatalf("after approval: %+v, balance %d", w, e.balance(ledger.User(agent, "USD")))
		}
		_, err = e.Svc.DecideWithdrawal(e.As(boot), "", app.Decision{ID: w.ID, Reason: "late"})
		wantCode(t, err, cambista.ECONFLICT)
		// A rejection releases the hold.
		w2 := apptest.Must(e.Svc.RequestWithdrawal(e.As(agent), "", app.RequestWithdrawal{Currency: "USD", Amount: "0,40"}))
		apptest.Must(e.Svc.DecideWithdrawal(e.As(boot), "", app.Decision{ID: w2.ID, Reason: "documents missing"}))
		if v := apptest.Must(e.Svc.Accounts(e.As(agent), "")); v[0].Available.String() != "0.40 USD" {
			t.Fatalf("after rejection: %+v", v[0])
		}
		e.checkBooks()
	})
}

// TestWithdrawalsNeverOverdraw: twenty requests at once against a balance
// that covers ten; exactly ten are held.
func TestWithdrawalsNeverOverdraw(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		a := apptest.Must(e.Svc.RequestAccount(e.As(agent), "", "USD"))
		apptest.Must(e.Svc.DecideAccount(e.As(boot), "", app.Decision{ID: a.ID, Approve: true}))
		e.completeOne("100") // 1.00 USD to the agent
		var ok, short atomic.Int64
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				_, err := e.Svc.RequestWithdrawal(e.As(agent), "", app.RequestWithdrawal{Currency: "USD", Amount: "0.10"})
				switch cambista.ErrorCode(err) {
				case "":
					ok.Add(1)
				case cambista.EINSUFFICIENT:
					short.Add(1)
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if ok.Load() != 10 || short.Load() != 10 {
			t.Fatalf("%d held, %d refused; want 10 and 10", ok.Load(), short.Load())
		}
	})
}

// TestExponentZero sends dollars to Chile: CLP has no decimals.
func TestExponentZero(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		ctx := e.As(boot)
		apptest.Must(e.Svc.AddCurrency(ctx, "", app.AddCurrency{Code: "CLP", Exponent: 0, Name: "Peso chileno"}))
		apptest.Must(e.Svc.AddCountry(ctx, "", app.AddCountry{Code: "CL", Name: "Chile", Currency: "CLP"}))
		apptest.Must(e.Svc.SetRate(ctx, "", app.SetRate{Base: "USD", Quote: "CLP", Value: "950.5"}))
		apptest.Must(e.Svc.SaveRule(ctx, "", rules.Rule{Name: "Chile", Priority: 20, Kind: rules.Commission,
			Scope: rules.Scope{FromCurrency: "USD", ToCurrency: "CLP"}, Effect: rules.Effect{Percent: decimal.RequireFromString("2")}}))
		apptest.Must(e.Svc.PublishRules(ctx, ""))
		b := apptest.Must(e.Svc.OpenBatch(e.As(cashier), "", app.OpenBatch{Base: "USD", Quote: "CLP", Capital: "1.000.000", CostRate: "960"}))
		amount(t, b.Capital, "1000000 CLP")
		_, err := e.Svc.OpenBatch(e.As(other), "", app.OpenBatch{Base: "USD", Quote: "CLP", Capital: "10,5", CostRate: "960"})
		wantCode(t, err, cambista.EINVALID) // CLP has no decimals
		q := apptest.Must(e.Svc.Quote(e.As(client), "", app.QuoteRequest{Amount: "100", From: "USD", To: "CLP"}))
		amount(t, q.Commission, "2.00 USD")
		amount(t, q.Receive, "93149 CLP") // 98.00 × 950.5 = 93149
		tr := apptest.Must(e.Svc.CreateTransfer(e.As(client), "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: beneficiary}))
		apptest.Must(e.Svc.TakeTransfer(e.As(cashier), "", tr.ID))
		apptest.Must(e.Svc.CompleteTransfer(e.As(cashier), "", app.Complete{ID: tr.ID, Reference: "CL-1"}))
		b = apptest.Must(e.Svc.CloseBatch(e.As(cashier), "", b.ID))
		amount(t, b.Summary.PaidOut, "93149 CLP")
		amount(t, b.Summary.Cost, "97.03 USD") // 93149 ÷ 960 = 97.0302…
		amount(t, b.Summary.GrossProfit, "2.97 USD")
		amount(t, b.Summary.Returned, "906851 CLP")
		e.checkBooks()
	})
}

// TestHalfWayRounding: a commission of exactly half a cent rounds to even
// by default and up where the currency says so; what is quoted is what is
// posted.
func TestHalfWayRounding(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		ctx := e.As(boot)
		apptest.Must(e.Svc.AddCurrency(ctx, "", app.AddCurrency{Code: "EUR", Exponent: 2, Name: "Euro", Rounding: "half_up"}))
		apptest.Must(e.Svc.SetRate(ctx, "", app.SetRate{Base: "EUR", Quote: "VES", Value: "45"}))
		for _, cur := range []string{"USD", "EUR"} {
			apptest.Must(e.Svc.SaveRule(ctx, "", rules.Rule{Name: "2.5 % " + cur, Priority: 30, Kind: rules.Commission,
				Scope: rules.Scope{FromCurrency: cur}, Effect: rules.Effect{Percent: decimal.RequireFromString("2.5")}}))
		}
		apptest.Must(e.Svc.PublishRules(ctx, ""))
		usd := apptest.Must(e.Svc.Quote(e.As(client), "", app.QuoteRequest{Amount: "5", From: "USD", To: "VES"}))
		amount(t, usd.Commission, "0.12 USD") // 0.125 → 0.12, half-even
		amount(t, usd.Receive, "195.20 VES")  // 4.88 × 40
		eur := apptest.Must(e.Svc.Quote(e.As(client), "", app.QuoteRequest{Amount: "5", From: "EUR", To: "VES"}))
		amount(t, eur.Commission, "0.13 EUR") // 0.125 → 0.13, half-up
		amount(t, eur.Receive, "219.15 VES")  // 4.87 × 45
		// Completed, the ledger holds exactly the quoted figures.
		b := apptest.Must(e.Svc.OpenBatch(e.As(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "1000", CostRate: "41"}))
		tr := apptest.Must(e.Svc.CreateTransfer(e.As(client), "", app.CreateTransfer{QuoteID: usd.ID, Beneficiary: beneficiary}))
		apptest.Must(e.Svc.TakeTransfer(e.As(cashier), "", tr.ID))
		apptest.Must(e.Svc.CompleteTransfer(e.As(cashier), "", app.Complete{ID: tr.ID, Reference: "R"}))
		if got := e.balance(ledger.Batch(b.ID)); got != 100000-19520 {
			t.Fatalf("batch paid out %d, want 19520", 100000-got)
		}
		if got := e.balance(ledger.House(ledger.HouseReceipts, "USD")); got != 500 {
			t.Fatalf("receipts %d, want 500", got)
		}
	})
}

func TestReferrals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		inv := apptest.Must(e.Svc.InviteCode(e.As(agent), ""))
		code := inv.Code
		if len(code) != 8 || apptest.Must(e.Svc.InviteCode(e.As(agent), "")) != inv || inv.WelcomeChannel != "" {
			t.Fatalf("invitation %+v is not stable, or names a welcome channel none set", inv)
		}
		_, err := e.Svc.InviteCode(e.As(client), "")
		wantCode(t, err, cambista.EFORBIDDEN)
		e.User("31")
		_, err = e.Svc.JoinAgent(e.As("31"), "", "NOPE2345")
		wantCode(t, err, cambista.ENOTFOUND)
		u := apptest.Must(e.Svc.JoinAgent(e.As("31"), "", " "+code+" "))
		if u.ReferrerID != agent {
			t.Fatalf("referrer %q", u.ReferrerID)
		}
		_, err = e.Svc.JoinAgent(e.As("31"), "", code)
		wantCode(t, err, cambista.ECONFLICT)
		_, err = e.Svc.JoinAgent(e.As(agent), "", code)
		wantCode(t, err, cambista.EINVALID) // one's own code
		_, err = e.Svc.SetReferrer(e.As(boot), "", app.Referral{ClientID: "31", AgentID: cashier})
		wantCode(t, err, cambista.EINVALID) // not an agent
		u = apptest.Must(e.Svc.SetReferrer(e.As(boot), "", app.Referral{ClientID: "31"}))
		if u.ReferrerID != "" {
			t.Fatal("not unlinked")
		}
		// Unreferred, the client's transfer pays no agent share.
		q := apptest.Must(e.Svc.Quote(e.As("31"), "", app.QuoteRequest{Amount: "100", From: "USD", To: "VES"}))
		if !q.AgentShare.IsZero() || q.AgentID != "" {
			t.Fatalf("share %s to %q", q.AgentShare, q.AgentID)
		}
	})
}

func TestStatements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		for range 3 {
			e.completeOne("100")
		}
		st := apptest.Must(e.Svc.Statement(e.As(agent), app.StatementQuery{Currency: "usd"}))
		if len(st.Lines) != 3 || st.Opening.String() != "0.00 USD" || st.Closing.String() != "3.00 USD" || st.Lines[2].Balance.String() != "3.00 USD" {
			t.Fatalf("statement %+v", st)
		}
		if st.Lines[0].RefType != "transfer" || st.Lines[0].Description.Kind != cambista.EntryTransfer {
			t.Fatalf("line %+v", st.Lines[0])
		}
		// Paged, each page opens where the last closed, and the closing
		// balance is the account's.
		p1 := apptest.Must(e.Svc.Statement(e.As(agent), app.StatementQuery{Currency: "USD", Limit: 2}))
		p2 := apptest.Must(e.Svc.Statement(e.As(agent), app.StatementQuery{Currency: "USD", Limit: 2, After: p1.Next}))
		if len(p1.Lines) != 2 || p1.Next == 0 || len(p2.Lines) != 1 || p2.Next != 0 || p2.Opening.String() != "2.00 USD" || p1.Closing.String() != "3.00 USD" {
			t.Fatalf("pages %+v / %+v", p1, p2)
		}
		// A range after everything opens and closes at the total.
		later := time.Now().Add(time.Hour)
		r := apptest.Must(e.Svc.Statement(e.As(agent), app.StatementQuery{Currency: "USD", From: later, To: later.Add(time.Hour)}))
		if len(r.Lines) != 0 || r.Opening.String() != "3.00 USD" || r.Closing.String() != "3.00 USD" {
			t.Fatalf("later range %+v", r)
		}
		_, err := e.Svc.Statement(e.As(agent), app.StatementQuery{Currency: "USD", From: later, To: later.Add(-time.Hour)})
		wantCode(t, err, cambista.EINVALID)
		_, err = e.Svc.Statement(e.As(client), app.StatementQuery{UserID: agent, Currency: "USD"})
		wantCode(t, err, cambista.EFORBIDDEN)
		// The batch's own statement, and the cashier's report.
		open := apptest.Must(e.Svc.OpenBatches(e.As(cashier)))
		bs := apptest.Must(e.Svc.BatchStatement(e.As(cashier), open[0].Batch.ID, app.StatementQuery{}))
		if len(bs.Lines) != 4 || bs.Closing.String() != "988360.00 VES" { // capital in, three payouts of 3,880.00
			t.Fatalf("batch statement %+v", bs)
		}
		cr := apptest.Must(e.Svc.CashierStatement(e.As(cashier), "", time.Time{}, time.Time{}))
		if tot := cr.Totals["USD/VES"]; tot == nil || tot.Transfers != 3 || tot.Collected.String() != "300.00 USD" {
			t.Fatalf("cashier report %+v", cr.Totals)
		}
		_, err = e.Svc.CashierStatement(e.As(other), cashier, time.Time{}, time.Time{})
		wantCode(t, err, cambista.EFORBIDDEN)
	})
}

// TestLimits: a daily limit is enforced at quote time and again when the
// transfer is created, with a message that says what is left.
func TestLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		apptest.Must(e.Svc.SaveRule(e.As(boot), "", rules.Rule{Name: "Daily 150", Kind: rules.Limit,
			Scope: rules.Scope{FromCurrency: "USD"}, Effect: rules.Effect{Daily: decimal.RequireFromString("150")}}))
		apptest.Must(e.Svc.PublishRules(e.As(boot), ""))
		q1 := apptest.Must(e.Svc.Quote(e.As(client), "", app.QuoteRequest{Amount: "100", From: "USD", To: "VES"}))
		q2 := apptest.Must(e.Svc.Quote(e.As(client), "", app.QuoteRequest{Amount: "100", From: "USD", To: "VES"}))
		apptest.Must(e.Svc.CreateTransfer(e.As(client), "", app.CreateTransfer{QuoteID: q1.ID, Beneficiary: beneficiary}))
		_, err := e.Svc.CreateTransfer(e.As(client), "", app.CreateTransfer{QuoteID: q2.ID, Beneficiary: beneficiary})
		wantCode(t, err, cambista.EINVALID)
		m := cambista.ErrorMessage(err)
		if m.ID != cambista.MsgRuleLimitDaily.ID || m.String() != "Sending 100.00 USD would go over your daily limit of 150.00 USD: you can still send 50.00 USD today." {
			t.Fatalf("message %s: %s", m.ID, m)
		}
		_, err = e.Svc.Quote(e.As(client), "", app.QuoteRequest{Amount: "60", From: "USD", To: "VES"})
		wantCode(t, err, cambista.EINVALID)
		apptest.Must(e.Svc.Quote(e.As(client), "", app.QuoteRequest{Amount: "50", From: "USD", To: "VES"}))
	})
}

func TestExpireTransfers(t *testing.T) {
	storetest.EachOnClock(t, time.Now(), func(t *testing.T, s *store.Store, c *storetest.Clock) {
		e := business(t, s)
		tr := e.Send(client, "10")
		kept := e.Send(client, "10")
		apptest.Must(e.Svc.OpenBatch(e.As(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "1000", CostRate: "41"}))
		apptest.Must(e.Svc.TakeTransfer(e.As(cashier), "", kept.ID))
		short := app.New(s, app.Config{PendingTTL: time.Hour})
		c.Add(time.Hour + time.Microsecond)
		if n := apptest.Must(short.ExpireTransfers(context.Background())); n != 1 {
			t.Fatalf("expired %d, want 1", n)
		}
		if got := apptest.Must(e.Svc.Transfer(e.As(client), tr.ID)); got.Status != cambista.TransferExpired {
			t.Fatalf("status %s", got.Status)
		}
		if got := apptest.Must(e.Svc.Transfer(e.As(client), kept.ID)); got.Status != cambista.TransferTaken {
			t.Fatalf("a taken transfer expired: %s", got.Status)
		}
		e.checkBooks()
	})
}

// TestNotices: the flow writes the outbox notices people should hear about.
func TestNotices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		a := apptest.Must(e.Svc.RequestAccount(e.As(agent), "", "USD"))
		apptest.Must(e.Svc.DecideAccount(e.As(boot), "", app.Decision{ID: a.ID, Approve: true}))
		tr := e.completeOne("100")
		rows, err := s.DB().Query(`SELECT payload FROM outbox WHERE kind = 'notice' ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []app.Notice
		for rows.Next() {
			var p string
			var n app.Notice
			if err := rows.Scan(&p); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(p), &n); err != nil {
				t.Fatal(err)
			}
			got = append(got, n)
		}
		want := []app.Notice{
			{Event: "account.requested", Entity: "account", ID: a.ID, Channel: app.ChannelAdmin, Actor: string(agent)},
			{Event: "account.decided", Entity: "account", ID: a.ID, Channel: app.ChannelAdmin, DM: agent, Actor: string(boot)},
			{Event: "transfer.pending", Entity: "transfer", ID: tr.ID, Channel: app.ChannelCashier, Actor: string(client)},
			{Event: "transfer.taken", Entity: "transfer", ID: tr.ID, Channel: app.ChannelCashier, DM: client, Actor: string(cashier)},
			{Event: "transfer.completed", Entity: "transfer", ID: tr.ID, Channel: app.ChannelCashier, DM: client, Actor: string(cashier)},
		}
		if len(got) != len(want) {
			t.Fatalf("notices %+v", got)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("notice %d = %+v, want %+v", i, got[i], want[i])
			}
		}
	})
}

// TestRatesReadLikeAmounts: "4.100" is four thousand one hundred to a
// Spanish reader and four point one to an English one.
func TestRatesReadLikeAmounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		apptest.Must(e.Svc.AddCurrency(e.As(boot), "", app.AddCurrency{Code: "COP", Exponent: 2, Name: "Peso colombiano"}))
		en := cambista.WithActor(context.Background(), apptest.Must(e.Svc.Actor(context.Background(), boot, "en-US")))
		for _, tc := range []struct {
			ctx  context.Context
			in   string
			want string
		}{
			{e.As(boot), "4.100", "4100"},
			{e.As(boot), "4.100,50", "4100.5"},
			{e.As(boot), "40,25", "40.25"},
			{e.As(boot), "0.0245", "0.0245"},
			{en, "4.100", "4.1"},
			{en, "4,100.50", "4100.5"},
			{en, "0.0100000012", "0.0100000012"},
		} {
			r, err := e.Svc.SetRate(tc.ctx, "", app.SetRate{Base: "USD", Quote: "COP", Value: tc.in, Confirmed: true}) // reading, not the size of the change
			if err != nil || r.Value.String() != tc.want {
				t.Errorf("%q: %v %v, want %s", tc.in, r, err, tc.want)
			}
		}
		_, err := e.Svc.OpenBatch(e.As(cashier), "", app.OpenBatch{Base: "USD", Quote: "COP", Capital: "1.000.000", CostRate: "4.080"})
		if err != nil {
			t.Fatal(err)
		}
		open := apptest.Must(e.Svc.OpenBatches(e.As(cashier)))
		if got := open[0].Batch.CostRate.String(); got != "4080" {
			t.Fatalf("cost rate %s, want 4080", got)
		}
	})
}

// TestPublishOneRule: publishing one draft leaves the other drafts alone.
func TestPublishOneRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		ctx := e.As(boot)
		mine := apptest.Must(e.Svc.SaveRule(ctx, "", rules.Rule{Name: "Mine", Priority: 40, Kind: rules.Commission,
			Scope: rules.Scope{FromCurrency: "USD"}, Effect: rules.Effect{Percent: decimal.RequireFromString("1")}}))
		theirs := apptest.Must(e.Svc.SaveRule(ctx, "", rules.Rule{Name: "Theirs", Priority: 50, Kind: rules.Commission,
			Scope: rules.Scope{FromCurrency: "USD"}, Effect: rules.Effect{Percent: decimal.RequireFromString("9")}}))
		got := apptest.Must(e.Svc.PublishRule(ctx, "", mine.ID))
		if got.ID != mine.ID || got.Status != cambista.RulePublished {
			t.Fatalf("published %+v, want version %d", got, mine.ID)
		}
		status := map[string]cambista.RuleStatus{}
		for _, st := range []cambista.RuleStatus{cambista.RuleDraft, cambista.RulePublished} {
			for _, v := range apptest.Must(e.Svc.Rules(ctx, st)) {
				status[v.Rule.Name] = st
			}
		}
		if status["Mine"] != cambista.RulePublished || status["Theirs"] != cambista.RuleDraft {
			t.Fatalf("statuses %v: want Mine published and Theirs still a draft", status)
		}
		_, err := e.Svc.PublishRule(ctx, "", mine.ID) // no longer a draft
		wantCode(t, err, cambista.ENOTFOUND)
		_, err = e.Svc.PublishRule(ctx, "", theirs.ID+100)
		wantCode(t, err, cambista.ENOTFOUND)
	})
}

// TestSaveAndPublishRule: one call saves a rule and publishes it, audited
// as saving and publishing are; when publishing fails, nothing of it is
// left: no draft, no event.
func TestSaveAndPublishRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		ctx := e.As(boot)
		rule := func(pct string) rules.Rule {
			return rules.Rule{Name: pct + " % to VE", Priority: 40, Kind: rules.Commission,
				Scope: rules.Scope{ToCountry: "VE"}, Effect: rules.Effect{Percent: decimal.RequireFromString(pct)}}
		}
		t.Run("OK", func(t *testing.T) {
			events := e.auditCount()
			v := apptest.Must(e.Svc.SaveAndPublishRule(ctx, "k1", rule("2")))
			if v.Status != cambista.RulePublished || v.RuleID != v.ID {
				t.Fatalf("got %+v, want a new rule's first version, published", v)
			}
			if drafts := apptest.Must(e.Svc.Rules(ctx, cambista.RuleDraft)); len(drafts) != 0 {
				t.Fatalf("%d drafts left", len(drafts))
			}
			if n := e.auditCount() - events; n != 2 {
				t.Fatalf("%d audit events, want 2: saved and published", n)
			}
			if again := apptest.Must(e.Svc.SaveAndPublishRule(ctx, "k1", rule("2"))); again.ID != v.ID || e.auditCount()-events != 2 {
				t.Fatalf("a replay gave version %d, want %d, and nothing new", again.ID, v.ID)
			}
		})
		t.Run("ErrPublish", func(t *testing.T) {
			// A published rule that no longer decodes makes every publish
			// fail, after the draft is saved.
			published := apptest.Must(e.Svc.Rules(ctx, cambista.RulePublished))
			if _, err := s.DB().Exec(`UPDATE rules SET definition = '{' WHERE id = $1`, published[0].Version.ID); err != nil {
				t.Fatal(err)
			}
			rows, events := e.count("rules"), e.auditCount()
			if _, err := e.Svc.SaveAndPublishRule(ctx, "k2", rule("5")); err == nil {
				t.Fatal("published with a broken rule set")
			}
			if e.count("rules") != rows || e.auditCount() != events {
				t.Fatalf("%d rule versions and %d events added by a failed publish", e.count("rules")-rows, e.auditCount()-events)
			}
		})
	})
}

// TestPublishReplaces: a rule published over the same quotes as another
// of its kind retires that one, audited, and quotes follow the new one;
// a rule over other quotes replaces nothing.
func TestPublishReplaces(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		ctx := e.As(boot)
		var std *cambista.RuleVersion
		for _, v := range apptest.Must(e.Svc.Rules(ctx, cambista.RulePublished)) {
			if v.Rule.Kind == rules.Commission {
				std = v.Version
			}
		}
		events := e.auditCount()
		got := apptest.Must(e.Svc.SaveAndPublishRule(ctx, "", rules.Rule{Name: "Cheaper", Kind: rules.Commission,
			Scope: rules.Scope{FromCurrency: "USD", ToCurrency: "VES"}, Effect: rules.Effect{Percent: decimal.RequireFromString("2.5")}}))
		if len(got.Replaced) != 1 || got.Replaced[0].RuleID != std.RuleID || got.Replaced[0].Status != cambista.RuleRetired {
			t.Fatalf("replaced %+v, want rule #%d retired", got.Replaced, std.RuleID)
		}
		if n := e.auditCount() - events; n != 3 {
			t.Fatalf("%d audit events, want 3: saved, the old rule retired, published", n)
		}
		q := apptest.Must(e.Svc.Quote(e.As(client), "", app.QuoteRequest{Amount: "100", From: "USD", To: "VES", FromCountry: "US"}))
		amount(t, q.Commission, "2.50 USD")
		other := apptest.Must(e.Svc.SaveAndPublishRule(ctx, "", rules.Rule{Name: "Agents", Kind: rules.Commission,
			Scope: rules.Scope{FromCurrency: "USD", ToCurrency: "VES", UserType: cambista.UserTypeAgent}, Effect: rules.Effect{Percent: decimal.RequireFromString("1")}}))
		if len(other.Replaced) != 0 {
			t.Fatalf("a rule over other quotes replaced %+v", other.Replaced)
		}
	})
}

// TestAgentRequest: becoming an agent is a request that a superuser other
// than the requester decides; an approval makes the user an agent and
// asks Discord for the agent's role.
func TestAgentRequest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		e.User("2", cambista.RoleSuperuser)
		r := apptest.Must(e.Svc.RequestAgent(e.As(client), ""))
		if r.Status != cambista.AgentRequested || r.UserID != client {
			t.Fatalf("request %+v", r)
		}
		_, err := e.Svc.RequestAgent(e.As(client), "")
		wantCode(t, err, cambista.ECONFLICT) // one waits already
		_, err = e.Svc.DecideAgent(e.As(client), "", app.Decision{ID: r.ID, Approve: true})
		wantCode(t, err, cambista.EFORBIDDEN)
		_, err = e.Svc.DecideAgent(e.As(cashier), "", app.Decision{ID: r.ID, Approve: true})
		wantCode(t, err, cambista.EFORBIDDEN)
		if pending := apptest.Must(e.Svc.PendingAgentRequests(e.As(boot))); len(pending) != 1 || pending[0].ID != r.ID {
			t.Fatalf("pending %+v", pending)
		}
		r = apptest.Must(e.Svc.DecideAgent(e.As(boot), "", app.Decision{ID: r.ID, Approve: true}))
		if r.Status != cambista.AgentApproved || r.DecidedBy != boot {
			t.Fatalf("decided %+v", r)
		}
		if u := apptest.Must(e.Svc.User(e.As(boot), client)); u.Type != cambista.UserTypeAgent {
			t.Fatalf("approved, but the user is %s", u.Type)
		}
		_, err = e.Svc.DecideAgent(e.As(boot), "", app.Decision{ID: r.ID, Reason: "late"})
		wantCode(t, err, cambista.ECONFLICT)
		_, err = e.Svc.RequestAgent(e.As(client), "")
		wantCode(t, err, cambista.ECONFLICT) // an agent already

		// A superuser's own request needs another superuser.
		own := apptest.Must(e.Svc.RequestAgent(e.As(boot), ""))
		_, err = e.Svc.DecideAgent(e.As(boot), "", app.Decision{ID: own.ID, Approve: true})
		wantCode(t, err, cambista.EFORBIDDEN)
		own = apptest.Must(e.Svc.DecideAgent(e.As("2"), "", app.Decision{ID: own.ID, Reason: "no"}))
		if u := apptest.Must(e.Svc.User(e.As(boot), boot)); own.Status != cambista.AgentRejected || u.Type != cambista.UserTypeClient {
			t.Fatalf("rejected %+v, user %s", own, u.Type)
		}
	})
}

// TestCashierReadsQueueAndOwnBatches: a cashier reads the beneficiary of
// transfers waiting in the queue and of their own batches only; another
// cashier's transfer is refused, and listed without its beneficiary.
func TestCashierReadsQueueAndOwnBatches(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		const other = cambista.UserID("77")
		e.User(other, cambista.RoleCashier)
		apptest.Must(e.Svc.OpenBatch(e.As(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))
		taken := e.Send(client, "10")
		apptest.Must(e.Svc.TakeTransfer(e.As(cashier), "", taken.ID))
		waiting := e.Send(client, "20")

		for _, who := range []cambista.UserID{cashier, other, boot, client} {
			if got, err := e.Svc.Transfer(e.As(who), waiting.ID); err != nil || got.Beneficiary.AccountNumber == "" {
				t.Fatalf("%s reading the waiting transfer: %+v %v", who, got, err)
			}
		}
		for _, who := range []cambista.UserID{cashier, boot, client} {
			if got, err := e.Svc.Transfer(e.As(who), taken.ID); err != nil || got.Beneficiary.DocumentID == "" {
				t.Fatalf("%s reading the taken transfer: %+v %v", who, got, err)
			}
		}
		got, err := e.Svc.Transfer(e.As(other), taken.ID)
		wantCode(t, err, cambista.EFORBIDDEN)
		if got != nil || cambista.ErrorMessage(err).ID != cambista.MsgOtherBatchTransfer.ID {
			t.Fatalf("another cashier read %+v, %v", got, err)
		}
		_, err = e.Svc.TransferPostings(e.As(other), taken.ID)
		wantCode(t, err, cambista.EFORBIDDEN)
		_, err = e.Svc.Transfer(e.As(agent), waiting.ID)
		wantCode(t, err, cambista.EFORBIDDEN)
		for _, tr := range apptest.Must(e.Svc.Transfers(e.As(other), cambista.TransferFilter{Limit: 10})) {
			if hidden := tr.Beneficiary == (cambista.Beneficiary{}); hidden != (tr.ID == taken.ID) {
				t.Fatalf("another cashier's list: transfer %d beneficiary %+v", tr.ID, tr.Beneficiary)
			}
		}
	})
}

// TestControlCharacters: NUL, other control characters and bidirectional
// overrides are refused in names and free text, with a message naming the
// field, and nothing changes (on PostgreSQL a NUL was an internal error).
func TestControlCharacters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		refused := func(what, field string, err error) {
			t.Helper()
			wantCode(t, err, cambista.EINVALID)
			if m := cambista.ErrorMessage(err); m.ID != cambista.MsgControlChar.ID || fmt.Sprint(m.Data["Field"]) != field {
				t.Fatalf("%s: %+v, want the control-character message naming %s", what, m, field)
			}
		}
		for _, bad := range []string{"Ana\x00", "Ana\x07", "A\u0085na", "\u202eanA", "Ana\u2066x"} {
			_, err := e.Svc.Register(e.As("55"), "", app.Register{DisplayName: bad})
			refused(fmt.Sprintf("display name %q", bad), "display name", err)
		}
		if _, err := e.Svc.User(e.As(boot), "55"); cambista.ErrorCode(err) != cambista.ENOTFOUND {
			t.Fatalf("a refused registration left a user: %v", err)
		}
		apptest.Must(e.Svc.OpenBatch(e.As(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))
		q := apptest.Must(e.Svc.Quote(e.As(client), "", app.QuoteRequest{Amount: "10", From: "USD", To: "VES", FromCountry: "US"}))
		b := apptest.Beneficiary
		b.Name = "María\u202e zereP"
		_, err := e.Svc.CreateTransfer(e.As(client), "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: b})
		refused("beneficiary name", "beneficiary name", err)
		b = apptest.Beneficiary
		b.DocumentID = "V-1\x002"
		_, err = e.Svc.CreateTransfer(e.As(client), "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: b})
		refused("document", "document ID", err)
		tr := apptest.Must(e.Svc.CreateTransfer(e.As(client), "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: apptest.Beneficiary}))
		apptest.Must(e.Svc.TakeTransfer(e.As(cashier), "", tr.ID))
		_, err = e.Svc.CompleteTransfer(e.As(cashier), "", app.Complete{ID: tr.ID, Reference: "REF\x00"})
		refused("reference", "reference", err)
		_, err = e.Svc.RejectTransfer(e.As(cashier), "", app.Reason{ID: tr.ID, Reason: "no\x00"})
		refused("reason", "reason", err)
		// A reason may have several lines.
		apptest.Must(e.Svc.RejectTransfer(e.As(cashier), "", app.Reason{ID: tr.ID, Reason: "cuenta cerrada\nllamar al cliente"}))
		_, err = e.Svc.AddCurrency(e.As(boot), "", app.AddCurrency{Code: "EUR", Exponent: 2, Name: "Euro\u200f"})
		refused("currency name", "name", err)
	})
}

// TestRateThatPaysNothing: a rate under which one unit of the base pays
// less than the quote currency's smallest unit is refused, saying why, and
// stored nowhere; the same pair with a real rate is taken.
func TestRateThatPaysNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		before := apptest.Must(e.Svc.CurrentRate(e.As(boot), "USD", "VES"))
		for _, v := range []string{"0,000001", "0.004"} {
			_, err := e.Svc.SetRate(e.As(boot), "", app.SetRate{Base: "USD", Quote: "VES", Value: v})
			wantCode(t, err, cambista.EINVALID)
			if m := cambista.ErrorMessage(err); m.ID != cambista.MsgRateTooSmall.ID {
				t.Fatalf("rate %s: %+v, want %s", v, m, cambista.MsgRateTooSmall.ID)
			}
		}
		if now := apptest.Must(e.Svc.CurrentRate(e.As(boot), "USD", "VES")); now.ID != before.ID {
			t.Fatalf("a refused rate was stored: %+v", now)
		}
		// 1 USD pays 0.01 VES: far from 40, so confirmed.
		apptest.Must(e.Svc.SetRate(e.As(boot), "", app.SetRate{Base: "USD", Quote: "VES", Value: "0.006", Confirmed: true}))
		apptest.Must(e.Svc.SetRate(e.As(boot), "", app.SetRate{Base: "VES", Quote: "USD", Value: "0.025"}))
	})
}
