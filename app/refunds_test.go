package app_test

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestRefunds: refunds and reversals are compensating entries. While the
// batch is open the refund lowers what it collected; once it has closed,
// the house's adjustments bear it and the stored summary stays as it was.
// A refund above the limit needs a second superuser; bad input, a
// transfer in the wrong state, a frozen account or a client is refused
// and changes nothing.
func TestRefunds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := &env{apptest.BusinessWith(t, s, app.Config{RefundTwoSuperusersAbove: map[string]decimal.Decimal{"USD": decimal.NewFromInt(50)}})}
		e.User("2", cambista.RoleSuperuser)
		e.Account(client, "USD")
		b := apptest.Must(e.Svc.OpenBatch(e.As(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "100000", CostRate: "41"}))
		tr := e.completeOne("100")
		refund := func(who cambista.UserID, key, amount string, toBalance bool) (*cambista.Refund, error) {
			return e.Svc.Refund(e.As(who), key, app.RefundTransfer{TransferID: tr.ID, Amount: amount, ToBalance: toBalance, Reason: "overcharged"})
		}

		t.Run("ErrRefused", func(t *testing.T) {
			pending := e.Send(client, "10")
			events, postings := e.auditCount(), e.count("postings")
			_, err := refund(client, "", "10", true)
			wantCode(t, err, cambista.EFORBIDDEN)
			_, err = refund(cashier, "", "10", true)
			wantCode(t, err, cambista.EFORBIDDEN)
			_, err = refund(boot, "", "1o", true)
			wantCode(t, err, cambista.EINVALID)
			_, err = refund(boot, "", "100,01", true)
			wantCode(t, err, cambista.EINVALID)
			_, err = e.Svc.Refund(e.As(boot), "", app.RefundTransfer{TransferID: tr.ID, Amount: "10"})
			wantCode(t, err, cambista.EINVALID) // no reason
			_, err = e.Svc.Refund(e.As(boot), "", app.RefundTransfer{TransferID: pending.ID, Amount: "1", Reason: "x"})
			wantCode(t, err, cambista.ECONFLICT)
			if cambista.ErrorMessage(err).ID != cambista.MsgRefundNotCompleted.ID {
				t.Fatalf("refused with %v", err)
			}
			if e.count("refunds") != 0 || e.count("postings") != postings || e.auditCount() != events {
				t.Fatal("a refused refund changed something")
			}
		})

		t.Run("OpenBatch", func(t *testing.T) {
			r := apptest.Must(refund(boot, "ref-1", "10", true))
			again := apptest.Must(refund(boot, "ref-1", "10", true))
			if again.ID != r.ID || e.count("refunds") != 1 {
				t.Fatal("a replayed refund made another")
			}
			if r.Status != cambista.RefundPosted || r.Charged != cambista.ChargedBatch || e.balance(ledger.User(client, "USD")) != 1000 {
				t.Fatalf("refund %+v, balance %d", r, e.balance(ledger.User(client, "USD")))
			}
			// Returned outside: the money leaves to the world.
			world := e.balance(ledger.World("USD"))
			apptest.Must(refund(boot, "", "5", false))
			if got := e.balance(ledger.World("USD")) - world; got != 500 {
				t.Fatalf("the world got %d", got)
			}
			st := apptest.Must(e.Svc.BatchStatus(e.As(cashier), b.ID))
			if st.Summary.Refunded.String() != "15.00 USD" || st.Summary.Collected.String() != "100.00 USD" {
				t.Fatalf("running summary %+v", st.Summary)
			}
			e.checkBooks()
		})

		t.Run("ClosedBatch", func(t *testing.T) {
			closed := apptest.Must(e.Svc.CloseBatch(e.As(cashier), "", b.ID))
			stored := *closed.Summary
			if stored.Refunded.String() != "15.00 USD" || stored.GrossProfit.String() != "-9.63 USD" {
				t.Fatalf("closed with %+v", stored)
			}
			adjustments := e.balance(ledger.House(ledger.HouseAdjustments, "USD"))
			r := apptest.Must(refund(boot, "", "20", true))
			if r.Charged != cambista.ChargedHouse || e.balance(ledger.House(ledger.HouseAdjustments, "USD"))-adjustments != -2000 {
				t.Fatalf("after close: %+v", r)
			}
			after := apptest.Must(e.Svc.BatchStatus(e.As(boot), b.ID))
			if *after.Summary != stored {
				t.Fatalf("the closed batch's summary changed: %+v, was %+v", after.Summary, stored)
			}
			e.checkBooks()
		})

		t.Run("Statement", func(t *testing.T) {
			// The client's statement names each refund as one.
			st := apptest.Must(e.Svc.Statement(e.As(client), app.StatementQuery{Currency: "USD", Limit: 100}))
			var kinds []string
			for _, l := range st.Lines {
				kinds = append(kinds, l.Kind())
			}
			if len(kinds) != 2 || kinds[0] != cambista.LineRefund || kinds[1] != cambista.LineRefund {
				t.Fatalf("statement lines %v, want two refunds", kinds)
			}
		})

		t.Run("TwoSuperusers", func(t *testing.T) {
			// 65.00 is left; reversing it is above the 50.00 limit.
			r := apptest.Must(e.Svc.Reverse(e.As(boot), "", app.ReverseTransfer{TransferID: tr.ID, ToBalance: true, Reason: "wrong beneficiary"}))
			if r.Status != cambista.RefundRequested || r.Amount.String() != "65.00 USD" {
				t.Fatalf("reversal %+v", r)
			}
			before := e.balance(ledger.User(client, "USD"))
			_, err := e.Svc.ApproveRefund(e.As(boot), "", app.Decision{ID: r.ID, Approve: true})
			wantCode(t, err, cambista.EFORBIDDEN) // the same superuser
			// Nothing more can be refunded meanwhile.
			_, err = refund(boot, "", "0,01", true)
			wantCode(t, err, cambista.EINVALID)
			r = apptest.Must(e.Svc.ApproveRefund(e.As("2"), "", app.Decision{ID: r.ID, Approve: true}))
			if r.Status != cambista.RefundPosted || r.ApprovedBy != "2" || e.balance(ledger.User(client, "USD"))-before != 6500 {
				t.Fatalf("approved %+v", r)
			}
			got := apptest.Must(e.Svc.Transfer(e.As(boot), tr.ID))
			if got.Status != cambista.TransferReversed {
				t.Fatalf("the transfer is %s", got.Status)
			}
			_, err = e.Svc.ApproveRefund(e.As("2"), "", app.Decision{ID: r.ID, Approve: true})
			wantCode(t, err, cambista.ECONFLICT)
			_, err = refund(boot, "", "1", true)
			wantCode(t, err, cambista.ECONFLICT) // reversed
			e.checkBooks()
		})

		t.Run("ErrFrozenAccount", func(t *testing.T) {
			tr2 := e.completeOne("10")
			views := apptest.Must(e.Svc.Accounts(e.As(client), ""))
			apptest.Must(e.Svc.SetAccountFrozen(e.As(boot), "", app.SetAccountFrozen{ID: views[0].Account.ID, Frozen: true}))
			_, err := e.Svc.Refund(e.As(boot), "", app.RefundTransfer{TransferID: tr2.ID, Amount: "1", ToBalance: true, Reason: "x"})
			wantCode(t, err, cambista.ECONFLICT)
			// Outside, it can still be given back.
			apptest.Must(e.Svc.Refund(e.As(boot), "", app.RefundTransfer{TransferID: tr2.ID, Amount: "1", Reason: "x"}))
			e.checkBooks()
		})
	})
}
