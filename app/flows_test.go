package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/money"
	"github.com/cambista/cambista/rules"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
	"github.com/shopspring/decimal"
)

const (
	agent   = cambista.UserID("20")
	client  = cambista.UserID("30")
	cashier = cambista.UserID("40")
	other   = cambista.UserID("41") // a second cashier
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// business sets up the worked example of the design: USD→VES at 40.00, a
// 3 % commission of which 33.34 % (1.00 of 3.00) goes to the referring
// agent, an agent, a client referred by them, and two cashiers.
func business(t testing.TB, s *store.Store) *env {
	t.Helper()
	e := newEnv(t, s)
	e.seedCatalog()
	ctx := e.as(boot)
	must(e.svc.AddCountry(ctx, "", app.AddCountry{Code: "US", Name: "United States", Currency: "USD"}))
	must(e.svc.SetRate(ctx, "", app.SetRate{Base: "USD", Quote: "VES", Value: "40.00"}))
	e.rule(rules.Rule{Name: "Standard USD→VES", Priority: 10, Kind: rules.Commission,
		Scope: rules.Scope{FromCurrency: "USD", ToCurrency: "VES"}, Effect: rules.Effect{Percent: dec("3")}})
	e.rule(rules.Rule{Name: "Agents' share", Priority: 10, Kind: rules.AgentShare, Effect: rules.Effect{Percent: dec("33.34")}})
	must(e.svc.PublishRules(ctx, ""))
	e.user(agent, cambista.RoleAgent)
	e.user(client)
	e.user(cashier, cambista.RoleCashier)
	e.user(other, cambista.RoleCashier)
	must(e.svc.SetReferrer(ctx, "", app.Referral{ClientID: client, AgentID: agent}))
	return e
}

func (e *env) rule(r rules.Rule) *cambista.RuleVersion {
	e.t.Helper()
	v, err := e.svc.SaveRule(e.as(boot), "", r)
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

// must returns v, or panics on a setup step that cannot fail unless the
// code under test is broken; the panic's trace names the line.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func amount(t *testing.T, a money.Amount, want string) {
	t.Helper()
	if got := a.String(); got != want {
		t.Fatalf("amount %s, want %s", got, want)
	}
}

var beneficiary = cambista.Beneficiary{Name: "María Pérez", Bank: "Banesco", AccountNumber: "0134-0000-1234567890", DocumentID: "V-12345678"}

// send quotes and creates a pending transfer for the client.
func (e *env) send(who cambista.UserID, amt string) *cambista.Transfer {
	e.t.Helper()
	q := must(e.svc.Quote(e.as(who), "", app.QuoteRequest{Amount: amt, From: "USD", To: "VES", FromCountry: "US"}))
	return must(e.svc.CreateTransfer(e.as(who), "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: beneficiary}))
}

// TestWorkedExample runs the design's worked example through the use
// cases and checks every figure of the batch summary and the ledger.
func TestWorkedExample(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		b := must(e.svc.OpenBatch(e.as(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4.000,00", CostRate: "41,00"}))
		amount(t, b.Capital, "4000.00 VES")

		q := must(e.svc.Quote(e.as(client), "q1", app.QuoteRequest{Amount: "100", From: "usd", To: "ves", FromCountry: "US"}))
		amount(t, q.Commission, "3.00 USD")
		amount(t, q.AgentShare, "1.00 USD")
		amount(t, q.Receive, "3880.00 VES")
		if q.AgentID != agent || q.ToCountry != "VE" || q.Rate.String() != "40" {
			t.Fatalf("quote %+v", q)
		}
		lines := must(e.svc.Explain(e.as(client), q.ID))
		if len(lines) < 4 {
			t.Fatalf("explanation too short: %v", lines)
		}

		tr := must(e.svc.CreateTransfer(e.as(client), "c1", app.CreateTransfer{QuoteID: q.ID, Beneficiary: beneficiary}))
		if tr.Status != cambista.TransferPending {
			t.Fatalf("created %s", tr.Status)
		}
		tr = must(e.svc.TakeTransfer(e.as(cashier), "t1", tr.ID))
		if tr.Status != cambista.TransferTaken || tr.BatchID != b.ID {
			t.Fatalf("taken: %+v", tr)
		}
		tr = must(e.svc.CompleteTransfer(e.as(cashier), "k1", app.Complete{ID: tr.ID, Reference: "REF-001", ProofURL: "https://cdn.example/p.png"}))
		if tr.Status != cambista.TransferCompleted {
			t.Fatalf("completed: %s", tr.Status)
		}

		st := must(e.svc.BatchStatus(e.as(cashier), b.ID))
		amount(t, st.Remaining, "120.00 VES")
		amount(t, st.Summary.GrossProfit, "5.37 USD")

		b = must(e.svc.CloseBatch(e.as(cashier), "close", b.ID))
		sum := b.Summary
		amount(t, sum.PaidOut, "3880.00 VES")
		amount(t, sum.Cost, "94.63 USD")
		amount(t, sum.Collected, "100.00 USD")
		amount(t, sum.GrossProfit, "5.37 USD")
		amount(t, sum.AgentCommissions, "1.00 USD")
		amount(t, sum.NetProfit, "4.37 USD")
		amount(t, sum.Returned, "120.00 VES")
		if sum.Transfers != 1 {
			t.Fatalf("%d transfers", sum.Transfers)
		}

		// The ledger: the agent holds their commission, the batch is
		// empty, the house received 100.00 USD, and the books balance.
		if got := e.balance(ledger.User(agent, "USD")); got != 100 {
			t.Fatalf("agent balance %d", got)
		}
		if got := e.balance(ledger.Batch(b.ID)); got != 0 {
			t.Fatalf("batch balance %d", got)
		}
		if got := e.balance(ledger.House(ledger.HouseReceipts, "USD")); got != 10000 {
			t.Fatalf("receipts %d", got)
		}
		e.checkBooks()

		// The stored summary does not change; a closed batch accepts nothing.
		_, err := e.svc.CloseBatch(e.as(cashier), "close-again", b.ID)
		wantCode(t, err, cambista.ECONFLICT)
		tr2 := e.send(client, "10")
		_, err = e.svc.TakeTransfer(e.as(cashier), "", tr2.ID)
		wantCode(t, err, cambista.ENOTFOUND) // no open batch for the pair
	})
}

func (e *env) balance(a cambista.LedgerAccount) int64 {
	e.t.Helper()
	var b cambista.Balance
	err := e.s.View(context.Background(), func(tx cambista.Tx) error {
		var err error
		b, err = tx.Balance(context.Background(), a)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return b.Minor
}

func (e *env) checkBooks() {
	e.t.Helper()
	v, err := app.CheckLedger(context.Background(), e.s)
	if err != nil || len(v) != 0 {
		e.t.Fatalf("ledger: %v %v", v, err)
	}
	if _, err := app.VerifyAudit(context.Background(), e.s); err != nil {
		e.t.Fatal(err)
	}
}

// TestIllegalTransitions: each refused step returns a typed error and
// changes nothing.
func TestIllegalTransitions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		b := must(e.svc.OpenBatch(e.as(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))
		must(e.svc.OpenBatch(e.as(other), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))

		unchanged := func(t *testing.T, fn func() error, code string) {
			t.Helper()
			events, postings := e.auditCount(), e.count("postings")
			wantCode(t, fn(), code)
			if e.auditCount() != events || e.count("postings") != postings {
				t.Fatal("a refused step changed the audit log or the ledger")
			}
		}
		t.Run("CompleteRejected", func(t *testing.T) {
			tr := e.send(client, "10")
			must(e.svc.TakeTransfer(e.as(cashier), "", tr.ID))
			must(e.svc.RejectTransfer(e.as(cashier), "", app.Reason{ID: tr.ID, Reason: "wrong account"}))
			unchanged(t, func() error {
				_, err := e.svc.CompleteTransfer(e.as(cashier), "", app.Complete{ID: tr.ID, Reference: "X"})
				return err
			}, cambista.ECONFLICT)
		})
		t.Run("RejectWithoutReason", func(t *testing.T) {
			tr := e.send(client, "10")
			must(e.svc.TakeTransfer(e.as(cashier), "", tr.ID))
			unchanged(t, func() error {
				_, err := e.svc.RejectTransfer(e.as(cashier), "", app.Reason{ID: tr.ID})
				return err
			}, cambista.EINVALID)
			must(e.svc.ReleaseTransfer(e.as(cashier), "", tr.ID))
		})
		t.Run("FinishOtherCashiersTransfer", func(t *testing.T) {
			tr := e.send(client, "10")
			must(e.svc.TakeTransfer(e.as(cashier), "", tr.ID))
			unchanged(t, func() error {
				_, err := e.svc.CompleteTransfer(e.as(other), "", app.Complete{ID: tr.ID, Reference: "X"})
				return err
			}, cambista.EFORBIDDEN)
			unchanged(t, func() error {
				_, err := e.svc.TakeTransfer(e.as(other), "", tr.ID)
				return err
			}, cambista.ECONFLICT)
			must(e.svc.ReleaseTransfer(e.as(cashier), "", tr.ID))
		})
		t.Run("CloseOtherCashiersBatch", func(t *testing.T) {
			unchanged(t, func() error { _, err := e.svc.CloseBatch(e.as(other), "", b.ID); return err }, cambista.EFORBIDDEN)
		})
		t.Run("CloseWithTakenTransfers", func(t *testing.T) {
			tr := e.send(client, "10")
			must(e.svc.TakeTransfer(e.as(cashier), "", tr.ID))
			var err error
			unchanged(t, func() error { _, err = e.svc.CloseBatch(e.as(cashier), "", b.ID); return err }, cambista.ECONFLICT)
			if m := cambista.ErrorMessage(err); m.ID != cambista.MsgBatchHasTaken.ID || m.Data["List"] != fmt.Sprintf("#%d", tr.ID) {
				t.Fatalf("message %+v", m)
			}
			must(e.svc.ReleaseTransfer(e.as(cashier), "", tr.ID))
		})
		t.Run("SecondOpenBatch", func(t *testing.T) {
			unchanged(t, func() error {
				_, err := e.svc.OpenBatch(e.as(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "1", CostRate: "41"})
				return err
			}, cambista.ECONFLICT)
		})
		t.Run("CloseClosed", func(t *testing.T) {
			must(e.svc.CloseBatch(e.as(cashier), "", b.ID))
			unchanged(t, func() error { _, err := e.svc.CloseBatch(e.as(cashier), "", b.ID); return err }, cambista.ECONFLICT)
		})
		t.Run("CancelOthersTransfer", func(t *testing.T) {
			tr := e.send(client, "10")
			unchanged(t, func() error { _, err := e.svc.CancelTransfer(e.as(agent), "", tr.ID); return err }, cambista.EFORBIDDEN)
			must(e.svc.CancelTransfer(e.as(client), "", tr.ID))
			unchanged(t, func() error { _, err := e.svc.CancelTransfer(e.as(client), "", tr.ID); return err }, cambista.ECONFLICT)
		})
		t.Run("ClientCannotTake", func(t *testing.T) {
			tr := e.send(client, "10")
			unchanged(t, func() error { _, err := e.svc.TakeTransfer(e.as(client), "", tr.ID); return err }, cambista.EFORBIDDEN)
		})
		t.Run("ApproveOwnAccount", func(t *testing.T) {
			a := must(e.svc.RequestAccount(e.as(boot), "", "USD"))
			unchanged(t, func() error {
				_, err := e.svc.DecideAccount(e.as(boot), "", app.Decision{ID: a.ID, Approve: true})
				return err
			}, cambista.EFORBIDDEN)
		})
		t.Run("ExpiredQuote", func(t *testing.T) {
			short := app.New(s, app.Config{Bootstrap: []cambista.UserID{boot}, QuoteTTL: time.Microsecond})
			q := must(short.Quote(e.as(client), "", app.QuoteRequest{Amount: "10", From: "USD", To: "VES"}))
			time.Sleep(2 * time.Millisecond)
			unchanged(t, func() error {
				_, err := e.svc.CreateTransfer(e.as(client), "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: beneficiary})
				return err
			}, cambista.ECONFLICT)
		})
		t.Run("QuoteOfSomeoneElse", func(t *testing.T) {
			q := must(e.svc.Quote(e.as(client), "", app.QuoteRequest{Amount: "10", From: "USD", To: "VES"}))
			unchanged(t, func() error {
				_, err := e.svc.CreateTransfer(e.as(agent), "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: beneficiary})
				return err
			}, cambista.EFORBIDDEN)
		})
		t.Run("BadBeneficiary", func(t *testing.T) {
			q := must(e.svc.Quote(e.as(client), "", app.QuoteRequest{Amount: "10", From: "USD", To: "VES"}))
			bad := beneficiary
			bad.AccountNumber = "12ab"
			unchanged(t, func() error {
				_, err := e.svc.CreateTransfer(e.as(client), "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: bad})
				return err
			}, cambista.EINVALID)
		})
		e.checkBooks()
	})
}
