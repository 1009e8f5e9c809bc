package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
)

// TestUsersPage searches users, gives and takes a role, links a client
// to an agent and freezes an account, each form with its token and key.
func TestUsersPage(t *testing.T) {
	e := sqlite(t, nil)
	acct := apptest.Must(e.Svc.RequestAccount(e.As(apptest.Client), "", "USD"))
	b := e.browser()
	b.loginDiscord(string(apptest.Boot))
	tok := b.csrf()
	n := 0
	form := func(kv ...string) url.Values {
		n++
		v := url.Values{"csrf": {tok}, "key": {"web:test-" + strconv.Itoa(n)}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	r := b.get("/users?q=" + url.QueryEscape(string(apptest.Client)))
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, `href="/users/`+string(apptest.Client)+`"`)

	page := "/users/" + string(apptest.Client)
	wantStatus(t, b.get(page), http.StatusOK)
	wantRedirect(t, b.post(page+"/roles", form("role", "cashier", "grant", "true")), page)
	if u := apptest.Must(e.Svc.User(e.As(apptest.Boot), apptest.Client)); !u.Roles.Has(cambista.RoleCashier) {
		t.Fatal("role not given")
	}
	wantRedirect(t, b.post(page+"/roles", form("role", "cashier", "grant", "false")), page)
	r = b.refused(b.post(page+"/roles", form("role", "cashier", "grant", "false")), page) // the use case's error, shown on the page
	wantBody(t, r, es(cambista.MsgRoleNotHeld.Msg("User", string(apptest.Client), "Role", "cashier")))

	wantRedirect(t, b.post(page+"/referrer", form("agent", "")), page)
	if u := apptest.Must(e.Svc.User(e.As(apptest.Boot), apptest.Client)); u.ReferrerID != "" {
		t.Fatalf("still linked to %s", u.ReferrerID)
	}
	wantRedirect(t, b.post(page+"/referrer", form("agent", string(apptest.Agent))), page)

	wantRedirect(t, b.post(page+"/profile", form("country", "VE", "type", "client", "locale", "en")), page)
	if u := apptest.Must(e.Svc.User(e.As(apptest.Boot), apptest.Client)); u.Country != "VE" || u.Locale != "en" {
		t.Fatalf("profile %+v", u)
	}

	apptest.Must(e.Svc.DecideAccount(e.As(apptest.Boot), "", app.Decision{ID: acct.ID, Approve: true}))
	freeze := "/accounts/" + strconv.FormatInt(int64(acct.ID), 10) + "/frozen"
	wantRedirect(t, b.post(freeze, form("frozen", "true", "reason", "check", "user", string(apptest.Client))), page)
	r = b.get(page)
	wantBody(t, r, "congelada")

	c := e.browser()
	c.loginDiscord(string(apptest.Cashier))
	wantStatus(t, c.get("/users"), http.StatusForbidden)
}

// TestChangeReferrer: on a client's page a superuser removes their agent
// with its own button, links them to another agent, and is refused, with
// the reason on the page and nothing changed, a user who is not an agent
// and a form without its token; each change is one audit event by the
// superuser, with the agent before and after.
func TestChangeReferrer(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		apptest.Must(e.Svc.AssignRole(e.As(apptest.Boot), "", app.RoleChange{UserID: apptest.Other, Role: cambista.RoleAgent}))
		b := e.browser()
		b.loginDiscord(string(apptest.Boot))
		page := "/users/" + string(apptest.Client)
		r := b.get(page)
		wantBody(t, r, `id="unlink-form"`, "Quitar el agente")
		tok := b.csrf()
		referrer := func() cambista.UserID {
			return apptest.Must(e.Svc.User(e.As(apptest.Boot), apptest.Client)).ReferrerID
		}
		changes := func() []*cambista.AuditEvent {
			p := apptest.Must(e.Svc.AuditLog(e.As(apptest.Boot), cambista.AuditFilter{EntityType: "user", EntityID: string(apptest.Client)}))
			return p.Events
		}
		before := len(changes())

		wantRedirect(t, b.post(page+"/referrer", url.Values{"csrf": {tok}, "key": {"web:ref-1"}, "agent": {""}}), page)
		if got := referrer(); got != "" {
			t.Fatalf("still linked to %s", got)
		}
		if r = b.get(page); strings.Contains(r.body, `id="unlink-form"`) {
			t.Fatal("a client with no agent is offered to remove it")
		}
		wantRedirect(t, b.post(page+"/referrer", url.Values{"csrf": {tok}, "key": {"web:ref-2"}, "agent": {" " + string(apptest.Other) + " "}}), page)
		if got := referrer(); got != apptest.Other {
			t.Fatalf("linked to %q, want %s", got, apptest.Other)
		}
		r = b.refused(b.post(page+"/referrer", url.Values{"csrf": {tok}, "key": {"web:ref-3"}, "agent": {string(apptest.Cashier)}}), page)
		wantBody(t, r, es(cambista.MsgNotAgent.Msg("User", "user "+string(apptest.Cashier))))
		wantStatus(t, b.post(page+"/referrer", url.Values{"key": {"web:ref-4"}, "agent": {""}}), http.StatusForbidden)
		if got := referrer(); got != apptest.Other {
			t.Fatalf("a refused form changed the agent to %q", got)
		}

		events := changes()
		if len(events) != before+2 {
			t.Fatalf("%d audit events of the client, want %d", len(events), before+2)
		}
		last := events[0] // newest first
		if last.Actor != string(apptest.Boot) || !strings.Contains(string(last.Before), `"ReferrerID":""`) || !strings.Contains(string(last.After), `"ReferrerID":"`+string(apptest.Other)+`"`) {
			t.Fatalf("audit event %+v\n%s\n%s", last, last.Before, last.After)
		}
	})
}
