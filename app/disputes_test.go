package app_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// pngBytes is the start of a PNG file: enough for its type to be sniffed.
var pngBytes = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0}, 64)...)

// TestCompleteWithProof: a transfer completed with a proof keeps its bytes
// and their SHA-256, readable by whoever may read the transfer; a file
// that is not an image or a PDF, or too large, is refused and the
// transfer stays taken; a replay stores nothing twice.
func TestCompleteWithProof(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		apptest.Must(e.Svc.OpenBatch(e.As(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "100000", CostRate: "41"}))
		tr := e.Send(client, "100")
		apptest.Must(e.Svc.TakeTransfer(e.As(cashier), "", tr.ID))
		complete := func(key, name string, data []byte) (*cambista.Transfer, error) {
			return e.Svc.CompleteTransfer(e.As(cashier), key, app.Complete{ID: tr.ID, Reference: "R-1", Proof: &cambista.Proof{Filename: name, Data: data}})
		}

		t.Run("ErrRefused", func(t *testing.T) {
			events := e.auditCount()
			_, err := complete("", "notes.txt", []byte("just text"))
			wantCode(t, err, cambista.EINVALID)
			if cambista.ErrorMessage(err).ID != cambista.MsgProofType.ID {
				t.Fatalf("refused with %v", err)
			}
			_, err = complete("", "huge.png", append(pngBytes, make([]byte, cambista.ProofMaxBytes)...))
			if cambista.ErrorMessage(err).ID != cambista.MsgProofTooBig.ID {
				t.Fatalf("refused with %v", err)
			}
			if got := apptest.Must(e.Svc.Transfer(e.As(cashier), tr.ID)); got.Status != cambista.TransferTaken ||
				e.count("transfer_proofs") != 0 || e.auditCount() != events {
				t.Fatal("a refused proof changed something")
			}
		})

		t.Run("OK", func(t *testing.T) {
			done := apptest.Must(complete("p-1", "../receipt.png", pngBytes))
			apptest.Must(complete("p-1", "../receipt.png", pngBytes))
			if done.Status != cambista.TransferCompleted || e.count("transfer_proofs") != 1 {
				t.Fatalf("completed %s with %d proofs", done.Status, e.count("transfer_proofs"))
			}
			sum := sha256.Sum256(pngBytes)
			p := apptest.Must(e.Svc.TransferProof(e.As(client), tr.ID))
			if p.SHA256 != hex.EncodeToString(sum[:]) || p.ContentType != "image/png" || p.Filename != "receipt.png" ||
				!bytes.Equal(p.Data, pngBytes) || p.CreatedBy != cashier {
				t.Fatalf("proof %+v", p)
			}
			info := apptest.Must(e.Svc.TransferProofInfo(e.As(boot), tr.ID))
			if info.Data != nil || info.SHA256 != p.SHA256 || info.Size != len(pngBytes) {
				t.Fatalf("proof info %+v", info)
			}
			_, err := e.Svc.TransferProof(e.As(agent), tr.ID)
			wantCode(t, err, cambista.EFORBIDDEN)
			_, err = e.Svc.TransferProof(e.As(client), e.Send(client, "5").ID)
			wantCode(t, err, cambista.ENOTFOUND)
			e.checkBooks()
		})
	})
}

// TestDisputeRules: a client disputes their own completed transfer within
// the configured days, once; anything else is refused and changes
// nothing. A superuser rejects one or refunds its transfer through the
// refund use case in the same transaction, under the two-superusers rule.
func TestDisputeRules(t *testing.T) {
	storetest.EachOnClock(t, time.Now(), func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		e := &env{apptest.BusinessWith(t, s, app.Config{RefundTwoSuperusersAbove: map[string]decimal.Decimal{"USD": decimal.NewFromInt(50)}})}
		e.User("2", cambista.RoleSuperuser)
		e.Account(client, "USD")
		apptest.Must(e.Svc.OpenBatch(e.As(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "1000000", CostRate: "41"}))
		first, second, third := e.completeOne("100"), e.completeOne("40"), e.completeOne("80")
		open := func(who cambista.UserID, key string, id cambista.ID) (*cambista.Dispute, error) {
			return e.Svc.OpenDispute(e.As(who), key, app.OpenDispute{TransferID: id, Reason: "the beneficiary got nothing"})
		}

		t.Run("ErrRefused", func(t *testing.T) {
			pending := e.Send(client, "5")
			events := e.auditCount()
			_, err := open(agent, "", first.ID)
			wantCode(t, err, cambista.EFORBIDDEN)
			_, err = e.Svc.OpenDispute(e.As(client), "", app.OpenDispute{TransferID: first.ID})
			wantCode(t, err, cambista.EINVALID)
			_, err = open(client, "", pending.ID)
			if cambista.ErrorMessage(err).ID != cambista.MsgDisputeNotCompleted.ID {
				t.Fatalf("a pending transfer disputed: %v", err)
			}
			_, err = e.Svc.SetDisputeDays(e.As(boot), "", "0")
			wantCode(t, err, cambista.EINVALID)
			_, err = e.Svc.SetDisputeDays(e.As(client), "", "10")
			wantCode(t, err, cambista.EFORBIDDEN)
			if e.count("disputes") != 0 || e.auditCount() != events {
				t.Fatal("a refused dispute changed something")
			}
		})

		t.Run("Window", func(t *testing.T) {
			if days := apptest.Must(e.Svc.DisputeDays(e.As(boot))); days != cambista.DefaultDisputeDays {
				t.Fatalf("default window %d days", days)
			}
			apptest.Must(e.Svc.SetDisputeDays(e.As(boot), "", "10"))
			clock.Add(11 * 24 * time.Hour)
			_, err := open(client, "", first.ID)
			if cambista.ErrorMessage(err).ID != cambista.MsgDisputeLate.ID {
				t.Fatalf("a late dispute: %v", err)
			}
			apptest.Must(e.Svc.SetDisputeDays(e.As(boot), "", "30"))
		})

		var d *cambista.Dispute
		t.Run("Open", func(t *testing.T) {
			d = apptest.Must(open(client, "d-1", first.ID))
			again := apptest.Must(open(client, "d-1", first.ID))
			if again.ID != d.ID || d.Status != cambista.DisputeOpened || d.CashierID != cashier {
				t.Fatalf("dispute %+v, replay %+v", d, again)
			}
			_, err := open(client, "", first.ID)
			if cambista.ErrorMessage(err).ID != cambista.MsgDisputeTwice.ID {
				t.Fatalf("disputed twice: %v", err)
			}
			list := apptest.Must(e.Svc.Disputes(e.As(cashier), cambista.DisputeFilter{Status: cambista.DisputeOpened}))
			if len(list) != 1 || list[0].ID != d.ID {
				t.Fatalf("open disputes %v", list)
			}
			_, err = e.Svc.Dispute(e.As(agent), d.ID)
			wantCode(t, err, cambista.EFORBIDDEN)
		})

		t.Run("Rejected", func(t *testing.T) {
			_, err := e.Svc.ResolveDispute(e.As(cashier), "", app.ResolveDispute{ID: d.ID, Reason: "paid"})
			wantCode(t, err, cambista.EFORBIDDEN)
			r := apptest.Must(e.Svc.ResolveDispute(e.As(boot), "", app.ResolveDispute{ID: d.ID, Reason: "the bank confirms the payout"}))
			if r.Status != cambista.DisputeRejected || r.ResolvedBy != boot || r.RefundID != 0 {
				t.Fatalf("rejected %+v", r)
			}
			_, err = e.Svc.ResolveDispute(e.As(boot), "", app.ResolveDispute{ID: d.ID, Refund: true, Reason: "again"})
			wantCode(t, err, cambista.ECONFLICT)
		})

		t.Run("Refunded", func(t *testing.T) {
			d2 := apptest.Must(open(client, "", second.ID))
			before := e.balance(ledger.User(client, "USD"))
			r := apptest.Must(e.Svc.ResolveDispute(e.As(boot), "", app.ResolveDispute{ID: d2.ID, Refund: true, ToBalance: true, Reason: "paid twice"}))
			refund := apptest.Must(e.Svc.RefundOf(e.As(boot), r.RefundID))
			if r.Status != cambista.DisputeRefunded || refund.Status != cambista.RefundPosted || refund.Amount.String() != "40.00 USD" ||
				e.balance(ledger.User(client, "USD"))-before != 4000 {
				t.Fatalf("dispute %+v, refund %+v", r, refund)
			}
			// Too much: refused as a refund would be, and the dispute stays open.
			d3 := apptest.Must(open(client, "", third.ID))
			_, err := e.Svc.ResolveDispute(e.As(boot), "", app.ResolveDispute{ID: d3.ID, Refund: true, Amount: "80,01", Reason: "x"})
			wantCode(t, err, cambista.EINVALID)
			if got := apptest.Must(e.Svc.Dispute(e.As(boot), d3.ID)); got.Status != cambista.DisputeOpened {
				t.Fatalf("a refused resolution left the dispute %s", got.Status)
			}
			// Above the limit the refund waits for a second superuser.
			r = apptest.Must(e.Svc.ResolveDispute(e.As(boot), "", app.ResolveDispute{ID: d3.ID, Refund: true, Amount: "60", Reason: "short paid"}))
			waiting := apptest.Must(e.Svc.RefundOf(e.As(boot), r.RefundID))
			if waiting.Status != cambista.RefundRequested {
				t.Fatalf("refund above the limit %s", waiting.Status)
			}
			_, err = e.Svc.ApproveRefund(e.As(boot), "", app.Decision{ID: waiting.ID, Approve: true})
			wantCode(t, err, cambista.EFORBIDDEN)
			apptest.Must(e.Svc.ApproveRefund(e.As("2"), "", app.Decision{ID: waiting.ID, Approve: true}))
			e.checkBooks()
		})
	})
}
