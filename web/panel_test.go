package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
	"github.com/cambista/cambista/web"
	"github.com/shopspring/decimal"
)

// es renders a message as a Spanish reader sees it in a page.
func es(m cambista.Message) string { return html.EscapeString(i18n.T(i18n.ES, m)) }

func TestUnauthenticatedGoesToLogin(t *testing.T) {
	e := sqlite(t, nil)
	b := e.browser()
	wantRedirect(t, b.get("/approvals"), "/login?next=%2Fapprovals")
	wantRedirect(t, b.get("/"), "/login")
	wantRedirect(t, b.get("/batches/1"), "/login?next=%2Fbatches%2F1")
	wantRedirect(t, b.post("/rates", url.Values{"base": {"USD"}}), "/login")
	// htmx is told to load the login page whole.
	req, _ := http.NewRequest(http.MethodGet, e.url+"/audit/verify", nil)
	req.Header.Set("HX-Request", "true")
	r := b.do(req)
	wantStatus(t, r, http.StatusUnauthorized)
	if got := r.Header.Get("HX-Redirect"); !strings.HasPrefix(got, "/login") {
		t.Fatalf("HX-Redirect %q", got)
	}
	// The login page itself is open, in the browser's language.
	req, _ = http.NewRequest(http.MethodGet, e.url+"/login", nil)
	req.Header.Set("Accept-Language", "en-US,en;q=0.9,es;q=0.5")
	r = b.do(req)
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "Log in with Discord")
}

func TestLoginWithDiscord(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		t.Run("Superuser", func(t *testing.T) {
			b := e.browser()
			r := b.loginDiscord(string(apptest.Boot))
			wantStatus(t, r, http.StatusOK)
			if r.Request.URL.Path != "/" {
				t.Fatalf("landed on %s", r.Request.URL)
			}
			wantBody(t, r, "Tablero", "Aprobaciones", "Bitácora")
		})
		t.Run("CashierLandsOnBatches", func(t *testing.T) {
			r := e.browser().loginDiscord(string(apptest.Cashier))
			wantStatus(t, r, http.StatusOK)
			if r.Request.URL.Path != "/batches" {
				t.Fatalf("landed on %s", r.Request.URL)
			}
			if strings.Contains(r.body, `href="/audit"`) {
				t.Fatal("a cashier's menu shows the audit log")
			}
		})
		t.Run("NextPage", func(t *testing.T) {
			b := e.browser()
			wantRedirect(t, b.get("/queue"), "/login?next=%2Fqueue")
			e.discord.loginAs(string(apptest.Boot))
			resp, err := b.follow.Get(e.url + "/auth/login?next=%2Fqueue")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.Request.URL.Path != "/queue" {
				t.Fatalf("landed on %s", resp.Request.URL)
			}
		})
		t.Run("ClientRefused", func(t *testing.T) {
			r := e.browser().loginDiscord(string(apptest.Client))
			wantStatus(t, r, http.StatusForbidden)
			wantBody(t, r, es(cambista.MsgPanelNoRole.Msg()))
		})
		t.Run("UnknownRefused", func(t *testing.T) {
			r := e.browser().loginDiscord("777")
			wantStatus(t, r, http.StatusForbidden)
			wantBody(t, r, es(cambista.MsgPanelNotRegistered.Msg("User", "777")))
		})
		t.Run("StateMismatch", func(t *testing.T) {
			b := e.browser()
			wantStatus(t, b.get("/auth/login"), http.StatusSeeOther) // sets the state cookie
			r := b.get("/auth/callback?code=x&state=forged")
			wantStatus(t, r, http.StatusBadRequest)
			wantBody(t, r, es(web.MsgOAuthFailed.Msg()))
		})
		t.Run("EmptyState", func(t *testing.T) {
			// Someone who holds a code for their own account, and can give
			// the victim's browser an empty state cookie, must not log the
			// victim in as themselves.
			code := e.discord.code(string(apptest.Boot))
			req, _ := http.NewRequest(http.MethodGet, e.url+"/auth/callback?code="+code+"&state=", nil)
			req.AddCookie(&http.Cookie{Name: "cambista_oauth", Value: ""})
			r := e.browser().do(req)
			wantStatus(t, r, http.StatusBadRequest)
			wantBody(t, r, es(web.MsgOAuthFailed.Msg()))
		})
		t.Run("ForgedStateCookie", func(t *testing.T) {
			code := e.discord.code(string(apptest.Boot))
			req, _ := http.NewRequest(http.MethodGet, e.url+"/auth/callback?code="+code+"&state=abc", nil)
			req.AddCookie(&http.Cookie{Name: "cambista_oauth", Value: "abc|verifier|/|forged"})
			wantStatus(t, e.browser().do(req), http.StatusBadRequest)
		})
		t.Run("Audited", func(t *testing.T) {
			page, err := e.Svc.AuditLog(e.As(apptest.Boot), cambista.AuditFilter{Action: string(app.ActPanelLogin)})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Events) < 3 || page.Events[0].EntityType != "user" {
				t.Fatalf("login events: %+v", page.Events)
			}
		})
	})
}

func TestCashierForbiddenOnSuperuserPages(t *testing.T) {
	e := sqlite(t, nil)
	b := e.browser()
	b.loginDiscord(string(apptest.Cashier))
	for _, path := range []string{"/approvals", "/audit", "/catalog", "/sessions", "/rates/USD/VES", "/dashboard/volume.json", "/rules", "/rules/1", "/rules/simulate", "/reports"} {
		r := b.get(path)
		wantStatus(t, r, http.StatusForbidden)
		if !strings.HasSuffix(path, ".json") {
			wantBody(t, r, "Esto no funcionó")
		}
	}
	r := b.post("/rates", url.Values{"csrf": {b.csrf()}, "base": {"USD"}, "quote": {"VES"}, "value": {"1"}})
	wantStatus(t, r, http.StatusForbidden)
	for _, path := range []string{"/batches", "/queue"} {
		wantStatus(t, b.get(path), http.StatusOK)
	}
	// Another cashier's batch is not theirs to see.
	other := apptest.Must(e.Svc.OpenBatch(e.As(apptest.Other), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "100", CostRate: "41"}))
	r = b.get("/batches/" + itoa(other.ID))
	wantStatus(t, r, http.StatusForbidden)
	wantBody(t, r, es(cambista.MsgNotYourBatch.Msg("ID", other.ID)))
}

func TestFormToken(t *testing.T) {
	e := sqlite(t, nil)
	b := e.browser()
	b.loginDiscord(string(apptest.Boot))
	form := url.Values{"base": {"USD"}, "quote": {"VES"}, "value": {"41.5"}, "key": {"k1"}}
	r := b.post("/rates", form)
	wantStatus(t, r, http.StatusForbidden)
	wantBody(t, r, es(web.MsgBadForm.Msg()))
	form.Set("csrf", "not-the-token")
	wantStatus(t, b.post("/rates", form), http.StatusForbidden)

	// Another session's token is no good either.
	other := e.browser()
	other.loginDiscord(string(apptest.Boot))
	form.Set("csrf", other.csrf())
	wantStatus(t, b.post("/rates", form), http.StatusForbidden)

	form.Set("csrf", b.csrf())
	wantRedirect(t, b.post("/rates", form), "/rates/USD/VES")
	// As a header, the way htmx sends it.
	form.Del("csrf")
	form.Set("key", "k2")
	req, _ := http.NewRequest(http.MethodPost, e.url+"/rates", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", b.csrf())
	wantRedirect(t, b.do(req), "/rates/USD/VES")
}

func TestCrossOriginPost(t *testing.T) {
	e := sqlite(t, nil)
	b := e.browser()
	b.loginDiscord(string(apptest.Boot))
	form := url.Values{"csrf": {b.csrf()}, "base": {"USD"}, "quote": {"VES"}, "value": {"41.5"}}
	for name, headers := range map[string]map[string]string{
		"SecFetchSite": {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
		"OriginOnly":   {"Origin": "https://evil.example"},
	} {
		t.Run(name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, e.url+"/rates", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range headers {
				req.Header.Set(k, v)
			}
			r := b.do(req)
			wantStatus(t, r, http.StatusForbidden)
			wantBody(t, r, es(web.MsgBadForm.Msg()))
		})
	}
	rates := apptest.Must(e.Svc.RateHistory(e.As(apptest.Boot), "USD", "VES", 10))
	if len(rates) != 1 {
		t.Fatalf("a refused request set a rate: %d rates", len(rates))
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := sqlite(t, nil)
	b := e.browser()
	b.loginDiscord(string(apptest.Boot))
	for _, path := range []string{"/", "/login", "/healthz", "/static/panel.css", "/dashboard/volume.json", "/nope", "/auth/bootstrap?token=x"} {
		r := b.get(path)
		for h, want := range map[string]string{
			"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "same-origin",
		} {
			if got := r.Header.Get(h); got != want {
				t.Errorf("%s: %s = %q, want %q", path, h, got, want)
			}
		}
		if strings.Contains(r.body, "<script>") || strings.Contains(r.body, " style=") || strings.Contains(r.body, "<style") {
			t.Errorf("%s has inline script or style", path)
		}
	}
}

func TestCookies(t *testing.T) {
	for _, tc := range []struct {
		name, public string
		secure       bool
	}{{"HTTP", "", false}, {"HTTPS", "https://panel.example.com", true}} {
		t.Run(tc.name, func(t *testing.T) {
			e := sqlite(t, func(c *web.PanelConfig) {
				if tc.public != "" {
					c.PublicURL = tc.public
				}
			})
			link := e.bootstrapLink()
			r := e.browser().get(link[strings.Index(link, "/auth/"):])
			wantRedirect(t, r, "/")
			var session *http.Cookie
			for _, c := range r.Cookies() {
				if c.Name == "cambista_session" {
					session = c
				}
			}
			if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" || session.Secure != tc.secure {
				t.Fatalf("session cookie %+v", session)
			}
		})
	}
}

func TestSessionExpiry(t *testing.T) {
	t.Run("Idle", func(t *testing.T) {
		e := sqlite(t, nil)
		b := e.browser()
		b.loginDiscord(string(apptest.Boot))
		e.clock.Add(time.Hour + 59*time.Minute)
		wantStatus(t, b.get("/"), http.StatusOK) // used in time: the idle limit starts again
		e.clock.Add(time.Hour + 59*time.Minute)
		wantStatus(t, b.get("/"), http.StatusOK)
		e.clock.Add(2 * time.Hour)
		r := b.get("/approvals")
		wantRedirect(t, r, "/login?next=%2Fapprovals")
		if c := r.Header.Get("Set-Cookie"); !strings.Contains(c, "cambista_session=;") {
			t.Fatalf("the ended session's cookie was not cleared: %q", c)
		}
	})
	t.Run("Absolute", func(t *testing.T) {
		e := sqlite(t, nil)
		b := e.browser()
		b.loginDiscord(string(apptest.Boot))
		for range 6 {
			e.clock.Add(time.Hour + 50*time.Minute)
			wantStatus(t, b.get("/batches"), http.StatusOK)
		}
		e.clock.Add(time.Hour + 50*time.Minute) // 12h50m after login, never idle
		wantRedirect(t, b.get("/batches"), "/login")
	})
	t.Run("Logout", func(t *testing.T) {
		e := sqlite(t, nil)
		b := e.browser()
		b.loginDiscord(string(apptest.Boot))
		stolen := b.c.Jar.Cookies(mustURL(e.url))
		wantRedirect(t, b.post("/logout", url.Values{"csrf": {b.csrf()}}), "/login")
		replay := e.browser()
		replay.c.Jar.SetCookies(mustURL(e.url), stolen)
		wantRedirect(t, replay.get("/batches"), "/login")
	})
	t.Run("RevokedBySuperuser", func(t *testing.T) {
		e := sqlite(t, nil)
		cashier := e.browser()
		cashier.loginDiscord(string(apptest.Cashier))
		boot := e.browser()
		boot.loginDiscord(string(apptest.Boot))
		r := boot.get("/sessions")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "user 40")
		r = boot.post("/sessions/revoke", url.Values{"csrf": {boot.csrf()}, "user": {string(apptest.Cashier)}})
		// The question is a page of its own (post-redirect-get): a reload
		// asks it again and posts nothing.
		wantRedirect(t, r, "/confirm")
		for range 2 {
			wantBody(t, boot.get("/confirm"), `id="confirm"`, "user 40", `name="user" value="40"`)
		}
		wantStatus(t, cashier.get("/batches"), http.StatusOK) // asked, not done
		r = boot.post("/sessions/revoke", url.Values{"csrf": {boot.csrf()}, "user": {string(apptest.Cashier)}, "confirmed": {"yes"}})
		wantRedirect(t, r, "/sessions")
		wantRedirect(t, cashier.get("/batches"), "/login")
		wantStatus(t, boot.get("/batches"), http.StatusOK)
		page := apptest.Must(e.Svc.AuditLog(e.As(apptest.Boot), cambista.AuditFilter{Action: string(app.ActPanelRevokeSessions)}))
		if len(page.Events) != 1 || page.Events[0].EntityID != string(apptest.Cashier) || page.Events[0].Actor != string(apptest.Boot) {
			t.Fatalf("revocation not audited: %+v", page.Events)
		}
	})
	t.Run("RoleRemoved", func(t *testing.T) {
		e := sqlite(t, nil)
		b := e.browser()
		b.loginDiscord(string(apptest.Cashier))
		apptest.Must(e.Svc.RemoveRole(e.As(apptest.Boot), "", app.RoleChange{UserID: apptest.Cashier, Role: cambista.RoleCashier}))
		r := b.get("/batches")
		wantStatus(t, r, http.StatusForbidden)
		wantBody(t, r, es(cambista.MsgPanelNoRole.Msg()))
	})
}

func TestBootstrapLink(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		link := e.bootstrapLink()
		if !strings.HasPrefix(link, e.url+"/auth/bootstrap?token=") || len(link) < len(e.url)+60 {
			t.Fatalf("link %q", link)
		}
		path := strings.TrimPrefix(link, e.url)

		// A newer link voids the older one.
		newer := strings.TrimPrefix(e.bootstrapLink(), e.url)
		r := e.browser().get(path)
		wantStatus(t, r, http.StatusForbidden)
		wantBody(t, r, es(cambista.MsgPanelLinkInvalid.Msg()))

		// Expired after 15 minutes.
		e.clock.Add(15*time.Minute + time.Second)
		wantStatus(t, e.browser().get(newer), http.StatusForbidden)

		// Single use.
		e.clock.Add(time.Minute)
		path = strings.TrimPrefix(e.bootstrapLink(), e.url)
		b := e.browser()
		wantRedirect(t, b.get(path), "/")
		wantStatus(t, b.get("/approvals"), http.StatusOK)
		r = e.browser().get(path)
		wantStatus(t, r, http.StatusForbidden)
		wantBody(t, r, es(cambista.MsgPanelLinkInvalid.Msg()))

		// A superuser has logged in: no more links.
		if link := e.bootstrapLink(); link != "" {
			t.Fatalf("a link after the first superuser login: %q", link)
		}
	})
}

func TestNoBootstrapLinkAfterDiscordLogin(t *testing.T) {
	e := sqlite(t, nil)
	e.browser().loginDiscord(string(apptest.Cashier))
	if e.bootstrapLink() == "" {
		t.Fatal("a cashier's login ended the bootstrap links")
	}
	e.browser().loginDiscord(string(apptest.Boot))
	if link := e.bootstrapLink(); link != "" {
		t.Fatalf("link after a superuser logged in: %q", link)
	}
}

func TestLoginRateLimit(t *testing.T) {
	e := sqlite(t, func(c *web.PanelConfig) { c.LoginsPerMinute = 10 })
	b := e.browser()
	for i := range 10 {
		if r := b.get("/auth/login"); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("attempt %d: %d", i+1, r.StatusCode)
		}
	}
	r := b.get("/auth/bootstrap?token=guess")
	wantStatus(t, r, http.StatusTooManyRequests)
	wantBody(t, r, es(web.MsgTooMany.Msg()))
	if r.Header.Get("Retry-After") == "" {
		t.Fatal("no Retry-After")
	}
	req, _ := http.NewRequest(http.MethodGet, e.url+"/auth/login", nil)
	req.Header.Set("Accept-Language", "en")
	wantBody(t, b.do(req), html.EscapeString(i18n.T(i18n.EN, web.MsgTooMany.Msg())))
	// The bucket refills: one attempt every six seconds.
	e.clock.Add(6 * time.Second)
	wantStatus(t, b.get("/auth/login"), http.StatusSeeOther)
	wantStatus(t, b.get("/auth/login"), http.StatusTooManyRequests)
	// Pages other than login are not limited.
	wantStatus(t, b.get("/login"), http.StatusOK)
}

func TestLanguageSwitch(t *testing.T) {
	e := sqlite(t, nil)
	b := e.browser()
	b.loginDiscord(string(apptest.Boot))
	wantBody(t, b.get("/batches"), "Lotes")
	r := b.post("/lang", url.Values{"csrf": {b.csrf()}, "lang": {"en"}, "back": {"/queue"}})
	wantRedirect(t, r, "/queue")
	wantBody(t, b.get("/queue"), "Transfer queue", "Waiting for a cashier")
	// Remembered for the user: the next login is in English too.
	wantBody(t, e.browser().loginDiscord(string(apptest.Boot)), "Dashboard", "Liquidity per currency")
	// Never redirected off the site.
	wantRedirect(t, b.post("/lang", url.Values{"csrf": {b.csrf()}, "lang": {"es"}, "back": {"//evil.example/x"}}), "/")
	if loc := b.post("/lang", url.Values{"csrf": {b.csrf()}, "lang": {"es"}, "back": {"//evil.example/x"}}).Header.Get("Location"); loc != "/" {
		t.Fatalf("redirected to %q", loc)
	}
}

func TestFourEyesShown(t *testing.T) {
	e := sqlite(t, nil)
	own := apptest.Must(e.Svc.RequestAccount(e.As(apptest.Boot), "", "USD"))
	b := e.browser()
	b.loginDiscord(string(apptest.Boot))
	form := url.Values{"csrf": {b.csrf()}, "key": {"web:x1"}, "decision": {"approve"}}
	r := b.refused(b.post("/approvals/accounts/"+itoa(own.ID), form), "/approvals")
	wantBody(t, r, es(cambista.MsgFourEyes.Msg()), `id="account-`+itoa(own.ID)+`"`)
	// A rejection needs its reason, said in the page; with htmx, in the
	// error slot.
	req, _ := http.NewRequest(http.MethodPost, e.url+"/approvals/accounts/"+itoa(own.ID),
		strings.NewReader(url.Values{"key": {"web:x2"}, "decision": {"reject"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", b.csrf())
	req.Header.Set("HX-Request", "true")
	r = b.do(req)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if r.Header.Get("HX-Retarget") != "#form-error" {
		t.Fatalf("HX-Retarget %q", r.Header.Get("HX-Retarget"))
	}
	wantBody(t, r, es(cambista.MsgReasonRequired.Msg()))
}

func TestApproveWithdrawalAndAccount(t *testing.T) {
	e := sqlite(t, nil)
	acct := apptest.Must(e.Svc.RequestAccount(e.As(apptest.Client), "", "USD"))
	b := e.browser()
	b.loginDiscord(string(apptest.Boot))
	wantBody(t, b.get("/approvals"), `<span class="who" title="30">user 30</span>`)
	form := url.Values{"csrf": {b.csrf()}, "key": {"web:a1"}, "decision": {"approve"}}
	wantRedirect(t, b.post("/approvals/accounts/"+itoa(acct.ID), form), "/approvals")
	r := b.get("/approvals")
	wantBody(t, r, es(web.MsgAccountDone.Msg("ID", acct.ID, "Approved", true)))
	if strings.Contains(r.body, `id="account-`) {
		t.Fatal("the approved account is still listed")
	}
	// The same form again (a double click) replays the first result.
	wantRedirect(t, b.post("/approvals/accounts/"+itoa(acct.ID), form), "/approvals")
	// The agent holds 1.00 USD after a transfer; their withdrawal is rejected.
	apptest.Must(e.Svc.OpenBatch(e.As(apptest.Cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))
	tr := e.Send(apptest.Client, "100")
	apptest.Must(e.Svc.TakeTransfer(e.As(apptest.Cashier), "", tr.ID))
	apptest.Must(e.Svc.CompleteTransfer(e.As(apptest.Cashier), "", app.Complete{ID: tr.ID, Reference: "R1"}))
	agentAcct := apptest.Must(e.Svc.RequestAccount(e.As(apptest.Agent), "", "USD"))
	apptest.Must(e.Svc.DecideAccount(e.As(apptest.Boot), "", app.Decision{ID: agentAcct.ID, Approve: true}))
	wd := apptest.Must(e.Svc.RequestWithdrawal(e.As(apptest.Agent), "", app.RequestWithdrawal{Currency: "USD", Amount: "1"}))
	wantBody(t, b.get("/approvals"), `id="withdrawal-`+itoa(wd.ID)+`"`, "1,00 USD")
	form = url.Values{"csrf": {b.csrf()}, "key": {"web:w1"}, "decision": {"reject"}, "reason": {"documentos incompletos"}}
	wantRedirect(t, b.post("/approvals/withdrawals/"+itoa(wd.ID), form), "/approvals")
	got := apptest.Must(e.Svc.Withdrawals(e.As(apptest.Boot), cambista.WithdrawalFilter{UserID: apptest.Agent}))
	if got[0].Status != cambista.WithdrawalRejected || got[0].Reason != "documentos incompletos" {
		t.Fatalf("withdrawal %+v", got[0])
	}
}

func TestPages(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		b := e.browser()
		b.loginDiscord(string(apptest.Boot))
		bt := apptest.Must(e.Svc.OpenBatch(e.As(apptest.Cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))
		tr := e.Send(apptest.Client, "100")
		apptest.Must(e.Svc.TakeTransfer(e.As(apptest.Cashier), "", tr.ID))
		apptest.Must(e.Svc.CompleteTransfer(e.As(apptest.Cashier), "", app.Complete{ID: tr.ID, Reference: "REF-1"}))
		e.Send(apptest.Client, "10")

		r := b.get("/")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, `id="pending-transfers">1<`, "4.000,00 VES", `<tr id="liquidity-USD"><th>USD</th><td class="num">0,00 USD</td><td class="num">1,00 USD</td><td class="num">100,00 USD</td><td class="num">1,00 USD</td>`,
			`<tr id="liquidity-VES"><th>VES</th><td class="num">120,00 VES</td>`)
		r = b.get("/dashboard/volume.json")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, `{"label":"USD","data":[0,0,0,0,0,0,0,0,0,0,0,0,0,100]}`)

		wantBody(t, b.get("/batches/"+itoa(bt.ID)), "REF-1", "120,00 VES", "5,37 USD")
		wantBody(t, b.get("/batches/"+itoa(bt.ID)+"/status"), `id="remaining">120,00 VES<`)
		r = b.post("/batches/"+itoa(bt.ID)+"/close", url.Values{"csrf": {b.csrf()}, "key": {"web:c1"}, "confirmed": {"yes"}})
		wantRedirect(t, r, "/batches/"+itoa(bt.ID))
		wantBody(t, b.get("/batches/"+itoa(bt.ID)), `id="net-profit">4,37 USD<`, es(web.MsgBatchClosed.Msg("ID", bt.ID)))
		r = b.get("/dashboard/profit.json")
		wantBody(t, r, `"labels":["#`+itoa(bt.ID)+` USD/VES"]`, `{"label":"USD","data":[4.37]}`)

		wantBody(t, b.get("/queue"), "María Pérez", "10,00 USD")

		form := url.Values{"csrf": {b.csrf()}, "key": {"web:cur"}, "code": {"cop"}, "name": {"Peso colombiano"}, "exponent": {"2"}, "rounding": {"half_up"}}
		wantRedirect(t, b.post("/currencies", form), "/catalog")
		form = url.Values{"csrf": {b.csrf()}, "key": {"web:co"}, "code": {"co"}, "name": {"Colombia"}, "currency": {"COP"}}
		wantRedirect(t, b.post("/countries", form), "/catalog")
		form = url.Values{"csrf": {b.csrf()}, "key": {"web:off"}, "enabled": {"false"}}
		wantRedirect(t, b.post("/countries/CO/enabled", form), "/catalog")
		wantBody(t, b.get("/catalog"), "Peso colombiano", "<td>Colombia</td><td>COP</td><td>deshabilitada</td>")
		form = url.Values{"csrf": {b.csrf()}, "key": {"web:bad"}, "code": {"US"}, "name": {"x"}, "exponent": {"2"}}
		r = b.refused(b.post("/currencies", form), "/catalog")
		wantBody(t, r, es(cambista.MsgBadCurrency.Msg("Code", "US")), `name="code" required maxlength="5" size="6" pattern="[A-Za-z]{3,5}" value="US"`)

		form = url.Values{"csrf": {b.csrf()}, "key": {"web:r"}, "base": {"USD"}, "quote": {"COP"}, "value": {"4100,5"}}
		wantRedirect(t, b.post("/rates", form), "/rates/USD/COP")
		wantBody(t, b.get("/rates/USD/COP"), `<td class="num">4.100,5</td>`) // as Spanish writes numbers
		wantBody(t, b.get("/rates/USD/COP/history.json"), `"data":[4100.5]`)

		r = b.get("/audit?action=batch.close")
		wantBody(t, r, "<td>cerrar un lote</td>", "<td>lote "+itoa(bt.ID)+"</td>")
		if strings.Contains(r.body, "<td>fijar una tasa</td>") {
			t.Fatal("the action filter let other actions through")
		}
		r = b.get("/audit/verify")
		wantBody(t, r, `id="verify-text">ok: `)
		r = b.get("/audit?to=2000-01-01")
		wantBody(t, r, "Ningún evento coincide.")
		wantStatus(t, b.get("/audit?from=yesterday"), http.StatusUnprocessableEntity)
		wantStatus(t, b.get("/batches/abc"), http.StatusNotFound)
		wantStatus(t, b.get("/batches/999"), http.StatusNotFound)
	})
}

func TestAuditPaging(t *testing.T) {
	e := sqlite(t, nil)
	for i := range 60 {
		apptest.Must(e.Svc.SetRate(e.As(apptest.Boot), "", app.SetRate{Base: "USD", Quote: "VES", Value: itoa(cambista.ID(41 + i))}))
	}
	b := e.browser()
	b.loginDiscord(string(apptest.Boot))
	r := b.get("/audit?action=rate.set")
	if n := strings.Count(r.body, "<td>fijar una tasa</td>"); n != 50 {
		t.Fatalf("first page has %d events", n)
	}
	m := regexpOlder.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatal("no link to older events")
	}
	r = b.get(html.UnescapeString(m[1]))
	if n := strings.Count(r.body, "<td>fijar una tasa</td>"); n != 11 { // 60 here and the example's first rate
		t.Fatalf("second page has %d events", n)
	}
}

func TestStaticAssets(t *testing.T) {
	e := sqlite(t, nil)
	b := e.browser()
	r := b.get("/login")
	for _, name := range []string{"panel.css", "panel.js", "vendor/htmx.min.js", "vendor/chart.umd.min.js"} {
		if !strings.Contains(r.body, "/static/"+name+"?v=") {
			t.Errorf("login page does not load %s", name)
		}
		a := b.get("/static/" + name)
		wantStatus(t, a, http.StatusOK)
		if !strings.Contains(a.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: Cache-Control %q", name, a.Header.Get("Cache-Control"))
		}
	}
	wantStatus(t, b.get("/static/vendor/"), http.StatusNotFound)
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

func itoa(id cambista.ID) string { return strconv.FormatInt(int64(id), 10) }

var regexpOlder = regexp.MustCompile(`href="([^"]+)" id="older"`)

// TestApproveAgentRequest: a request to become an agent waits in the
// approvals queue, and a superuser other than the requester decides it.
func TestApproveAgentRequest(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		req := apptest.Must(e.Svc.RequestAgent(e.As(apptest.Client), ""))
		own := apptest.Must(e.Svc.RequestAgent(e.As(apptest.Boot), ""))
		b := e.browser()
		b.loginDiscord(string(apptest.Boot))
		wantBody(t, b.get("/approvals"), `id="agent-`+itoa(req.ID)+`"`, `id="agent-`+itoa(own.ID)+`"`)
		form := url.Values{"csrf": {b.csrf()}, "key": {"web:g1"}, "decision": {"approve"}}
		r := b.refused(b.post("/approvals/agents/"+itoa(own.ID), form), "/approvals")
		wantBody(t, r, es(cambista.MsgFourEyes.Msg()))
		form.Set("key", "web:g2")
		wantRedirect(t, b.post("/approvals/agents/"+itoa(req.ID), form), "/approvals")
		r = b.get("/approvals")
		wantBody(t, r, es(web.MsgAgentDone.Msg("ID", req.ID, "Approved", true)))
		if strings.Contains(r.body, `id="agent-`+itoa(req.ID)+`"`) {
			t.Fatal("the approved request is still listed")
		}
		if u := apptest.Must(e.Svc.User(e.As(apptest.Boot), apptest.Client)); u.Type != cambista.UserTypeAgent {
			t.Fatalf("approved, but the user is %s", u.Type)
		}
	})
}

// TestOAuthStateCookieHTTPS: over https the state cookie is a __Host-
// cookie (Secure, path /, no domain), so no other host of the domain can
// plant one; and the authorization asks for a PKCE S256 challenge.
func TestOAuthStateCookieHTTPS(t *testing.T) {
	e := sqlite(t, func(c *web.PanelConfig) { c.PublicURL = "https://panel.example" })
	r := e.browser().get("/auth/login")
	wantStatus(t, r, http.StatusSeeOther)
	var c *http.Cookie
	for _, k := range r.Cookies() {
		if strings.Contains(k.Name, "oauth") {
			c = k
		}
	}
	if c == nil || c.Name != "__Host-cambista_oauth" || !c.Secure || c.Path != "/" || c.Domain != "" || !c.HttpOnly {
		t.Fatalf("state cookie %+v", c)
	}
	loc, err := url.Parse(r.Header.Get("Location"))
	if err != nil || loc.Query().Get("code_challenge_method") != "S256" || loc.Query().Get("code_challenge") == "" {
		t.Fatalf("authorization URL %q", r.Header.Get("Location"))
	}
}

// TestConfirmDepositInPanel: a superuser sees the deposits waiting, with
// their proof, and confirms one; the client's balance shows it, and a
// repeated form changes nothing.
func TestConfirmDepositInPanel(t *testing.T) {
	e := sqlite(t, nil)
	e.Account(apptest.Client, "USD")
	d := apptest.Must(e.Svc.DeclareDeposit(e.As(apptest.Client), "", app.DeclareDeposit{Currency: "USD", Amount: "75", Method: "Zelle",
		ProofURL: "https://cdn.discordapp.com/attachments/1/2/r.png"}))
	b := e.browser()
	b.loginDiscord(string(apptest.Boot))
	wantBody(t, b.get("/approvals"), `id="deposit-`+itoa(d.ID)+`"`, "75,00 USD", "Zelle", `href="https://cdn.discordapp.com/attachments/1/2/r.png"`)
	form := url.Values{"csrf": {b.csrf()}, "key": {"web:d1"}, "decision": {"approve"}}
	wantRedirect(t, b.post("/approvals/deposits/"+itoa(d.ID), form), "/approvals")
	wantRedirect(t, b.post("/approvals/deposits/"+itoa(d.ID), form), "/approvals")
	r := b.get("/approvals")
	wantBody(t, r, es(web.MsgDepositDone.Msg("ID", d.ID, "Approved", true)))
	if strings.Contains(r.body, `id="deposit-`) {
		t.Fatal("the confirmed deposit is still listed")
	}
	views := apptest.Must(e.Svc.Accounts(e.As(apptest.Client), ""))
	if len(views) != 1 || views[0].Balance.String() != "75.00 USD" {
		t.Fatalf("the client's accounts %+v", views)
	}
}

// TestApproveRefundInPanel: a refund above the limit waits in the
// approvals page; the superuser who asked cannot approve it, another one
// can, and it is posted to the client's balance.
func TestApproveRefundInPanel(t *testing.T) {
	c := storetest.NewClock(time.Now().UTC().Truncate(time.Microsecond))
	e := newEnvWith(t, storetest.Open(t, "sqlite", store.Options{Now: c.Now}), c,
		app.Config{RefundTwoSuperusersAbove: map[string]decimal.Decimal{"USD": decimal.NewFromInt(50)}}, nil)
	e.User("2", cambista.RoleSuperuser)
	e.Account(apptest.Client, "USD")
	apptest.Must(e.Svc.OpenBatch(e.As(apptest.Cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))
	tr := e.Send(apptest.Client, "100")
	apptest.Must(e.Svc.TakeTransfer(e.As(apptest.Cashier), "", tr.ID))
	apptest.Must(e.Svc.CompleteTransfer(e.As(apptest.Cashier), "", app.Complete{ID: tr.ID, Reference: "R1"}))
	rf := apptest.Must(e.Svc.Reverse(e.As("2"), "", app.ReverseTransfer{TransferID: tr.ID, ToBalance: true, Reason: "beneficiario equivocado"}))
	b := e.browser()
	b.loginDiscord(string(apptest.Boot))
	wantBody(t, b.get("/approvals"), `id="refund-`+itoa(rf.ID)+`"`, "100,00 USD", "beneficiario equivocado", "reversión")
	form := url.Values{"csrf": {b.csrf()}, "key": {"web:r1"}, "decision": {"approve"}}
	wantRedirect(t, b.post("/approvals/refunds/"+itoa(rf.ID), form), "/approvals")
	wantBody(t, b.get("/approvals"), es(web.MsgRefundDone.Msg("ID", rf.ID, "Approved", true)))
	views := apptest.Must(e.Svc.Accounts(e.As(apptest.Client), ""))
	if views[0].Balance.String() != "100.00 USD" {
		t.Fatalf("the client holds %s", views[0].Balance)
	}
}

// TestBatchAdjustmentsInPanel: a refund made after the batch closed is
// listed beside its stored summary, which keeps the worked example's
// figures.
func TestBatchAdjustmentsInPanel(t *testing.T) {
	e := sqlite(t, nil)
	bt := apptest.Must(e.Svc.OpenBatch(e.As(apptest.Cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))
	tr := e.Send(apptest.Client, "100")
	apptest.Must(e.Svc.TakeTransfer(e.As(apptest.Cashier), "", tr.ID))
	apptest.Must(e.Svc.CompleteTransfer(e.As(apptest.Cashier), "", app.Complete{ID: tr.ID, Reference: "R1"}))
	apptest.Must(e.Svc.CloseBatch(e.As(apptest.Cashier), "", bt.ID))
	apptest.Must(e.Svc.Refund(e.As(apptest.Boot), "", app.RefundTransfer{TransferID: tr.ID, Amount: "5", Reason: "cobro de más"}))
	b := e.browser()
	b.loginDiscord(string(apptest.Boot))
	r := b.get("/batches/" + itoa(bt.ID))
	wantBody(t, r, `id="adjustments"`, "5,00 USD", "cobro de más", `id="net-profit">4,37 USD`)
}
