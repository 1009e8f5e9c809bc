package app_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// BenchmarkLifecycle (P1) runs whole transfer lifecycles — quote, create,
// take, complete: four use cases, four transactions — on each database,
// beside the raw single-row commit rate measured in the same run. Each
// parallel worker is its own client and cashier with its own batch, as in
// a business with several cashiers at work.
//
//	CAMBISTA_TEST_POSTGRES_URL=… go test -run '^$' -bench Lifecycle -benchtime 5s ./app/
func BenchmarkLifecycle(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(d, func(b *testing.B) {
			s := storetest.Open(b, d, store.Options{})
			e := business(b, s)
			b.Run("raw-commit", func(b *testing.B) { storetest.BenchRawCommits(b, s) })
			var workers atomic.Int64
			b.Run("lifecycle", func(b *testing.B) {
				b.RunParallel(func(pb *testing.PB) {
					w := workers.Add(1)
					who := cambista.UserID(fmt.Sprint(5000 + w))
					cash := cambista.UserID(fmt.Sprint(6000 + w))
					e.User(who)
					e.User(cash, cambista.RoleCashier)
					apptest.Must(e.Svc.OpenBatch(e.As(cash), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "1000000000", CostRate: "41"}))
					cl, ca := e.As(who), e.As(cash)
					for pb.Next() {
						q := apptest.Must(e.Svc.Quote(cl, "", app.QuoteRequest{Amount: "100", From: "USD", To: "VES", FromCountry: "US"}))
						t := apptest.Must(e.Svc.CreateTransfer(cl, "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: beneficiary}))
						apptest.Must(e.Svc.TakeTransfer(ca, "", t.ID))
						apptest.Must(e.Svc.CompleteTransfer(ca, "", app.Complete{ID: t.ID, Reference: "R"}))
					}
				})
				perSec := float64(b.N) / b.Elapsed().Seconds()
				b.ReportMetric(perSec, "lifecycles/s")
				b.ReportMetric(4*perSec, "steps/s")
			})
		})
	}
}
