package main

import (
	"context"
	"time"
)

// partitionsAhead is how many months after the current one have their
// partitions of history ready: a stopped scheduler has that long before
// rows start landing in the DEFAULT partitions.
const partitionsAhead = 2

// preparePartitions prepares the monthly partitions of history on
// PostgreSQL (store.PreparePartitions). A failure is logged: rows then land
// in the DEFAULT partitions, and a later round moves them.
func (m *Main) preparePartitions(ctx context.Context) {
	if _, err := m.Store.PreparePartitions(ctx, partitionsAhead); err != nil && ctx.Err() == nil {
		m.Log.Warn("preparing the monthly partitions failed", "err", err)
	}
}

// partitionLoop prepares the partitions hourly in the scheduler, until ctx
// ends; serve prepares them once before it starts serving. It is
// idempotent, so a second process running it meanwhile does no harm.
func (m *Main) partitionLoop(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			m.preparePartitions(ctx)
		}
	}
}
