package app_test

import (
	"context"
	"testing"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestOperations checks the operators' figures against a business whose
// every figure is known: two batches of one pair, transfers pending, taken
// and completed, notices waiting, and a verified audit chain.
func TestOperations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		system := cambista.WithActor(t.Context(), cambista.SystemActor)
		_, err := e.Svc.Operations(e.As(apptest.Boot))
		wantCode(t, err, cambista.EFORBIDDEN)

		empty := apptest.Must(e.Svc.Operations(system))
		if len(empty.Pairs) != 0 || !empty.OldestPending.IsZero() || !empty.AuditVerified.IsZero() || len(empty.Transfers) != 0 {
			t.Fatalf("before any transfer: %+v", empty)
		}

		apptest.Must(e.Svc.OpenBatch(e.As(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4400", CostRate: "41"}))
		apptest.Must(e.Svc.OpenBatch(e.As(other), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "10000", CostRate: "41"}))
		done := e.Send(client, "100") // pays 3,880.00 VES
		apptest.Must(e.Svc.TakeTransfer(e.As(cashier), "", done.ID))
		apptest.Must(e.Svc.CompleteTransfer(e.As(cashier), "", app.Complete{ID: done.ID, Reference: "R"}))
		taken := e.Send(client, "10") // pays 388.00 VES
		apptest.Must(e.Svc.TakeTransfer(e.As(cashier), "", taken.ID))
		first := e.Send(client, "50") // pays 1,940.00 VES
		e.Send(client, "20")          // pays 776.00 VES

		apptest.Must(app.VerifyAudit(context.Background(), s))
		ops := apptest.Must(e.Svc.Operations(system))
		want := map[cambista.TransferStatus]int64{cambista.TransferCompleted: 1, cambista.TransferTaken: 1, cambista.TransferPending: 2}
		if len(ops.Transfers) != len(want) {
			t.Fatalf("transfers by state %v, want %v", ops.Transfers, want)
		}
		for st, n := range want {
			if ops.Transfers[st] != n {
				t.Fatalf("transfers by state %v, want %v", ops.Transfers, want)
			}
		}
		// The cashier's batch: 4,400.00 − 3,880.00 paid − 388.00 taken.
		wantPair := cambista.PairOperations{Base: "USD", Quote: "VES", OpenBatches: 2,
			Capital: 440000 - 388000 - 38800 + 1000000, LowestCapital: 440000 - 388000 - 38800,
			Pending: 2, PendingPayout: 194000 + 77600}
		if len(ops.Pairs) != 1 || ops.Pairs[0] != wantPair {
			t.Fatalf("pairs %+v, want %+v", ops.Pairs, wantPair)
		}
		if !ops.OldestPending.Equal(first.CreatedAt) {
			t.Fatalf("oldest pending %v, want %v", ops.OldestPending, first.CreatedAt)
		}
		if ops.OutboxWaiting == 0 || ops.OldestOutbox.IsZero() || ops.OldestOutbox.After(first.CreatedAt) {
			t.Fatalf("outbox: %d waiting, oldest %v", ops.OutboxWaiting, ops.OldestOutbox)
		}
		if ops.Unsealed != 0 || !ops.OldestUnsealed.IsZero() || ops.AuditVerified.IsZero() || ops.AuditVerified.Before(first.CreatedAt) {
			t.Fatalf("audit: %d unsealed, verified %v", ops.Unsealed, ops.AuditVerified)
		}
	})
}
