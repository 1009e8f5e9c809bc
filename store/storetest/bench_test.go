package storetest_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/money"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// BenchmarkCommits measures, on each database and in the same run, the raw
// rate of single-row commits (one INSERT in its own transaction, through
// the same pool) and the rate of ledger entries committed through the
// store: a user-to-user payment with its balance checks, cached balances
// and an audit event. Compare their commits/s.
//
//	go test -run '^$' -bench Commits -benchtime 3s ./store/storetest/
func BenchmarkCommits(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(d, func(b *testing.B) {
			s := storetest.Open(b, d, store.Options{})
			ctx := context.Background()
			const users = 64
			err := s.WithTx(ctx, func(tx app.Tx) error {
				for u := range users {
					e := ledger.New(cambista.TransferEntry(0), "bench", 0).Move(ledger.World("USD"), benchUser(u), money.New(1e12, usd))
					entry, err := e.Entry()
					if err != nil {
						return err
					}
					if err := tx.Post(ctx, entry); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			b.Run("raw-commit", func(b *testing.B) { storetest.BenchRawCommits(b, s) })
			b.Run("ledger-entry", func(b *testing.B) {
				var n atomic.Int64
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						i := int(n.Add(1))
						e := ledger.New(cambista.TransferEntry(cambista.ID(i)), "bench", cambista.ID(i)).
							Move(benchUser(i%users), benchUser((i+1)%users), money.New(100, usd)).
							Move(benchUser(i%users), ledger.House(ledger.HouseRevenue, "USD"), money.New(3, usd))
						entry, err := e.Entry()
						if err != nil {
							b.Error(err)
							return
						}
						err = s.WithTx(ctx, func(tx app.Tx) error {
							if err := tx.Post(ctx, entry); err != nil {
								return err
							}
							tx.Audit(&cambista.AuditEvent{Actor: "bench", Action: "bench.pay", EntityType: "entry", EntityID: fmt.Sprint(i)})
							return nil
						})
						if err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
			})
		})
	}
}

func benchUser(i int) cambista.LedgerAccount {
	return ledger.User(cambista.UserID(fmt.Sprint(1000+i)), "USD")
}
