package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// start runs a subcommand's server (m.Serve or m.Web) on a free port and
// returns its base URL, its logs so far, and a func that stops it.
func start(t *testing.T, vars map[string]string, run func(*Main, context.Context) int) (string, *syncBuffer, func()) {
	t.Helper()
	vars["CAMBISTA_HTTP_ADDR"] = "127.0.0.1:0"
	cfg, _, err := LoadConfig("test", nil, env(vars), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	m := &Main{Config: cfg, Stdout: io.Discard, Stderr: logs, ready: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() { done <- run(m, ctx) }()
	// No deadline of its own, as in serve: a start that hangs is caught
	// by the test binary's -timeout.
	select {
	case <-m.ready:
	case code := <-done:
		cancel()
		t.Fatalf("exited with %d: %s", code, logs.String())
	}
	return "http://" + m.Addr.String(), logs, func() {
		cancel()
		if code := <-done; code != 0 {
			t.Fatalf("exited with %d: %s", code, logs.String())
		}
		m.Close()
	}
}

var bootstrapLink = regexp.MustCompile(`"url":"http://127\.0\.0\.1:[0-9]+(/auth/bootstrap\?token=[A-Za-z0-9_-]+)"`)

func TestPanelBootstrapLinkAtStart(t *testing.T) {
	vars := map[string]string{"CAMBISTA_DB": filepath.Join(t.TempDir(), "c.db"), "CAMBISTA_BOOTSTRAP_SUPERUSER": "111"}
	base, logs, stop := start(t, vars, (*Main).Serve)
	m := bootstrapLink.FindStringSubmatch(logs.String())
	if m == nil {
		stop()
		t.Fatalf("serve did not log the bootstrap link:\n%s", logs)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(base + m[1])
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" || len(resp.Cookies()) == 0 {
		t.Fatalf("bootstrap login: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	stop()

	// The superuser has logged in: the next start prints no link.
	_, logs, stop = start(t, vars, (*Main).Serve)
	stop()
	if strings.Contains(logs.String(), "/auth/bootstrap") {
		t.Fatalf("a link after the first login:\n%s", logs)
	}
}

func TestWebServesThePanelWithoutTheBot(t *testing.T) {
	vars := map[string]string{"CAMBISTA_DB": filepath.Join(t.TempDir(), "c.db"), "CAMBISTA_DISCORD_TOKEN": "t",
		"CAMBISTA_DISCORD_APP_ID": "1", "CAMBISTA_DISCORD_API_URL": "http://127.0.0.1:1"}
	base, logs, stop := start(t, vars, (*Main).Web)
	for _, c := range []struct{ path, want string }{
		{"/healthz", "ok"}, {"/login", "cambista"}, {"/metrics", "cambista_http_request_duration_seconds"},
	} {
		path, want := c.path, c.want
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("%s: %d, body lacks %q", path, resp.StatusCode, want)
		}
	}
	stop()
	// With a token, serve would connect the bot (and fail against this
	// address); web never tries.
	if strings.Contains(logs.String(), "Discord bot") {
		t.Fatalf("web started the bot:\n%s", logs)
	}
}

func TestPanelConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{"CAMBISTA_PUBLIC_URL": "panel.example.com"}, "CAMBISTA_PUBLIC_URL"},
		{map[string]string{"CAMBISTA_PUBLIC_URL": "https://panel.example.com/admin"}, "CAMBISTA_PUBLIC_URL"},
		{map[string]string{"CAMBISTA_DISCORD_OAUTH_URL": "discord.com"}, "CAMBISTA_DISCORD_OAUTH_URL"},
		{map[string]string{"CAMBISTA_DISCORD_CLIENT_ID": "abc", "CAMBISTA_DISCORD_CLIENT_SECRET": "s"}, "CAMBISTA_DISCORD_CLIENT_ID"},
		{map[string]string{"CAMBISTA_DISCORD_CLIENT_ID": "123"}, "CAMBISTA_DISCORD_CLIENT_SECRET"},
		{map[string]string{"CAMBISTA_TRUSTED_PROXIES": "10.0.0.0/8, nginx"}, "CAMBISTA_TRUSTED_PROXIES"},
	} {
		code, _, stderr := cli(t, tc.vars, "migrate")
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 naming %s", tc.vars, code, stderr, tc.want)
		}
	}
}

func TestSecretStaysOutOfLogs(t *testing.T) {
	vars := map[string]string{"CAMBISTA_DB": filepath.Join(t.TempDir(), "c.db"),
		"CAMBISTA_DISCORD_CLIENT_ID": "123", "CAMBISTA_DISCORD_CLIENT_SECRET": "oauth-very-secret"}
	_, logs, stop := start(t, vars, (*Main).Serve)
	stop()
	if strings.Contains(logs.String(), "oauth-very-secret") {
		t.Fatal("the OAuth client secret was logged")
	}
}

// TestDemoBootstrapLink: the demo without a bootstrap superuser prints a
// one-time link that logs in as the demo's superuser.
func TestDemoBootstrapLink(t *testing.T) {
	vars := map[string]string{"CAMBISTA_DB": filepath.Join(t.TempDir(), "c.db"), "CAMBISTA_DEMO": "true"}
	base, logs, stop := start(t, vars, (*Main).Serve)
	defer stop()
	m := bootstrapLink.FindStringSubmatch(logs.String())
	if m == nil {
		t.Fatalf("serve --demo did not log a bootstrap link:\n%s", logs)
	}
	// Without CAMBISTA_PUBLIC_URL the link names the port serve took.
	if !strings.Contains(logs.String(), `"url":"`+base+m[1]+`"`) {
		t.Fatalf("the link does not reach %s:\n%s", base, logs)
	}
	if body := getOK(t, http.DefaultClient, base+"/login"); !strings.Contains(body, `id="login-bootstrap"`) || strings.Contains(body, "CAMBISTA_BOOTSTRAP_SUPERUSER") {
		t.Fatalf("the login page does not point to the printed link:\n%s", body)
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Jar: jar}
	getOK(t, client, base+m[1])
	// Approvals are a superuser's page.
	if body := getOK(t, client, base+"/approvals"); !strings.Contains(body, `href="/approvals"`) {
		t.Fatalf("the link did not log in a superuser:\n%s", body)
	}
}

// TestNoBootstrapNamesTheSetting: without a bootstrap superuser (and no
// demo), the log and the login page name the setting to set.
func TestNoBootstrapNamesTheSetting(t *testing.T) {
	// Without the bot: the playground would make its owner a superuser
	// with a link of their own.
	vars := map[string]string{"CAMBISTA_DB": filepath.Join(t.TempDir(), "c.db"), "CAMBISTA_DISCORD_MODE": "off"}
	base, logs, stop := start(t, vars, (*Main).Serve)
	defer stop()
	if !strings.Contains(logs.String(), "set CAMBISTA_BOOTSTRAP_SUPERUSER") || strings.Contains(logs.String(), "/auth/bootstrap") {
		t.Fatalf("the log does not say which setting to set:\n%s", logs)
	}
	if body := getOK(t, http.DefaultClient, base+"/login"); !strings.Contains(body, `id="login-no-bootstrap"`) || !strings.Contains(body, "CAMBISTA_BOOTSTRAP_SUPERUSER") {
		t.Fatalf("the login page does not name the setting:\n%s", body)
	}
}

// getOK returns the body of a GET by c answered 200.
func getOK(t *testing.T, c *http.Client, url string) string {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return string(b)
}
