package app_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestDeliveryIsTheSystems: only the system works the outbox queue; a
// person is refused whatever their roles, and so is another actor of the
// process.
func TestDeliveryIsTheSystems(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		e.Send(apptest.Client, "100")
		now := time.Now()
		steps := map[string]func(ctx context.Context) error{
			"ClaimOutbox": func(ctx context.Context) error {
				_, err := e.Svc.ClaimOutbox(ctx, now, 10, time.Minute)
				return err
			},
			"ClaimDiscordOutbox": func(ctx context.Context) error {
				_, _, err := e.Svc.ClaimDiscordOutbox(ctx, now, 10, time.Minute)
				return err
			},
			"OutboxAfter": func(ctx context.Context) error {
				_, err := e.Svc.OutboxAfter(ctx, "transfer:1", 0)
				return err
			},
			"OldestUndelivered": func(ctx context.Context) error {
				_, err := e.Svc.OldestUndelivered(ctx)
				return err
			},
			"MessageRef": func(ctx context.Context) error {
				_, err := e.Svc.MessageRef(ctx, "transfer", 1, "100")
				return err
			},
			"SaveMessageRef": func(ctx context.Context) error {
				return e.Svc.SaveMessageRef(ctx, "transfer", 1, "100", "m1")
			},
			"MessageRefs": func(ctx context.Context) error {
				_, err := e.Svc.MessageRefs(ctx, "transfer", []cambista.ID{1}, "100")
				return err
			},
			"MessageShows": func(ctx context.Context) error {
				_, err := e.Svc.MessageShows(ctx, "transfer", "100", "m1")
				return err
			},
			"PlaygroundItems": func(ctx context.Context) error {
				_, err := e.Svc.PlaygroundItems(ctx)
				return err
			},
			"SavePlayground": func(ctx context.Context) error {
				return e.Svc.SavePlayground(ctx, map[string]string{"k": "v"}, false)
			},
			"PlaygroundPeople": func(ctx context.Context) error {
				_, err := e.Svc.PlaygroundPeople(ctx)
				return err
			},
		}
		for name, step := range steps {
			t.Run(name, func(t *testing.T) {
				for _, ctx := range []context.Context{
					e.As(apptest.Boot), context.Background(),
					cambista.WithActor(context.Background(), cambista.Actor{UserID: "discord", System: true, Roles: cambista.SystemActor.Roles}),
				} {
					wantCode(t, step(ctx), cambista.EFORBIDDEN)
				}
				if err := step(cambista.WithActor(context.Background(), cambista.SystemActor)); err != nil {
					t.Fatal(err)
				}
			})
		}
	})
}

// TestClaimDiscordOutbox: the worker's claim reads the Discord settings it
// delivers with in the same transaction, and reads them as DiscordConfig
// does.
func TestClaimDiscordOutbox(t *testing.T) {
	eachTimed(t, func(t *testing.T, e *timed) {
		apptest.Must(e.Svc.ConfigureChannel(e.As(apptest.Boot), "", app.ChannelSetting{Kind: app.ChannelCashier, ChannelID: "100"}))
		e.Send(apptest.Client, "100")
		sys := cambista.WithActor(context.Background(), cambista.SystemActor)
		now := e.clock.Now()
		var claimed []*cambista.OutboxMessage
		var cfg *app.DiscordConfig
		reads, writes := e.costs(func() {
			var err error
			claimed, cfg, err = e.Svc.ClaimDiscordOutbox(sys, now, 10, time.Minute, app.KindNotice)
			if err != nil {
				t.Fatal(err)
			}
		})
		if len(claimed) == 0 || reads != 0 || writes != 1 {
			t.Fatalf("claimed %d messages in %d reads and %d writes; want the transfer's notices in one write", len(claimed), reads, writes)
		}
		if want := apptest.Must(e.Svc.DiscordConfig(sys)); !reflect.DeepEqual(cfg, want) || len(cfg.Channels) == 0 {
			t.Fatalf("settings read with the claim %+v, want %+v", cfg, want)
		}
		again, cfg, err := e.Svc.ClaimDiscordOutbox(sys, now, 10, time.Minute, app.KindNotice)
		if err != nil || len(again) != 0 || cfg != nil {
			t.Fatalf("claimed %d leased messages again, settings %+v, %v; want none", len(again), cfg, err)
		}
	})
}

// TestDeliverySteps: a message is claimed once per lease, and each claim or
// mark is one transaction, as the worker's steps were before they went
// through the use cases.
func TestDeliverySteps(t *testing.T) {
	eachTimed(t, func(t *testing.T, e *timed) {
		tr := e.Send(apptest.Client, "100")
		sys := cambista.WithActor(context.Background(), cambista.SystemActor)
		now := e.clock.Now()
		var claimed []*cambista.OutboxMessage
		reads, writes := e.costs(func() { claimed = apptest.Must(e.Svc.ClaimOutbox(sys, now, 10, time.Minute, app.KindNotice)) })
		if len(claimed) == 0 || reads != 0 || writes != 1 {
			t.Fatalf("claimed %d messages in %d reads and %d writes; want the transfer's notices in one write", len(claimed), reads, writes)
		}
		if again := apptest.Must(e.Svc.ClaimOutbox(sys, now, 10, time.Minute, app.KindNotice)); len(again) != 0 {
			t.Fatalf("claimed %d leased messages again", len(again))
		}
		m := claimed[0]
		steps := []struct {
			name string
			run  func(claim string) error
		}{
			{"SaveOutboxProgress", func(c string) error { return e.Svc.SaveOutboxProgress(sys, m.ID, c, "channel", "") }},
			{"SaveMessageRef", func(string) error { return e.Svc.SaveMessageRef(sys, "transfer", tr.ID, "100", "m1") }},
			{"MarkRetry", func(c string) error { return e.Svc.MarkRetry(sys, m.ID, c, 1, "HTTP 502", now) }},
			{"MarkGivenUp", func(c string) error { return e.Svc.MarkGivenUp(sys, m.ID, c, "HTTP 403") }},
		}
		claim := m.Claim
		for _, step := range steps {
			if step.name == "MarkGivenUp" { // the retry ended the claim: claim the row again
				claim = apptest.Must(e.Svc.ClaimOutbox(sys, now, 10, time.Minute, app.KindNotice))[0].Claim
			}
			var err error
			if reads, writes := e.costs(func() { err = step.run(claim) }); err != nil || reads != 0 || writes != 1 {
				t.Errorf("%s: %v in %d reads and %d writes, want one write", step.name, err, reads, writes)
			}
		}
		if err := e.Svc.MarkDelivered(sys, m.ID, m.Claim); !errors.Is(err, cambista.ErrClaimLost) {
			t.Fatalf("the first claim marked the row after it was claimed again: %v, want ErrClaimLost", err)
		}
		wantCode(t, e.Svc.MarkDelivered(sys, 999999, "x"), cambista.ENOTFOUND)
	})
}
