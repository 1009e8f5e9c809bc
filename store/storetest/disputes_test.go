package storetest_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestProofs: a transfer's proof keeps its bytes exactly (binary, NUL
// bytes included) and its digest; ProofInfo leaves the bytes out; a
// transfer has one proof at most.
func TestProofs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := apptest.Business(t, s)
		tr := e.Send(apptest.Client, "10")
		data := []byte("%PDF-1.7\x00\x01\xff binary")
		p := &cambista.Proof{TransferID: tr.ID, Filename: "r.pdf", ContentType: "application/pdf", SHA256: "ab12", Data: data, CreatedBy: apptest.Cashier}
		mustTx(t, s, func(tx app.Tx) error { return tx.SaveProof(ctx, p) })
		wantCode(t, tx(t, s, func(tx app.Tx) error {
			return tx.SaveProof(ctx, &cambista.Proof{TransferID: tr.ID, Filename: "again.pdf", ContentType: "application/pdf", SHA256: "cd", Data: data})
		}), cambista.ECONFLICT)
		mustTx(t, s, func(tx app.Tx) error {
			got, err := tx.Proof(ctx, tr.ID)
			if err != nil {
				return err
			}
			if !bytes.Equal(got.Data, data) || got.Size != len(data) || got.SHA256 != "ab12" || got.Filename != "r.pdf" ||
				got.ContentType != "application/pdf" || got.CreatedBy != apptest.Cashier || got.CreatedAt.IsZero() {
				t.Fatalf("read %+v", got)
			}
			info, err := tx.ProofInfo(ctx, tr.ID)
			if err != nil || info.Data != nil || info.Size != len(data) {
				t.Fatalf("info %+v %v", info, err)
			}
			return nil
		})
		wantCode(t, tx(t, s, func(tx app.Tx) error { _, err := tx.Proof(ctx, 9999); return err }), cambista.ENOTFOUND)
		wantCode(t, tx(t, s, func(tx app.Tx) error { _, err := tx.ProofInfo(ctx, 9999); return err }), cambista.ENOTFOUND)
	})
}

// TestDisputes: disputes are created, locked, updated and listed by
// transfer and status; a transfer is disputed once.
func TestDisputes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := apptest.Business(t, s)
		tr := e.Send(apptest.Client, "10")
		d := &cambista.Dispute{TransferID: tr.ID, ClientID: apptest.Client, CashierID: apptest.Cashier, Reason: "nothing arrived", Status: cambista.DisputeOpened}
		mustTx(t, s, func(tx app.Tx) error { return tx.CreateDispute(ctx, d) })
		if d.ID == 0 || d.CreatedAt.IsZero() {
			t.Fatalf("created %+v", d)
		}
		wantCode(t, tx(t, s, func(tx app.Tx) error {
			return tx.CreateDispute(ctx, &cambista.Dispute{TransferID: tr.ID, ClientID: apptest.Client, Reason: "again", Status: cambista.DisputeOpened})
		}), cambista.ECONFLICT)
		mustTx(t, s, func(tx app.Tx) error {
			got, err := tx.Dispute(ctx, d.ID)
			if err != nil {
				return err
			}
			got.Status, got.Resolution, got.ResolvedBy, got.RefundID = cambista.DisputeRefunded, "paid twice", apptest.Boot, 7
			return tx.UpdateDispute(ctx, got)
		})
		mustTx(t, s, func(tx app.Tx) error {
			open, err := tx.Disputes(ctx, cambista.DisputeFilter{Status: cambista.DisputeOpened})
			if err != nil || len(open) != 0 {
				t.Fatalf("open %v %v", open, err)
			}
			all, err := tx.Disputes(ctx, cambista.DisputeFilter{TransferID: tr.ID})
			if err != nil || len(all) != 1 || all[0].Status != cambista.DisputeRefunded || all[0].RefundID != 7 ||
				all[0].ResolvedBy != apptest.Boot || all[0].Resolution != "paid twice" || all[0].CashierID != apptest.Cashier {
				t.Fatalf("all %+v %v", all, err)
			}
			return nil
		})
		wantCode(t, tx(t, s, func(tx app.Tx) error { _, err := tx.Dispute(ctx, 9999); return err }), cambista.ENOTFOUND)
		wantCode(t, tx(t, s, func(tx app.Tx) error { return tx.UpdateDispute(ctx, &cambista.Dispute{ID: 9999}) }), cambista.ENOTFOUND)
	})
}
