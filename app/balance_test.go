package app_test

import (
	"testing"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestPayFromBalance: a transfer paid from the client's balance holds its
// amount from creation, so that transfers and withdrawals together never
// ask for more than the balance; the hold is released when the transfer is
// cancelled or rejected, and the amount is posted from the client's
// account (not from outside) when it completes.
func TestPayFromBalance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		apptest.Must(e.Svc.OpenBatch(e.As(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "100000", CostRate: "41"}))
		send := func(amount string) (*cambista.Transfer, error) {
			q := apptest.Must(e.Svc.Quote(e.As(client), "", app.QuoteRequest{Amount: amount, From: "USD", To: "VES"}))
			return e.Svc.CreateTransfer(e.As(client), "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: beneficiary, FromBalance: true})
		}
		available := func() (balance, held, avail string) {
			v := apptest.Must(e.Svc.Accounts(e.As(client), ""))[0]
			return v.Balance.String(), v.Held.String(), v.Available.String()
		}

		_, err := send("10")
		wantCode(t, err, cambista.ENOTFOUND) // no USD account yet
		e.Fund(client, "USD", "100")

		t1 := apptest.Must(send("60"))
		if !t1.FromBalance {
			t.Fatal("the transfer does not say it is paid from the balance")
		}
		if b, h, a := available(); b != "100.00 USD" || h != "60.00 USD" || a != "40.00 USD" {
			t.Fatalf("after one transfer: balance %s, held %s, available %s", b, h, a)
		}
		_, err = send("60")
		wantCode(t, err, cambista.EINSUFFICIENT)
		_, err = e.Svc.RequestWithdrawal(e.As(client), "", app.RequestWithdrawal{Currency: "USD", Amount: "50"})
		wantCode(t, err, cambista.EINSUFFICIENT)
		w := apptest.Must(e.Svc.RequestWithdrawal(e.As(client), "", app.RequestWithdrawal{Currency: "USD", Amount: "40"}))
		_, err = send("1")
		wantCode(t, err, cambista.EINSUFFICIENT)

		// Cancelled: the hold goes.
		apptest.Must(e.Svc.CancelTransfer(e.As(client), "", t1.ID))
		if _, h, a := available(); h != "40.00 USD" || a != "60.00 USD" {
			t.Fatalf("after the cancellation: held %s, available %s", h, a)
		}
		// Rejected: the hold goes too.
		t2 := apptest.Must(send("60"))
		apptest.Must(e.Svc.TakeTransfer(e.As(cashier), "", t2.ID))
		apptest.Must(e.Svc.RejectTransfer(e.As(cashier), "", app.Reason{ID: t2.ID, Reason: "wrong bank"}))
		if _, _, a := available(); a != "60.00 USD" {
			t.Fatalf("after the rejection: available %s", a)
		}

		// Completed: the amount leaves the client's account into receipts.
		receipts, world := e.balance(ledger.House(ledger.HouseReceipts, "USD")), e.balance(ledger.World("USD"))
		t3 := apptest.Must(send("60"))
		apptest.Must(e.Svc.TakeTransfer(e.As(cashier), "", t3.ID))
		apptest.Must(e.Svc.CompleteTransfer(e.As(cashier), "", app.Complete{ID: t3.ID, Reference: "R"}))
		if b, h, a := available(); b != "40.00 USD" || h != "40.00 USD" || a != "0.00 USD" {
			t.Fatalf("after the completion: balance %s, held %s, available %s", b, h, a)
		}
		if got := e.balance(ledger.House(ledger.HouseReceipts, "USD")) - receipts; got != 6000 {
			t.Fatalf("receipts grew by %d", got)
		}
		if got := e.balance(ledger.World("USD")) - world; got != 0 {
			t.Fatalf("the world paid %d for a transfer paid from a balance", got)
		}
		apptest.Must(e.Svc.DecideWithdrawal(e.As(boot), "", app.Decision{ID: w.ID, Approve: true}))
		if b, h, _ := available(); b != "0.00 USD" || h != "0.00 USD" {
			t.Fatalf("at the end: balance %s, held %s", b, h)
		}

		// A frozen account pays nothing.
		views := apptest.Must(e.Svc.Accounts(e.As(client), ""))
		apptest.Must(e.Svc.SetAccountFrozen(e.As(boot), "", app.SetAccountFrozen{ID: views[0].Account.ID, Frozen: true}))
		_, err = send("1")
		wantCode(t, err, cambista.ECONFLICT)
		e.checkBooks()
	})
}
