package web_test

import (
	"net/http"
	"net/url"
	"strconv"
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
