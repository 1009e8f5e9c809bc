package storetest

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/cambista/cambista/store"
)

// BenchRawCommits measures the database's raw single-row commit rate: one
// INSERT in its own transaction, through the store's pool, with the same
// parallelism as the benchmark that calls it. Other benchmarks report
// their rates beside it, so figures from noisy shared machines compare as
// ratios measured in the same run.
func BenchRawCommits(b *testing.B, s *store.Store) {
	ctx := context.Background()
	db := s.DB()
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS bench_raw (id BIGINT PRIMARY KEY, v BIGINT NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	// The body runs again for each b.N: carry on after the rows written.
	var id atomic.Int64
	var last int64
	if err := db.QueryRow(`SELECT COALESCE(MAX(id), 0) FROM bench_raw`).Scan(&last); err != nil {
		b.Fatal(err)
	}
	id.Store(last)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				b.Error(err)
				return
			}
			if _, err := tx.Exec(`INSERT INTO bench_raw (id, v) VALUES ($1, $2)`, id.Add(1), 1); err != nil {
				tx.Rollback()
				b.Error(err)
				return
			}
			if err := tx.Commit(); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
}
