package jobs_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/jobs"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestShutdown: Shutdown during a delivery lets it finish and be recorded,
// so the card is posted once and its row is delivered; when Shutdown's
// context ends first, the delivery is cancelled, its row left for a later
// worker, and Run returns.
func TestShutdown(t *testing.T) {
	// start runs a worker whose delivery of a card is held by the fake.
	start := func(t *testing.T) (e *env, release func(), ran chan struct{}) {
		e = newEnv(t, storetest.Open(t, "sqlite", store.Options{}), jobs.Config{})
		e.drain(5, time.Second)
		e.send(client, "100")
		release = e.dc.Hold("POST", "/channels/"+cashierChannel+"/")
		w := jobs.New(e.svc, e.dg, jobs.Config{GuildID: discordtest.GuildID, PollInterval: time.Hour}, nil, nil)
		e.w = w
		ran = make(chan struct{})
		go func() {
			w.Run(cambista.WithActor(t.Context(), cambista.SystemActor))
			close(ran)
		}()
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		if err := e.dc.Wait(ctx, func() bool { return e.dc.Held() == 1 }); err != nil {
			t.Fatalf("no delivery in flight: %v", err)
		}
		return e, release, ran
	}

	t.Run("FinishesTheDelivery", func(t *testing.T) {
		e, release, ran := start(t)
		stopped := make(chan error, 1)
		go func() { stopped <- e.w.Shutdown(t.Context()) }()
		release()
		if err := <-stopped; err != nil {
			t.Fatalf("Shutdown: %v", err)
		}
		<-ran
		if n := e.pending(); n != 0 {
			t.Fatalf("%d rows undelivered after Shutdown", n)
		}
		if n := len(e.dc.Messages(cashierChannel)); n != 1 {
			t.Fatalf("%d cards posted, want 1", n)
		}
	})

	t.Run("CancelsWhenTimeIsUp", func(t *testing.T) {
		e, _, ran := start(t)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if err := e.w.Shutdown(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("Shutdown with its time up: %v, want context.Canceled", err)
		}
		<-ran
		if n := e.pending(); n != 1 {
			t.Fatalf("%d rows undelivered, want the cancelled one", n)
		}
	})
}
