package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/money"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

const (
	agent   = apptest.Agent
	client  = apptest.Client
	cashier = apptest.Cashier
	other   = apptest.Other
)

var (
	beneficiary = apptest.Beneficiary
)

func business(t testing.TB, s *store.Store) *env { return &env{apptest.Business(t, s)} }

func amount(t *testing.T, a money.Amount, want string) {
	t.Helper()
	if got := a.String(); got != want {
		t.Fatalf("amount %s, want %s", got, want)
	}
}

// TestWorkedExample runs the design's worked example through the use
// cases and checks every figure of the batch summary and the ledger.
func TestWorkedExample(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		b := apptest.Must(e.Svc.OpenBatch(e.As(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4.000,00", CostRate: "41,00"}))
		amount(t, b.Capital, "4000.00 VES")

		q := apptest.Must(e.Svc.Quote(e.As(client), "q1", app.QuoteRequest{Amount: "100", From: "usd", To: "ves", FromCountry: "US"}))
		amount(t, q.Commission, "3.00 USD")
		amount(t, q.AgentShare, "1.00 USD")
		amount(t, q.Receive, "3880.00 VES")
		if q.AgentID != agent || q.ToCountry != "VE" || q.Rate.String() != "40" {
			t.Fatalf("quote %+v", q)
		}
		lines := apptest.Must(e.Svc.Explain(e.As(client), q.ID))
		if len(lines) < 4 {
			t.Fatalf("explanation too short: %v", lines)
		}

		tr := apptest.Must(e.Svc.CreateTransfer(e.As(client), "c1", app.CreateTransfer{QuoteID: q.ID, Beneficiary: beneficiary}))
		if tr.Status != cambista.TransferPending {
			t.Fatalf("created %s", tr.Status)
		}
		tr = apptest.Must(e.Svc.TakeTransfer(e.As(cashier), "t1", tr.ID))
		if tr.Status != cambista.TransferTaken || tr.BatchID != b.ID {
			t.Fatalf("taken: %+v", tr)
		}
		tr = apptest.Must(e.Svc.CompleteTransfer(e.As(cashier), "k1", app.Complete{ID: tr.ID, Reference: "REF-001", ProofURL: "https://cdn.example/p.png"}))
		if tr.Status != cambista.TransferCompleted {
			t.Fatalf("completed: %s", tr.Status)
		}

		st := apptest.Must(e.Svc.BatchStatus(e.As(cashier), b.ID))
		amount(t, st.Remaining, "120.00 VES")
		amount(t, st.Summary.GrossProfit, "5.37 USD")

		b = apptest.Must(e.Svc.CloseBatch(e.As(cashier), "close", b.ID))
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
		_, err := e.Svc.CloseBatch(e.As(cashier), "close-again", b.ID)
		wantCode(t, err, cambista.ECONFLICT)
		tr2 := e.Send(client, "10")
		_, err = e.Svc.TakeTransfer(e.As(cashier), "", tr2.ID)
		wantCode(t, err, cambista.ENOTFOUND) // no open batch for the pair
	})
}

func (e *env) balance(a cambista.LedgerAccount) int64 {
	e.T.Helper()
	var b cambista.Balance
	err := e.Store.View(context.Background(), func(tx app.Tx) error {
		var err error
		b, err = tx.Balance(context.Background(), a)
		return err
	})
	if err != nil {
		e.T.Fatal(err)
	}
	return b.Minor
}

func (e *env) checkBooks() {
	e.T.Helper()
	v, err := app.CheckLedger(context.Background(), e.Store)
	if err != nil || len(v) != 0 {
		e.T.Fatalf("ledger: %v %v", v, err)
	}
	if _, err := app.VerifyAudit(context.Background(), e.Store); err != nil {
		e.T.Fatal(err)
	}
}

// TestIllegalTransitions: each refused step returns a typed error and
// changes nothing.
func TestIllegalTransitions(t *testing.T) {
	storetest.EachOnClock(t, time.Now(), func(t *testing.T, s *store.Store, c *storetest.Clock) {
		e := business(t, s)
		b := apptest.Must(e.Svc.OpenBatch(e.As(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))
		apptest.Must(e.Svc.OpenBatch(e.As(other), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))

		unchanged := func(t *testing.T, fn func() error, code string) {
			t.Helper()
			events, postings := e.auditCount(), e.count("postings")
			wantCode(t, fn(), code)
			if e.auditCount() != events || e.count("postings") != postings {
				t.Fatal("a refused step changed the audit log or the ledger")
			}
		}
		t.Run("CompleteRejected", func(t *testing.T) {
			tr := e.Send(client, "10")
			apptest.Must(e.Svc.TakeTransfer(e.As(cashier), "", tr.ID))
			apptest.Must(e.Svc.RejectTransfer(e.As(cashier), "", app.Reason{ID: tr.ID, Reason: "wrong account"}))
			unchanged(t, func() error {
				_, err := e.Svc.CompleteTransfer(e.As(cashier), "", app.Complete{ID: tr.ID, Reference: "X"})
				return err
			}, cambista.ECONFLICT)
		})
		t.Run("RejectWithoutReason", func(t *testing.T) {
			tr := e.Send(client, "10")
			apptest.Must(e.Svc.TakeTransfer(e.As(cashier), "", tr.ID))
			unchanged(t, func() error {
				_, err := e.Svc.RejectTransfer(e.As(cashier), "", app.Reason{ID: tr.ID})
				return err
			}, cambista.EINVALID)
			apptest.Must(e.Svc.ReleaseTransfer(e.As(cashier), "", tr.ID))
		})
		t.Run("FinishOtherCashiersTransfer", func(t *testing.T) {
			tr := e.Send(client, "10")
			apptest.Must(e.Svc.TakeTransfer(e.As(cashier), "", tr.ID))
			unchanged(t, func() error {
				_, err := e.Svc.CompleteTransfer(e.As(other), "", app.Complete{ID: tr.ID, Reference: "X"})
				return err
			}, cambista.EFORBIDDEN)
			unchanged(t, func() error {
				_, err := e.Svc.TakeTransfer(e.As(other), "", tr.ID)
				return err
			}, cambista.ECONFLICT)
			apptest.Must(e.Svc.ReleaseTransfer(e.As(cashier), "", tr.ID))
		})
		t.Run("CloseOtherCashiersBatch", func(t *testing.T) {
			unchanged(t, func() error { _, err := e.Svc.CloseBatch(e.As(other), "", b.ID); return err }, cambista.EFORBIDDEN)
		})
		t.Run("CloseWithTakenTransfers", func(t *testing.T) {
			tr := e.Send(client, "10")
			apptest.Must(e.Svc.TakeTransfer(e.As(cashier), "", tr.ID))
			var err error
			unchanged(t, func() error { _, err = e.Svc.CloseBatch(e.As(cashier), "", b.ID); return err }, cambista.ECONFLICT)
			if m := cambista.ErrorMessage(err); m.ID != cambista.MsgBatchHasTaken.ID || m.Data["List"] != fmt.Sprintf("#%d", tr.ID) {
				t.Fatalf("message %+v", m)
			}
			apptest.Must(e.Svc.ReleaseTransfer(e.As(cashier), "", tr.ID))
		})
		t.Run("SecondOpenBatch", func(t *testing.T) {
			unchanged(t, func() error {
				_, err := e.Svc.OpenBatch(e.As(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "1", CostRate: "41"})
				return err
			}, cambista.ECONFLICT)
		})
		t.Run("CloseClosed", func(t *testing.T) {
			apptest.Must(e.Svc.CloseBatch(e.As(cashier), "", b.ID))
			unchanged(t, func() error { _, err := e.Svc.CloseBatch(e.As(cashier), "", b.ID); return err }, cambista.ECONFLICT)
		})
		t.Run("CancelOthersTransfer", func(t *testing.T) {
			tr := e.Send(client, "10")
			unchanged(t, func() error { _, err := e.Svc.CancelTransfer(e.As(agent), "", tr.ID); return err }, cambista.EFORBIDDEN)
			apptest.Must(e.Svc.CancelTransfer(e.As(client), "", tr.ID))
			unchanged(t, func() error { _, err := e.Svc.CancelTransfer(e.As(client), "", tr.ID); return err }, cambista.ECONFLICT)
		})
		t.Run("SecondTransferOfAQuote", func(t *testing.T) {
			q := apptest.Must(e.Svc.Quote(e.As(client), "", app.QuoteRequest{Amount: "10", From: "USD", To: "VES"}))
			apptest.Must(e.Svc.CreateTransfer(e.As(client), "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: beneficiary}))
			unchanged(t, func() error {
				_, err := e.Svc.CreateTransfer(e.As(client), "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: beneficiary})
				return err
			}, cambista.ECONFLICT)
		})
		t.Run("ClientCannotTake", func(t *testing.T) {
			tr := e.Send(client, "10")
			unchanged(t, func() error { _, err := e.Svc.TakeTransfer(e.As(client), "", tr.ID); return err }, cambista.EFORBIDDEN)
		})
		t.Run("ApproveOwnAccount", func(t *testing.T) {
			a := apptest.Must(e.Svc.RequestAccount(e.As(boot), "", "USD"))
			unchanged(t, func() error {
				_, err := e.Svc.DecideAccount(e.As(boot), "", app.Decision{ID: a.ID, Approve: true})
				return err
			}, cambista.EFORBIDDEN)
		})
		t.Run("ExpiredQuote", func(t *testing.T) {
			short := app.New(s, app.Config{Bootstrap: []cambista.UserID{boot}, QuoteTTL: time.Minute})
			q := apptest.Must(short.Quote(e.As(client), "", app.QuoteRequest{Amount: "10", From: "USD", To: "VES"}))
			c.Add(time.Minute)
			unchanged(t, func() error {
				_, err := e.Svc.CreateTransfer(e.As(client), "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: beneficiary})
				return err
			}, cambista.ECONFLICT)
		})
		t.Run("QuoteOfSomeoneElse", func(t *testing.T) {
			q := apptest.Must(e.Svc.Quote(e.As(client), "", app.QuoteRequest{Amount: "10", From: "USD", To: "VES"}))
			unchanged(t, func() error {
				_, err := e.Svc.CreateTransfer(e.As(agent), "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: beneficiary})
				return err
			}, cambista.EFORBIDDEN)
		})
		t.Run("BadBeneficiary", func(t *testing.T) {
			q := apptest.Must(e.Svc.Quote(e.As(client), "", app.QuoteRequest{Amount: "10", From: "USD", To: "VES"}))
			bad := beneficiary
			bad.AccountNumber = "12ab"
			unchanged(t, func() error {
				_, err := e.Svc.CreateTransfer(e.As(client), "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: bad})
				return err
			}, cambista.EINVALID)
		})
		e.checkBooks()
	})
}
