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

// TestDeposits: a client declares a deposit; staff other than the
// depositor confirm it (world → user) or reject it with a reason; a large
// one needs a superuser; every refusal changes nothing, and a replay acts
// once.
func TestDeposits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := &env{apptest.BusinessWith(t, s, app.Config{DepositSuperuserAbove: map[string]decimal.Decimal{"USD": decimal.NewFromInt(1000)}})}
		e.Account(client, "USD")
		e.Account(cashier, "USD")
		declare := func(who cambista.UserID, key, amount, proof string) (*cambista.Deposit, error) {
			return e.Svc.DeclareDeposit(e.As(who), key, app.DeclareDeposit{Currency: "USD", Amount: amount, Method: "Zelle", ProofURL: proof})
		}

		t.Run("ErrBadInput", func(t *testing.T) {
			events := e.auditCount()
			for _, c := range []struct {
				in   app.DeclareDeposit
				code string
			}{
				{app.DeclareDeposit{Currency: "USD", Amount: "abc", Method: "Zelle"}, cambista.EINVALID},
				{app.DeclareDeposit{Currency: "USD", Amount: "0", Method: "Zelle"}, cambista.EINVALID},
				{app.DeclareDeposit{Currency: "USD", Amount: "10,001", Method: "Zelle"}, cambista.EINVALID},
				{app.DeclareDeposit{Currency: "USD", Amount: "10", Method: " "}, cambista.EINVALID},
				{app.DeclareDeposit{Currency: "USD", Amount: "10", Method: "Zelle", ProofURL: "http://x.example/p.png"}, cambista.EINVALID},
				{app.DeclareDeposit{Currency: "VES", Amount: "10", Method: "Zelle"}, cambista.ENOTFOUND}, // no VES account
			} {
				_, err := e.Svc.DeclareDeposit(e.As(client), "", c.in)
				wantCode(t, err, c.code)
				if cambista.ErrorMessage(err).ID == "" {
					t.Fatalf("%+v: no message for a person: %v", c.in, err)
				}
			}
			if e.count("deposits") != 0 || e.auditCount() != events {
				t.Fatal("a refused declaration changed something")
			}
		})

		t.Run("OK", func(t *testing.T) {
			d := apptest.Must(declare(client, "dep-1", "250,00", "https://cdn.discordapp.com/attachments/1/2/proof.png"))
			again := apptest.Must(declare(client, "dep-1", "250,00", "https://cdn.discordapp.com/attachments/1/2/proof.png"))
			if again.ID != d.ID || e.count("deposits") != 1 {
				t.Fatalf("a replayed declaration made another deposit: %d, %d", again.ID, d.ID)
			}
			if d.Status != cambista.DepositDeclared || d.Amount.String() != "250.00 USD" || e.balance(ledger.User(client, "USD")) != 0 {
				t.Fatalf("declared %+v", d)
			}
			_, err := e.Svc.DecideDeposit(e.As(client), "", app.Decision{ID: d.ID, Approve: true})
			wantCode(t, err, cambista.EFORBIDDEN) // a client is not staff
			d = apptest.Must(e.Svc.DecideDeposit(e.As(cashier), "ok-1", app.Decision{ID: d.ID, Approve: true}))
			apptest.Must(e.Svc.DecideDeposit(e.As(cashier), "ok-1", app.Decision{ID: d.ID, Approve: true}))
			if d.Status != cambista.DepositConfirmed || d.DecidedBy != cashier || e.balance(ledger.User(client, "USD")) != 25000 {
				t.Fatalf("confirmed %+v, balance %d", d, e.balance(ledger.User(client, "USD")))
			}
			// A second click is refused by the state, and posts nothing.
			_, err = e.Svc.DecideDeposit(e.As(boot), "", app.Decision{ID: d.ID, Approve: true})
			wantCode(t, err, cambista.ECONFLICT)
			if e.balance(ledger.User(client, "USD")) != 25000 {
				t.Fatal("a second confirmation posted again")
			}
			st := apptest.Must(e.Svc.Statement(e.As(client), app.StatementQuery{Currency: "USD", Limit: 10}))
			if len(st.Lines) != 1 || st.Lines[0].Kind() != cambista.LineDeposit || st.Lines[0].Amount.String() != "250.00 USD" {
				t.Fatalf("the statement shows %+v", st.Lines)
			}
			e.checkBooks()
		})

		t.Run("ErrOwnDeposit", func(t *testing.T) {
			d := apptest.Must(declare(cashier, "", "10", ""))
			_, err := e.Svc.DecideDeposit(e.As(cashier), "", app.Decision{ID: d.ID, Approve: true})
			wantCode(t, err, cambista.EFORBIDDEN)
			apptest.Must(e.Svc.DecideDeposit(e.As(apptest.Other), "", app.Decision{ID: d.ID, Approve: true}))
		})

		t.Run("ErrNeedsSuperuser", func(t *testing.T) {
			d := apptest.Must(declare(client, "", "1.000,01", ""))
			_, err := e.Svc.DecideDeposit(e.As(cashier), "", app.Decision{ID: d.ID, Approve: true})
			wantCode(t, err, cambista.EFORBIDDEN)
			if got := cambista.ErrorMessage(err).ID; got != cambista.MsgDepositNeedsSuperuser.ID {
				t.Fatalf("refused with %s", got)
			}
			before := e.balance(ledger.User(client, "USD"))
			apptest.Must(e.Svc.DecideDeposit(e.As(boot), "", app.Decision{ID: d.ID, Approve: true}))
			if got := e.balance(ledger.User(client, "USD")) - before; got != 100001 {
				t.Fatalf("credited %d", got)
			}
			// At the limit a cashier may confirm.
			d = apptest.Must(declare(client, "", "1000", ""))
			apptest.Must(e.Svc.DecideDeposit(e.As(cashier), "", app.Decision{ID: d.ID, Approve: true}))
		})

		t.Run("Reject", func(t *testing.T) {
			d := apptest.Must(declare(client, "", "30", ""))
			_, err := e.Svc.DecideDeposit(e.As(cashier), "", app.Decision{ID: d.ID})
			wantCode(t, err, cambista.EINVALID) // a rejection needs a reason
			before := e.balance(ledger.User(client, "USD"))
			d = apptest.Must(e.Svc.DecideDeposit(e.As(cashier), "", app.Decision{ID: d.ID, Reason: "not received"}))
			if d.Status != cambista.DepositRejected || d.Reason != "not received" || e.balance(ledger.User(client, "USD")) != before {
				t.Fatalf("rejected %+v", d)
			}
			_, err = e.Svc.DecideDeposit(e.As(boot), "", app.Decision{ID: d.ID, Approve: true})
			wantCode(t, err, cambista.ECONFLICT)
		})

		t.Run("ErrFrozenAccount", func(t *testing.T) {
			d := apptest.Must(declare(client, "", "40", ""))
			views := apptest.Must(e.Svc.Accounts(e.As(client), ""))
			apptest.Must(e.Svc.SetAccountFrozen(e.As(boot), "", app.SetAccountFrozen{ID: views[0].Account.ID, Frozen: true}))
			before := e.balance(ledger.User(client, "USD"))
			_, err := e.Svc.DecideDeposit(e.As(cashier), "", app.Decision{ID: d.ID, Approve: true})
			wantCode(t, err, cambista.ECONFLICT)
			_, err = declare(client, "", "40", "")
			wantCode(t, err, cambista.ECONFLICT)
			if e.balance(ledger.User(client, "USD")) != before {
				t.Fatal("a frozen account was credited")
			}
			apptest.Must(e.Svc.SetAccountFrozen(e.As(boot), "", app.SetAccountFrozen{ID: views[0].Account.ID}))
		})

		// The queue: staff see everyone's, a client only their own.
		if got := apptest.Must(e.Svc.Deposits(e.As(cashier), cambista.DepositFilter{Status: cambista.DepositDeclared})); len(got) != 1 {
			t.Fatalf("%d deposits waiting, want the frozen one", len(got))
		}
		if got := apptest.Must(e.Svc.Deposits(e.As(agent), cambista.DepositFilter{})); len(got) != 0 {
			t.Fatalf("the agent sees %d deposits of others", len(got))
		}
		e.checkBooks()
	})
}
