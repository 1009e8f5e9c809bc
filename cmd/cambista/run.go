package main

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/sync/errgroup"
)

// part is a piece of the running program, started by Run and stopped by
// it in its turn.
type part struct {
	name string
	// run, if set, works until its context is cancelled, which Run does
	// once stop has returned. An error stops the whole program.
	run func(ctx context.Context) error
	// stop, if set, makes the part take no new work and waits for the work
	// it has in flight, cutting it short when ctx ends.
	stop func(ctx context.Context) error
}

// Run runs the parts in one errgroup until ctx ends (SIGINT or SIGTERM)
// or a part fails. Then it stops them one by one in the order given, each
// once the one before has finished its work in flight, all within
// CAMBISTA_SHUTDOWN_TIMEOUT: list first what accepts requests, then what
// serves them, then the background workers, then what flushes what they
// leave. It returns when every part has stopped, with the error of the part
// that failed, or else those of the parts that did not stop cleanly.
func (m *Main) Run(ctx context.Context, parts ...part) error {
	g, gctx := errgroup.WithContext(ctx)
	type running struct {
		cancel context.CancelFunc
		done   chan struct{}
	}
	runs := make([]*running, len(parts))
	for i, p := range parts {
		if p.run == nil {
			continue
		}
		// Not the signal's: the part must not stop before its turn.
		pctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		r := &running{cancel: cancel, done: make(chan struct{})}
		runs[i] = r
		g.Go(func() error {
			defer close(r.done)
			if err := p.run(pctx); err != nil {
				return fmt.Errorf("%s: %w", p.name, err)
			}
			return nil
		})
	}
	g.Go(func() error {
		<-gctx.Done()
		m.Log.Info("shutting down")
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), m.Config.ShutdownTimeout)
		defer cancel()
		var errs []error
		for i, p := range parts {
			m.Log.Debug("stopping", "part", p.name)
			if p.stop != nil {
				if err := p.stop(sctx); err != nil {
					errs = append(errs, fmt.Errorf("stop %s: %w", p.name, err))
				}
			}
			if r := runs[i]; r != nil {
				r.cancel()
				<-r.done
			}
		}
		return errors.Join(errs...)
	})
	return g.Wait()
}
