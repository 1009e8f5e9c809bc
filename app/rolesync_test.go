package app_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestRoleSyncStartsAgain: a role change of the app made and delivered
// while a sync from Discord was reading the member is not undone. The
// sync finds the user's version moved, and reads the member again.
func TestRoleSyncStartsAgain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := apptest.New(t, s, app.Config{})
		boot := e.As(apptest.Boot)
		apptest.Must(e.Svc.ConfigureRole(boot, "", app.RoleSetting{Role: cambista.RoleCashier, DiscordRoleID: "61"}))
		apptest.Must(e.Svc.ConfigureRole(boot, "", app.RoleSetting{Role: cambista.RoleAgent, DiscordRoleID: "62"}))
		e.User(apptest.Client, cambista.RoleCashier)
		deliverAll(t, e)
		inDiscord := []string{"61"}
		reads := 0
		current := func(context.Context) ([]string, error) {
			reads++
			read := slices.Clone(inDiscord)
			if reads == 1 {
				// Once Discord has answered, the app gives the agent
				// role and the worker delivers it.
				apptest.Must(e.Svc.AssignRole(boot, "", app.RoleChange{UserID: apptest.Client, Role: cambista.RoleAgent}))
				deliverAll(t, e)
				inDiscord = append(inDiscord, "62")
			}
			return read, nil
		}
		// An update that disagrees with the app, so the member is read.
		_, changed, err := e.Svc.SyncRolesFromDiscord(context.Background(), apptest.Client, nil, current)
		if err != nil {
			t.Fatal(err)
		}
		a := apptest.Must(e.Svc.Actor(context.Background(), apptest.Client, ""))
		if changed || !a.Roles.Has(cambista.RoleAgent) || !a.Roles.Has(cambista.RoleCashier) {
			t.Fatalf("changed %v, roles %v; want the cashier and agent roles unchanged", changed, a.Roles.List())
		}
		if reads != 2 {
			t.Fatalf("%d reads of the member, want 2", reads)
		}
	})
}

// deliverAll marks every outbox message delivered, as the worker would
// once Discord took it.
func deliverAll(t *testing.T, e *apptest.Env) {
	t.Helper()
	ctx := cambista.WithActor(context.Background(), cambista.SystemActor)
	msgs := apptest.Must(e.Svc.ClaimOutbox(ctx, time.Now(), 100, time.Minute))
	for _, m := range msgs {
		if err := e.Svc.MarkDelivered(ctx, m.ID, m.Claim); err != nil {
			t.Fatal(err)
		}
	}
}
