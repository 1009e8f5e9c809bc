package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
	"github.com/cambista/cambista/web"
)

// env is the worked example's business behind a running panel, with a
// fake Discord to log in through.
type env struct {
	*apptest.Env
	t       *testing.T
	clock   *storetest.Clock // the test's time, shared by the store and the panel
	panel   *web.Panel
	url     string
	discord *fakeDiscord
	logs    *bytes.Buffer
}

// eachDB runs fn against SQLite, and against PostgreSQL when
// CAMBISTA_TEST_POSTGRES_URL is set, each store on the test's clock.
func eachDB(t *testing.T, fn func(t *testing.T, e *env)) {
	storetest.EachOnClock(t, time.Now().UTC().Truncate(time.Microsecond), func(t *testing.T, s *store.Store, c *storetest.Clock) {
		fn(t, newEnv(t, s, c, nil))
	})
}

// sqlite returns an env on SQLite.
func sqlite(t *testing.T, tweak func(*web.PanelConfig)) *env {
	c := storetest.NewClock(time.Now().UTC().Truncate(time.Microsecond))
	return newEnv(t, storetest.Open(t, "sqlite", store.Options{Now: c.Now}), c, tweak)
}

func newEnv(t *testing.T, s *store.Store, c *storetest.Clock, tweak func(*web.PanelConfig)) *env {
	t.Helper()
	return newEnvWith(t, s, c, app.Config{}, tweak)
}

// newEnvWith is newEnv with the service configured by appCfg.
func newEnvWith(t *testing.T, s *store.Store, c *storetest.Clock, appCfg app.Config, tweak func(*web.PanelConfig)) *env {
	t.Helper()
	e := &env{Env: apptest.BusinessWith(t, s, appCfg), t: t, clock: c, discord: newFakeDiscord(t), logs: &bytes.Buffer{}}
	ts := httptest.NewUnstartedServer(nil)
	e.url = "http://" + ts.Listener.Addr().String()
	e.discord.redirect = e.url + "/auth/callback"
	cfg := web.PanelConfig{PublicURL: e.url, DiscordOAuthURL: e.discord.URL, ClientID: e.discord.clientID,
		ClientSecret: e.discord.clientSecret, Now: c.Now, LoginsPerMinute: 1000}
	if tweak != nil {
		tweak(&cfg)
	}
	logs := &lockedWriter{w: e.logs}
	log := slog.New(slog.NewTextHandler(logs, nil))
	t.Cleanup(func() {
		if t.Failed() {
			logs.mu.Lock()
			t.Logf("panel logs:\n%s", e.logs)
			logs.mu.Unlock()
		}
	})
	p, err := web.NewPanel(e.Svc, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	e.panel = p
	srv := web.NewServer(s, prometheus.NewRegistry(), log)
	p.Mount(srv)
	ts.Config.Handler = srv.Handler()
	ts.Start()
	t.Cleanup(ts.Close)
	return e
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// browser is an HTTP client with its own cookies that does not follow
// redirects, so tests see them.
type browser struct {
	e      *env
	c      *http.Client
	follow *http.Client
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{
		e:      e,
		c:      &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		follow: &http.Client{Jar: jar},
	}
}

// response is a finished response with its body read.
type response struct {
	*http.Response
	body string
}

func (b *browser) do(req *http.Request) *response {
	b.e.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return &response{resp, string(body)}
}

func (b *browser) get(path string) *response {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.e.url+path, nil)
	return b.do(req)
}

// post sends a form as a same-origin browser would (Origin and
// Sec-Fetch-Site set).
func (b *browser) post(path string, form url.Values) *response {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.e.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.e.url)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// loginDiscord logs in through the fake Discord as the user, following the
// redirects, and returns the last response.
func (b *browser) loginDiscord(user string) *response {
	b.e.t.Helper()
	b.e.discord.loginAs(user)
	resp, err := b.follow.Get(b.e.url + "/auth/login")
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return &response{resp, string(body)}
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the session's form token from a page.
func (b *browser) csrf() string {
	b.e.t.Helper()
	r := b.get("/batches")
	m := csrfInput.FindStringSubmatch(r.body)
	if m == nil {
		b.e.t.Fatalf("no form token on /batches (%d): %s", r.StatusCode, r.body)
	}
	return m[1]
}

// bootstrapLink issues the one-time login link.
func (e *env) bootstrapLink() string {
	e.t.Helper()
	link, err := e.panel.BootstrapLink(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return link
}

func wantStatus(t *testing.T, r *response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL, r.StatusCode, status, r.body)
	}
}

func wantRedirect(t *testing.T, r *response, prefix string) {
	t.Helper()
	wantStatus(t, r, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); !strings.HasPrefix(loc, prefix) {
		t.Fatalf("%s %s: redirect to %q, want %q…", r.Request.Method, r.Request.URL, loc, prefix)
	}
}

func wantBody(t *testing.T, r *response, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(r.body, p) {
			t.Fatalf("%s %s: body lacks %q:\n%s", r.Request.Method, r.Request.URL, p, r.body)
		}
	}
}

// refused follows a refused form back (post-redirect-get) to the page to,
// which says why with status 422, and returns that page.
func (b *browser) refused(r *response, to string) *response {
	b.e.t.Helper()
	wantRedirect(b.e.t, r, to)
	page := b.get(to)
	wantStatus(b.e.t, page, http.StatusUnprocessableEntity)
	return page
}
