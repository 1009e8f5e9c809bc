package app_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

func TestPanelAccess(t *testing.T) {
	roles := func(rs ...cambista.Role) cambista.RoleSet {
		var s cambista.RoleSet
		for _, r := range rs {
			s = s.With(r)
		}
		return s
	}
	for _, tc := range []struct {
		name  string
		actor cambista.Actor
		want  cambista.MessageDef // zero when allowed
	}{
		{"Unregistered", cambista.Actor{UserID: "5"}, cambista.MsgPanelNotRegistered},
		{"Client", cambista.Actor{UserID: "5", Roles: roles(cambista.RoleClient)}, cambista.MsgPanelNoRole},
		{"Agent", cambista.Actor{UserID: "5", Roles: roles(cambista.RoleClient, cambista.RoleAgent)}, cambista.MsgPanelNoRole},
		{"Cashier", cambista.Actor{UserID: "5", Roles: roles(cambista.RoleClient, cambista.RoleCashier)}, cambista.MessageDef{}},
		{"Superuser", cambista.Actor{UserID: "5", Roles: roles(cambista.RoleSuperuser)}, cambista.MessageDef{}},
		{"FrozenSuperuser", cambista.Actor{UserID: "5", Roles: roles(cambista.RoleSuperuser), Frozen: true}, cambista.MsgUserFrozen},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := app.PanelAccess(tc.actor)
			if tc.want.ID == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if cambista.ErrorCode(err) != cambista.EFORBIDDEN || cambista.ErrorMessage(err).ID != tc.want.ID {
				t.Fatalf("got %v, want %s", err, tc.want.ID)
			}
		})
	}
}

func TestPanelLogin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		expires := time.Now().Add(time.Hour)
		user, err := e.Svc.PanelBootstrap(t.Context(), "hash-1", expires)
		if err != nil || user != apptest.Boot {
			t.Fatalf("bootstrap link for %q, %v", user, err)
		}
		// The link works for its user only, and once.
		_, err = e.Svc.PanelLogin(e.As(apptest.Cashier), app.PanelLogin{SessionHash: "s0", Expires: expires, BootstrapHash: "hash-1"})
		wantCode(t, err, cambista.EFORBIDDEN)
		apptest.Must(e.Svc.PanelLogin(e.As(apptest.Boot), app.PanelLogin{SessionHash: "s1", Expires: expires, BootstrapHash: "hash-1", Method: "bootstrap"}))
		_, err = e.Svc.PanelLogin(e.As(apptest.Boot), app.PanelLogin{SessionHash: "s2", Expires: expires, BootstrapHash: "hash-1"})
		wantCode(t, err, cambista.EFORBIDDEN)
		if cambista.ErrorMessage(err).ID != cambista.MsgPanelLinkInvalid.ID {
			t.Fatalf("reused link: %v", err)
		}
		// A superuser has logged in: no more links.
		if user, err := e.Svc.PanelBootstrap(t.Context(), "hash-2", expires); err != nil || user != "" {
			t.Fatalf("second link for %q, %v", user, err)
		}
		_, err = e.Svc.PanelLogin(e.As(apptest.Client), app.PanelLogin{SessionHash: "s3", Expires: expires})
		wantCode(t, err, cambista.EFORBIDDEN)

		apptest.Must(e.Svc.PanelLogin(e.As(apptest.Cashier), app.PanelLogin{SessionHash: "s4", Expires: expires}))
		apptest.Must(e.Svc.PanelLogin(e.As(apptest.Cashier), app.PanelLogin{SessionHash: "s5", Expires: expires}))
		list := apptest.Must(e.Svc.PanelSessions(e.As(apptest.Boot), time.Now().Add(-time.Hour)))
		if len(list) != 3 {
			t.Fatalf("%d live sessions, want 3", len(list))
		}
		_, err = e.Svc.RevokePanelSessions(e.As(apptest.Cashier), apptest.Boot)
		wantCode(t, err, cambista.EFORBIDDEN)
		if n := apptest.Must(e.Svc.RevokePanelSessions(e.As(apptest.Boot), apptest.Cashier)); n != 2 {
			t.Fatalf("revoked %d sessions, want 2", n)
		}
		if got, err := e.Svc.UsePanelSession(t.Context(), "s4", time.Hour); cambista.ErrorCode(err) != cambista.ENOTFOUND {
			t.Fatalf("session after revocation: %+v, %v", got, err)
		}
		if got, err := e.Svc.UsePanelSession(t.Context(), "s1", time.Hour); err != nil || got.Lang != "es" || got.UserID != apptest.Boot {
			t.Fatalf("the superuser's session: %+v, %v", got, err)
		}
		page := apptest.Must(e.Svc.AuditLog(e.As(apptest.Boot), cambista.AuditFilter{Action: string(app.ActPanelLogin)}))
		if len(page.Events) != 3 || page.Events[2].EntityID != string(apptest.Boot) {
			t.Fatalf("login events: %+v", page.Events)
		}
		e.checkBooks()
	})
}

func TestPanelReads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		b := apptest.Must(e.Svc.OpenBatch(e.As(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))
		tr := e.Send(client, "100")
		apptest.Must(e.Svc.TakeTransfer(e.As(cashier), "", tr.ID))
		apptest.Must(e.Svc.CompleteTransfer(e.As(cashier), "", app.Complete{ID: tr.ID, Reference: "R"}))
		e.Send(client, "10")
		apptest.Must(e.Svc.RequestAccount(e.As(client), "", "USD"))

		_, err := e.Svc.Dashboard(e.As(cashier))
		wantCode(t, err, cambista.EFORBIDDEN)
		d := apptest.Must(e.Svc.Dashboard(e.As(apptest.Boot)))
		if d.Waiting.Accounts != 1 || d.Waiting.Withdrawals != 0 || d.Waiting.Transfers != 1 || len(d.OpenBatches) != 1 {
			t.Fatalf("dashboard %+v", d)
		}
		for _, l := range d.Liquidity {
			if l.Currency.Code == "USD" {
				amount(t, l.Users, "1.00 USD") // the agent's commission
				amount(t, l.Collected, "100.00 USD")
				amount(t, l.Commissions, "1.00 USD")
				amount(t, l.Earned, "0.00 USD") // no batch closed yet
			}
			if l.Currency.Code == "VES" {
				amount(t, l.InBatches, "120.00 VES") // 4,000.00 less the 3,880.00 paid out
				amount(t, l.Users, "0.00 VES")
			}
		}

		v := apptest.Must(e.Svc.DailyVolume(e.As(apptest.Boot), 14))
		usd := v.ByCurrency["USD"]
		if len(v.Days) != 14 || len(usd) != 14 || len(v.ByCurrency) != 1 {
			t.Fatalf("volume %+v", v)
		}
		amount(t, usd[13], "100.00 USD")
		amount(t, usd[12], "0.00 USD")

		// A cashier sees their own batches; a superuser everyone's.
		if got := apptest.Must(e.Svc.PanelBatches(e.As(other), cambista.BatchOpen, 10)); len(got) != 0 {
			t.Fatalf("another cashier sees %d batches", len(got))
		}
		if got := apptest.Must(e.Svc.PanelBatches(e.As(apptest.Boot), cambista.BatchOpen, 10)); len(got) != 1 || got[0].Batch.ID != b.ID {
			t.Fatalf("superuser sees %+v", got)
		}

		_, err = e.Svc.AuditLog(e.As(cashier), cambista.AuditFilter{})
		wantCode(t, err, cambista.EFORBIDDEN)
		page := apptest.Must(e.Svc.AuditLog(e.As(apptest.Boot), cambista.AuditFilter{Actor: string(cashier), EntityType: "batch", EntityID: strconv.FormatInt(int64(b.ID), 10)}))
		if len(page.Events) != 1 || page.Events[0].Action != cambista.ActOpenBatch {
			t.Fatalf("batch events %+v", page.Events)
		}
		page = apptest.Must(e.Svc.AuditLog(e.As(apptest.Boot), cambista.AuditFilter{Limit: 3}))
		older := apptest.Must(e.Svc.AuditLog(e.As(apptest.Boot), cambista.AuditFilter{Limit: 3, Before: page.Next}))
		if len(page.Events) != 3 || page.Next == 0 || older.Events[0].Seq != page.Events[2].Seq-1 {
			t.Fatalf("paging: %d events, next %d, then %d", len(page.Events), page.Next, older.Events[0].Seq)
		}
		_, err = e.Svc.AuditLog(e.As(apptest.Boot), cambista.AuditFilter{From: time.Now(), To: time.Now().Add(-time.Hour)})
		wantCode(t, err, cambista.EINVALID)

		names := apptest.Must(e.Svc.PanelUserNames(e.As(cashier), []cambista.UserID{client, client, "999"}))
		if len(names) != 1 || names[client] != "user 30" {
			t.Fatalf("names %v", names)
		}

		// Once closed, the batch holds nothing and its profit is earned.
		apptest.Must(e.Svc.CloseBatch(e.As(cashier), "", b.ID))
		for _, l := range apptest.Must(e.Svc.Dashboard(e.As(apptest.Boot))).Liquidity {
			if l.Currency.Code == "USD" {
				amount(t, l.Earned, "4.37 USD") // the worked example's net profit
			}
			if l.Currency.Code == "VES" {
				amount(t, l.InBatches, "0.00 VES")
			}
		}
	})
}
