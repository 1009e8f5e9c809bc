package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// timed is the worked example's business on a store whose clock the test
// moves and whose transactions are counted.
type timed struct {
	*env
	clock *storetest.Clock
	reg   *prometheus.Registry
}

// eachTimed runs fn against every database available, as
// storetest.EachOnClock.
func eachTimed(t *testing.T, fn func(t *testing.T, e *timed)) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			e := &timed{clock: storetest.NewClock(time.Now().UTC().Truncate(time.Microsecond)), reg: prometheus.NewRegistry()}
			e.env = business(t, storetest.Open(t, d, store.Options{Now: e.clock.Now, Metrics: store.NewMetrics(e.reg), CheckPrefetch: true}))
			fn(t, e)
		})
	}
}

// transactions counts the store's transactions of a kind ("read" or
// "write") so far.
func (e *timed) transactions(kind string) uint64 {
	e.T.Helper()
	families, err := e.reg.Gather()
	if err != nil {
		e.T.Fatal(err)
	}
	var n uint64
	for _, f := range families {
		if f.GetName() != "cambista_db_tx_duration_seconds" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "kind" && l.GetValue() == kind {
					n += m.GetHistogram().GetSampleCount()
				}
			}
		}
	}
	return n
}

// costs runs fn and returns how many read and write transactions it ran.
func (e *timed) costs(fn func()) (reads, writes uint64) {
	r, w := e.transactions("read"), e.transactions("write")
	fn()
	return e.transactions("read") - r, e.transactions("write") - w
}

// login opens a panel session for the user, ending in three hours.
func (e *timed) login(user cambista.UserID, hash string) {
	e.T.Helper()
	apptest.Must(e.Svc.PanelLogin(e.As(user), app.PanelLogin{SessionHash: hash, Expires: e.clock.Now().Add(3 * time.Hour)}))
}

func wantLoggedOut(t *testing.T, ps *app.PanelSession, err error) {
	t.Helper()
	if cambista.ErrorCode(err) != cambista.ENOTFOUND || ps != nil {
		t.Fatalf("got %+v, %v; want no live session", ps, err)
	}
}

// TestUsePanelSession: a session is live until idle, expired or revoked;
// its use is noted at most once a minute, quietly, one read per request
// and a write only for the note.
func TestUsePanelSession(t *testing.T) {
	eachTimed(t, func(t *testing.T, e *timed) {
		ctx := context.Background()
		const idle = time.Hour
		e.login(apptest.Cashier, "s1")
		start := e.clock.Now()
		events := e.auditCount()

		use := func() *app.PanelSession {
			t.Helper()
			return apptest.Must(e.Svc.UsePanelSession(ctx, "s1", idle))
		}
		var ps *app.PanelSession
		reads, writes := e.costs(func() { ps = use() })
		if ps.UserID != apptest.Cashier || ps.Lang != "es" || !ps.LastSeenAt.Equal(start) || reads != 1 || writes != 0 {
			t.Fatalf("fresh session %+v in %d reads and %d writes; want the cashier's, seen at %v, in one read", ps, reads, writes, start)
		}

		e.clock.Add(30 * time.Second)
		use()
		if ps := use(); !ps.LastSeenAt.Equal(start) {
			t.Fatalf("used within a minute: last seen %v, want it left at %v", ps.LastSeenAt, start)
		}
		e.clock.Add(31 * time.Second)
		reads, writes = e.costs(func() { use() })
		if ps := use(); !ps.LastSeenAt.Equal(e.clock.Now()) || reads != 1 || writes != 1 {
			t.Fatalf("used after a minute: last seen %v in %d reads and %d writes; want %v, in one read and one write", ps.LastSeenAt, reads, writes, e.clock.Now())
		}
		if n := e.auditCount(); n != events {
			t.Fatalf("%d audit events after using the session, want %d: its use is not audited", n, events)
		}

		e.clock.Add(idle)
		ps, err := e.Svc.UsePanelSession(ctx, "s1", idle)
		wantLoggedOut(t, ps, err)

		e.login(apptest.Cashier, "s2")
		for range 4 { // used every 50 minutes, it outlives the idle limit, not its three hours
			e.clock.Add(50 * time.Minute)
			ps, err = e.Svc.UsePanelSession(ctx, "s2", idle)
		}
		wantLoggedOut(t, ps, err)

		_, err = e.Svc.UsePanelSession(ctx, "unknown", idle)
		wantCode(t, err, cambista.ENOTFOUND)
	})
}

// TestPanelLogout: logging out ends the session, audited as panel.logout
// once; ending it again changes nothing.
func TestPanelLogout(t *testing.T) {
	eachTimed(t, func(t *testing.T, e *timed) {
		ctx := context.Background()
		e.login(apptest.Cashier, "s1")
		events := e.auditCount()
		for range 2 {
			if err := e.Svc.PanelLogout(e.As(apptest.Cashier), "s1"); err != nil {
				t.Fatal(err)
			}
		}
		ps, err := e.Svc.UsePanelSession(ctx, "s1", time.Hour)
		wantLoggedOut(t, ps, err)
		page := apptest.Must(e.Svc.AuditLog(e.As(apptest.Boot), cambista.AuditFilter{Action: string(app.ActPanelLogout)}))
		if n := e.auditCount(); n != events+1 || len(page.Events) != 1 ||
			page.Events[0].EntityID != string(apptest.Cashier) || page.Events[0].Actor != string(apptest.Cashier) {
			t.Fatalf("%d audit events (was %d); logout events %+v", n, events, page.Events)
		}
	})
}

// TestSetPanelLang: the switch shows the session in the language and makes
// it the user's, without an audit event; it works on the actor's own
// session only.
func TestSetPanelLang(t *testing.T) {
	eachTimed(t, func(t *testing.T, e *timed) {
		ctx := context.Background()
		e.login(apptest.Cashier, "s1")
		e.login(apptest.Other, "s2")
		events := e.auditCount()
		cashier := e.As(apptest.Cashier)
		var err error
		reads, writes := e.costs(func() { err = e.Svc.SetPanelLang(cashier, "s1", "en") })
		if err != nil || reads != 0 || writes != 1 {
			t.Fatalf("switch: %v, in %d reads and %d writes; want one write", err, reads, writes)
		}
		ps := apptest.Must(e.Svc.UsePanelSession(ctx, "s1", time.Hour))
		u := apptest.Must(e.Svc.User(e.As(apptest.Cashier), apptest.Cashier))
		if ps.Lang != "en" || u.Locale != "en" {
			t.Fatalf("session language %q, user's %q; want en for both", ps.Lang, u.Locale)
		}
		if n := e.auditCount(); n != events {
			t.Fatalf("%d audit events after the switch, want %d", n, events)
		}

		wantCode(t, e.Svc.SetPanelLang(cashier, "s1", "fr"), cambista.EINVALID)
		wantCode(t, e.Svc.SetPanelLang(e.As("999"), "s1", "es"), cambista.EFORBIDDEN)
		wantCode(t, e.Svc.SetPanelLang(cashier, "s2", "en"), cambista.ENOTFOUND)
		if ps := apptest.Must(e.Svc.UsePanelSession(ctx, "s2", time.Hour)); ps.Lang != "es" {
			t.Fatalf("another user's session switched to %q", ps.Lang)
		}
	})
}

// TestBootstrapLinkUser: a live link names its user; a spent or unknown
// one is refused with the message that says why it may not work.
func TestBootstrapLinkUser(t *testing.T) {
	eachTimed(t, func(t *testing.T, e *timed) {
		ctx := context.Background()
		expires := e.clock.Now().Add(time.Hour)
		apptest.Must(e.Svc.PanelBootstrap(ctx, "t1", expires))
		if user := apptest.Must(e.Svc.BootstrapLinkUser(ctx, "t1")); user != apptest.Boot {
			t.Fatalf("link for %q, want %q", user, apptest.Boot)
		}
		apptest.Must(e.Svc.PanelLogin(e.As(apptest.Boot), app.PanelLogin{SessionHash: "s1", Expires: expires, BootstrapHash: "t1"}))
		for _, token := range []string{"t1", "unknown"} {
			_, err := e.Svc.BootstrapLinkUser(ctx, token)
			if cambista.ErrorCode(err) != cambista.EFORBIDDEN || cambista.ErrorMessage(err).ID != cambista.MsgPanelLinkInvalid.ID {
				t.Fatalf("link %q: %v, want %s", token, err, cambista.MsgPanelLinkInvalid.ID)
			}
		}
	})
}

// TestPanelLoginReplaces: logging in from a browser that held a session
// ends that session.
func TestPanelLoginReplaces(t *testing.T) {
	eachTimed(t, func(t *testing.T, e *timed) {
		ctx := context.Background()
		e.login(apptest.Other, "s1")
		apptest.Must(e.Svc.PanelLogin(e.As(apptest.Cashier), app.PanelLogin{SessionHash: "s2", Expires: e.clock.Now().Add(time.Hour), Replaces: "s1"}))
		ps, err := e.Svc.UsePanelSession(ctx, "s1", time.Hour)
		wantLoggedOut(t, ps, err)
		if ps := apptest.Must(e.Svc.UsePanelSession(ctx, "s2", time.Hour)); ps.UserID != apptest.Cashier {
			t.Fatalf("new session %+v", ps)
		}
	})
}

// TestBootstrapLinkDiesAtSuperuserLogin: an unused bootstrap link stops
// working once a superuser has logged in to the panel some other way.
func TestBootstrapLinkDiesAtSuperuserLogin(t *testing.T) {
	eachTimed(t, func(t *testing.T, e *timed) {
		ctx := context.Background()
		expires := e.clock.Now().Add(time.Hour)
		apptest.Must(e.Svc.PanelBootstrap(ctx, "t1", expires))
		apptest.Must(e.Svc.PanelLogin(e.As(apptest.Boot), app.PanelLogin{SessionHash: "s1", Expires: expires, Method: "discord"}))
		_, err := e.Svc.BootstrapLinkUser(ctx, "t1")
		if cambista.ErrorCode(err) != cambista.EFORBIDDEN || cambista.ErrorMessage(err).ID != cambista.MsgPanelLinkInvalid.ID {
			t.Fatalf("the link after a Discord login: %v, want %s", err, cambista.MsgPanelLinkInvalid.ID)
		}
		_, err = e.Svc.PanelLogin(e.As(apptest.Boot), app.PanelLogin{SessionHash: "s2", Expires: expires, BootstrapHash: "t1"})
		if cambista.ErrorCode(err) != cambista.EFORBIDDEN {
			t.Fatalf("logging in with the link after a Discord login: %v, want forbidden", err)
		}
	})
}
