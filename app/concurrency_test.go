package app_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/money"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
	"github.com/shopspring/decimal"
)

// TestCompleteOnce (R1): a thousand concurrent completions of one transfer
// with the same key, then a thousand with different keys, make one
// completion: one set of postings, one audit event.
func TestCompleteOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		apptest.Must(e.Svc.OpenBatch(e.As(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))
		tr := e.Send(client, "100")
		apptest.Must(e.Svc.TakeTransfer(e.As(cashier), "", tr.ID))
		ctx := e.As(cashier)
		events, postings := e.auditCount(), e.count("postings")
		in := app.Complete{ID: tr.ID, Reference: "REF-1"}
		var ok, conflict atomic.Int64
		run := func(key func(i int) string) {
			var wg sync.WaitGroup
			for i := range 1000 {
				wg.Go(func() {
					_, err := e.Svc.CompleteTransfer(ctx, key(i), in)
					switch cambista.ErrorCode(err) {
					case "":
						ok.Add(1)
					case cambista.ECONFLICT:
						conflict.Add(1)
					default:
						t.Errorf("complete: %v", err)
					}
				})
			}
			wg.Wait()
		}
		run(func(int) string { return "double-click" })
		if ok.Load() != 1000 || conflict.Load() != 0 {
			t.Fatalf("same key: %d ok, %d conflicts; every replay should return the first result", ok.Load(), conflict.Load())
		}
		ok.Store(0)
		run(func(i int) string { return "click-" + strconv.Itoa(i) })
		if ok.Load() != 0 || conflict.Load() != 1000 {
			t.Fatalf("different keys: %d ok, %d conflicts; want 0 and 1000", ok.Load(), conflict.Load())
		}
		if got := e.auditCount() - events; got != 1 {
			t.Fatalf("%d audit events, want 1", got)
		}
		// Receipt, payout and agent commission: three moves, six postings.
		if got := e.count("postings") - postings; got != 6 {
			t.Fatalf("%d postings, want 6", got)
		}
		e.checkBooks()
	})
}

// TestRandomWorkload (R2): many clients, cashiers and batches act at once
// in random order: transfers (some paid from the client's balance),
// deposits, withdrawals. Afterwards the books balance, no user is
// negative nor holds more than their balance, each closed batch's summary
// equals the sums of its transfers, and the audit chain verifies. CAMBISTA_WORKLOAD_OPS sets the size (default 20,000).
func TestRandomWorkload(t *testing.T) {
	ops := 20000
	if n, err := strconv.Atoi(os.Getenv("CAMBISTA_WORKLOAD_OPS")); err == nil {
		ops = n
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := &env{apptest.BusinessWith(t, s, app.Config{RefundTwoSuperusersAbove: map[string]decimal.Decimal{"USD": decimal.NewFromInt(100)}})}
		e.User("3", cambista.RoleSuperuser) // the second superuser of large refunds
		const clients, cashiers, workers = 24, 6, 12
		var clientIDs, cashierIDs []cambista.UserID
		for i := range clients {
			id := cambista.UserID(fmt.Sprint(1000 + i))
			e.User(id)
			clientIDs = append(clientIDs, id)
		}
		for i := range cashiers {
			id := cambista.UserID(fmt.Sprint(2000 + i))
			e.User(id, cambista.RoleCashier)
			cashierIDs = append(cashierIDs, id)
		}
		// Some clients are referred, so agent commissions flow.
		for _, id := range clientIDs[:clients/2] {
			apptest.Must(e.Svc.SetReferrer(e.As(boot), "", app.Referral{ClientID: id, AgentID: agent}))
		}
		apptest.Must(e.Svc.RequestAccount(e.As(agent), "", "USD"))
		// Every client has a USD account with money to pay from.
		for _, id := range clientIDs {
			e.Fund(id, "USD", "300")
		}

		var mu sync.Mutex
		var transfers []cambista.ID
		pick := func(r *rand.Rand) cambista.ID {
			mu.Lock()
			defer mu.Unlock()
			if len(transfers) == 0 {
				return 0
			}
			return transfers[r.IntN(len(transfers))]
		}
		var done atomic.Int64
		counts := map[string]*atomic.Int64{}
		// EINVALID: a refund beyond what is left of its transfer.
		for _, k := range []string{"ok", cambista.ECONFLICT, cambista.EINSUFFICIENT, cambista.ENOTFOUND, cambista.EFORBIDDEN, cambista.EINVALID} {
			counts[k] = new(atomic.Int64)
		}
		record := func(op string, err error) {
			code := cambista.ErrorCode(err)
			if code == "" {
				code = "ok"
			}
			c, known := counts[code]
			if !known {
				t.Errorf("%s: unexpected %v", op, err)
				return
			}
			c.Add(1)
		}
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				r := rand.New(rand.NewPCG(uint64(w), 42))
				for done.Add(1) <= int64(ops) {
					cl := clientIDs[r.IntN(clients)]
					ca := cashierIDs[r.IntN(cashiers)]
					switch n := r.IntN(116); {
					case n < 30:
						q, err := e.Svc.Quote(e.As(cl), "", app.QuoteRequest{Amount: fmt.Sprint(10 + r.IntN(200)), From: "USD", To: "VES"})
						record("quote", err)
						if err != nil {
							continue
						}
						tr, err := e.Svc.CreateTransfer(e.As(cl), "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: beneficiary, FromBalance: r.IntN(2) == 0})
						record("create", err)
						if err == nil {
							mu.Lock()
							transfers = append(transfers, tr.ID)
							mu.Unlock()
						}
					case n < 55:
						_, err := e.Svc.TakeTransfer(e.As(ca), "", pick(r))
						record("take", err)
					case n < 80:
						_, err := e.Svc.CompleteTransfer(e.As(ca), "", app.Complete{ID: pick(r), Reference: "R"})
						record("complete", err)
					case n < 84:
						_, err := e.Svc.RejectTransfer(e.As(ca), "", app.Reason{ID: pick(r), Reason: "no"})
						record("reject", err)
					case n < 88:
						_, err := e.Svc.ReleaseTransfer(e.As(ca), "", pick(r))
						record("release", err)
					case n < 91:
						_, err := e.Svc.CancelTransfer(e.As(cl), "", pick(r))
						record("cancel", err)
					case n < 96:
						// A small capital now and then, so takes run short.
						capital := []string{"500", "20000", "100000"}[r.IntN(3)]
						_, err := e.Svc.OpenBatch(e.As(ca), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: capital, CostRate: "41"})
						record("open", err)
					case n < 98:
						open, err := e.Svc.OpenBatches(e.As(ca))
						record("status", err)
						for _, b := range open {
							_, err := e.Svc.CloseBatch(e.As(ca), "", b.Batch.ID)
							record("close", err)
						}
					case n < 100:
						w, err := e.Svc.RequestWithdrawal(e.As(agent), "", app.RequestWithdrawal{Currency: "USD", Amount: "1"})
						record("withdraw", err)
						if err == nil {
							_, err = e.Svc.DecideWithdrawal(e.As(boot), "", app.Decision{ID: w.ID, Approve: r.IntN(2) == 0, Reason: "random"})
							record("decide", err)
						}
					case n < 105:
						d, err := e.Svc.DeclareDeposit(e.As(cl), "", app.DeclareDeposit{Currency: "USD", Amount: fmt.Sprint(50 + r.IntN(300)), Method: "cash"})
						record("deposit", err)
						if err == nil {
							_, err = e.Svc.DecideDeposit(e.As(ca), "", app.Decision{ID: d.ID, Approve: r.IntN(4) > 0, Reason: "random"})
							record("confirm", err)
						}
					case n < 110:
						_, err := e.Svc.Refund(e.As(boot), "", app.RefundTransfer{TransferID: pick(r), Amount: fmt.Sprint(1 + r.IntN(20)),
							ToBalance: r.IntN(2) == 0, Reason: "random"})
						record("refund", err)
					case n < 113:
						w, err := e.Svc.RequestWithdrawal(e.As(cl), "", app.RequestWithdrawal{Currency: "USD", Amount: fmt.Sprint(10 + r.IntN(100))})
						record("client withdraw", err)
						if err == nil {
							_, err = e.Svc.DecideWithdrawal(e.As(boot), "", app.Decision{ID: w.ID, Approve: r.IntN(3) > 0, Reason: "random"})
							record("client decide", err)
						}
					default:
						rv, err := e.Svc.Reverse(e.As(boot), "", app.ReverseTransfer{TransferID: pick(r), ToBalance: r.IntN(2) == 0, Reason: "random"})
						record("reverse", err)
						if err == nil && rv.Status == cambista.RefundRequested {
							_, err = e.Svc.ApproveRefund(e.As("3"), "", app.Decision{ID: rv.ID, Approve: r.IntN(3) > 0, Reason: "random"})
							record("approve refund", err)
						}
					}
				}
			})
			if w == 0 {
				// The agent's account is approved while work runs.
				accounts := apptest.Must(e.Svc.PendingAccounts(e.As(boot)))
				for _, a := range accounts {
					apptest.Must(e.Svc.DecideAccount(e.As(boot), "", app.Decision{ID: a.ID, Approve: true}))
				}
			}
		}
		wg.Wait()
		t.Logf("outcomes: ok %d, conflict %d, insufficient %d, not found %d, forbidden %d",
			counts["ok"].Load(), counts[cambista.ECONFLICT].Load(), counts[cambista.EINSUFFICIENT].Load(),
			counts[cambista.ENOTFOUND].Load(), counts[cambista.EFORBIDDEN].Load())
		t.Logf("refunds: %d posted, %d waiting", len(apptest.Must(e.Svc.Refunds(e.As(boot), cambista.RefundFilter{Status: cambista.RefundPosted}))),
			len(apptest.Must(e.Svc.Refunds(e.As(boot), cambista.RefundFilter{Status: cambista.RefundRequested}))))
		if counts["ok"].Load() < int64(ops)/4 {
			t.Fatalf("only %d operations succeeded", counts["ok"].Load())
		}
		e.checkBooks()
		checkSummaries(t, e)
		var fromBalance int
		for _, id := range clientIDs {
			for _, v := range apptest.Must(e.Svc.Accounts(e.As(boot), id)) {
				if v.Available.Minor < 0 {
					t.Errorf("client %s holds more than their balance: %+v", id, v)
				}
			}
			for _, x := range apptest.Must(e.Svc.Transfers(e.As(boot), cambista.TransferFilter{ClientID: id, Status: cambista.TransferCompleted, Limit: 10000})) {
				if x.FromBalance {
					fromBalance++
				}
			}
		}
		if fromBalance == 0 {
			t.Error("no transfer paid from a balance completed")
		}
		t.Logf("%d completed transfers were paid from a balance", fromBalance)
	})
}

// checkSummaries recomputes each closed batch's summary from its
// transfers and compares.
func checkSummaries(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	err := e.Store.View(ctx, func(tx app.Tx) error {
		batches, err := tx.Batches(ctx, cambista.BatchFilter{Status: cambista.BatchClosed, Limit: 10000})
		if err != nil {
			return err
		}
		if len(batches) == 0 {
			t.Error("no batch was closed")
		}
		usd := money.Currency{Code: "USD", Exponent: 2}
		for _, b := range batches {
			ts, err := tx.Transfers(ctx, cambista.TransferFilter{BatchID: b.ID, Limit: 10000})
			if err != nil {
				return err
			}
			var paid, collected, share, refunded int64
			n := 0
			for _, x := range ts {
				// A reversed transfer was paid out before it was undone.
				if x.Status == cambista.TransferCompleted || x.Status == cambista.TransferReversed {
					n++
					paid += x.Receive.Minor
					collected += x.Send.Minor
					share += x.AgentShare.Minor
				}
			}
			refunds, err := tx.Refunds(ctx, cambista.RefundFilter{BatchID: b.ID, Status: cambista.RefundPosted, Charged: cambista.ChargedBatch})
			if err != nil {
				return err
			}
			for _, r := range refunds {
				refunded += r.Amount.Minor
			}
			cost, err := money.ConvertInverse(money.New(paid, b.Capital.Currency), b.CostRate, usd)
			if err != nil {
				return err
			}
			s := b.Summary
			gross := collected - refunded - cost.Minor
			if s.Transfers != n || s.PaidOut.Minor != paid || s.Collected.Minor != collected || s.AgentCommissions.Minor != share ||
				s.Refunded.Minor != refunded || s.Cost.Minor != cost.Minor || s.GrossProfit.Minor != gross || s.NetProfit.Minor != gross-share ||
				s.Returned.Minor != b.Capital.Minor-paid {
				t.Errorf("batch %d summary %+v does not match its %d transfers (paid %d, collected %d, refunded %d, share %d)", b.ID, s, n, paid, collected, refunded, share)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
