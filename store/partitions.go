package store

import (
	"context"
	"fmt"
	"time"

	"github.com/cambista/cambista"
)

// partitioned are the tables of history that PostgreSQL partitions by month
// (migration 00018).
var partitioned = []string{"postings", "audit_events"}

// PreparePartitions makes sure that, on PostgreSQL, every table of history
// has a partition for the current month and each of the ahead months after
// it, so that rows land in their month's partition rather than the DEFAULT
// one; it returns the partitions' names. It is idempotent: a partition that
// exists is left as it is, and two processes may run it at once. Rows that
// reached the DEFAULT partition before their month's partition existed move
// into it. On SQLite, which has no partitions, it does nothing.
func (s *Store) PreparePartitions(ctx context.Context, ahead int) ([]string, error) {
	if s.dialect != postgresDialect {
		return nil, nil
	}
	now := s.opts.Now().UTC()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	var names []string
	for i := 0; i <= ahead; i++ {
		at := cambista.Micros(month.AddDate(0, i, 0))
		for _, table := range partitioned {
			// One short transaction each, so that the lock that attaching
			// a partition takes on its table is held only that long.
			var name string
			if err := s.db.QueryRowContext(ctx, `SELECT cambista_month_partition($1, $2)`, table, at).Scan(&name); err != nil {
				return names, fmt.Errorf("prepare the partition of %s for %s: %w", table, month.AddDate(0, i, 0).Format("2006-01"), err)
			}
			names = append(names, name)
		}
	}
	return names, nil
}
