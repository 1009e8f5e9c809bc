package jobs

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/cambista/cambista"
)

// lease keeps a claim's rows held while a pass delivers them: every third
// of the lease it renews them, and it cuts short the delivery of a row the
// claim no longer holds (the worker stalled past its lease, and another
// claimed the row), so that two workers do not deliver it at once.
type lease struct {
	mu   sync.Mutex
	held []cambista.ID // sorted
	// cur cancels each delivery in flight; cut holds the rows whose
	// delivery was cut short.
	cur map[cambista.ID]context.CancelFunc
	cut map[cambista.ID]bool
	ctx context.Context

	quit chan struct{}
	done chan struct{}
}

// keep starts renewing the claim of rows, until stop.
func (w *Worker) keep(ctx context.Context, rows []*cambista.OutboxMessage) *lease {
	l := &lease{ctx: ctx, cur: map[cambista.ID]context.CancelFunc{}, cut: map[cambista.ID]bool{}, quit: make(chan struct{}), done: make(chan struct{})}
	for _, m := range rows {
		l.held = append(l.held, m.ID)
	}
	slices.Sort(l.held)
	claim := rows[0].Claim
	go func() {
		defer close(l.done)
		t := time.NewTicker(w.cfg.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-l.quit:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			held, err := w.app.RenewOutbox(ctx, claim, w.cfg.Now().Add(w.cfg.Lease))
			if err != nil {
				// The lease may still hold; if not, the row is cut short
				// once a renewal says so.
				w.log.Warn("renewing the outbox lease failed", "err", err)
				continue
			}
			l.renewed(held)
		}
	}()
	return l
}

// renewed records the rows the claim still holds, and cuts short the
// deliveries in flight whose row is not one of them.
func (l *lease) renewed(held []cambista.ID) {
	l.mu.Lock()
	defer l.mu.Unlock()
	// Rows marked since are not held, and not wanted either.
	l.held = slices.DeleteFunc(l.held, func(id cambista.ID) bool {
		_, ok := slices.BinarySearch(held, id)
		return !ok && l.cur[id] == nil
	})
	for id, cancel := range l.cur {
		if _, ok := slices.BinarySearch(held, id); !ok {
			l.cut[id] = true
			cancel()
		}
	}
}

// start returns the context to deliver the row in, or false if the claim
// lost it.
func (l *lease) start(id cambista.ID) (context.Context, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := slices.BinarySearch(l.held, id); !ok {
		return nil, false
	}
	ctx, cancel := context.WithCancel(l.ctx)
	l.cur[id] = cancel
	return ctx, true
}

// end ends the row's delivery.
func (l *lease) end(id cambista.ID) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cur[id]()
	delete(l.cur, id)
	l.held = slices.DeleteFunc(l.held, func(x cambista.ID) bool { return x == id })
}

// lost reports whether the claim lost the row during its delivery.
func (l *lease) lost(id cambista.ID) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cut[id]
}

func (l *lease) stop() {
	close(l.quit)
	<-l.done
}
