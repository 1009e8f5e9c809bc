package main

import (
	"context"
	"time"
)

// partitionsAhead is how many months after the current one have their
// partitions of history ready: a stopped scheduler has that long before
// rows start landing in the DEFAULT partitions.
const partitionsAhead = 2

// partitionLoop prepares the monthly partitions of history on PostgreSQL
// (store.PreparePartitions) at start and then hourly, until ctx ends. It is
// idempotent, so a second scheduler running it does no harm.
func (m *Main) partitionLoop(ctx context.Context) error {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if _, err := m.Store.PreparePartitions(ctx, partitionsAhead); err != nil && ctx.Err() == nil {
			m.Log.Warn("preparing the monthly partitions failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
