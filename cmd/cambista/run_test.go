package main

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestRunStopsInOrder: when the signal comes or a part fails, Run stops
// every part in the order given, each after the one before has returned,
// and returns the failure.
func TestRunStopsInOrder(t *testing.T) {
	errFailed, errStop := errors.New("failed"), errors.New("could not stop")
	for _, c := range []struct {
		name string
		fail bool // the third part's run fails, instead of a signal
		want error
	}{
		{"Signal", false, errStop},
		{"PartFails", true, errFailed},
	} {
		t.Run(c.name, func(t *testing.T) {
			var mu sync.Mutex
			var got []string
			record := func(s string) {
				mu.Lock()
				defer mu.Unlock()
				got = append(got, s)
			}
			stop := func(name string, err error) func(context.Context) error {
				return func(context.Context) error {
					record("stop " + name)
					return err
				}
			}
			ctx, signal := context.WithCancel(t.Context())
			defer signal()
			third := part{name: "third", run: func(ctx context.Context) error {
				<-ctx.Done()
				record("third returned")
				return nil
			}}
			if c.fail {
				third.run = func(context.Context) error { return errFailed }
			}
			parts := []part{
				{name: "first", stop: stop("first", nil)},
				{name: "second", stop: stop("second", errStop), run: func(ctx context.Context) error {
					<-ctx.Done()
					record("second returned")
					return nil
				}},
				third,
				{name: "fourth", stop: stop("fourth", nil)},
			}
			m := &Main{Config: &Config{ShutdownTimeout: time.Second}, Log: slog.New(slog.DiscardHandler)}
			done := make(chan error, 1)
			go func() { done <- m.Run(ctx, parts...) }()
			if !c.fail {
				signal()
			}
			if err := <-done; !errors.Is(err, c.want) {
				t.Fatalf("Run: %v, want %v", err, c.want)
			}
			want := []string{"stop first", "stop second", "second returned", "stop fourth"}
			if !c.fail {
				want = slices.Insert(want, 3, "third returned")
			}
			if !slices.Equal(got, want) {
				t.Fatalf("stopped %q, want %q", got, want)
			}
		})
	}
}
