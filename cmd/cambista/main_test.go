package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cambista/cambista/loadtest"
	"github.com/cambista/cambista/store/storetest"
	"github.com/cambista/cambista/web"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// syncBuffer is a buffer safe to write from the server's goroutines
// while the test reads it, and waited on for a line.
type syncBuffer = loadtest.Logs

func cli(t *testing.T, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb syncBuffer
	code := run(context.Background(), args, env(vars), &out, &errb)
	return code, out.String(), errb.String()
}

func dsns(t *testing.T) map[string]string {
	out := map[string]string{"sqlite": filepath.Join(t.TempDir(), "c.db")}
	if storetest.HavePostgres() {
		out["postgres"] = storetest.PostgresSchema(t)
	} else {
		t.Logf("PostgreSQL skipped: set %s", storetest.PostgresEnv)
	}
	return out
}

func TestMigrateVerifyCheck(t *testing.T) {
	for dialect, dsn := range dsns(t) {
		t.Run(dialect, func(t *testing.T) {
			vars := map[string]string{"CAMBISTA_DB": dsn}
			if code, _, stderr := cli(t, vars, "audit", "verify"); code != 1 || !strings.Contains(stderr, "run cambista migrate") {
				t.Fatalf("verify before migrate: %d %s", code, stderr)
			}
			if code, out, stderr := cli(t, vars, "migrate"); code != 0 || !strings.Contains(out, "migrations applied") {
				t.Fatalf("migrate: %d %s %s", code, out, stderr)
			}
			if code, out, _ := cli(t, vars, "migrate"); code != 0 || !strings.Contains(out, "0 migrations applied") {
				t.Fatalf("second migrate: %d %s", code, out)
			}
			if code, out, stderr := cli(t, vars, "audit", "verify"); code != 0 || out != "ok: 0 events\n" {
				t.Fatalf("verify: %d %q %s", code, out, stderr)
			}
			if code, out, _ := cli(t, vars, "ledger", "check"); code != 0 || !strings.HasPrefix(out, "ok:") {
				t.Fatalf("check: %d %q", code, out)
			}
			// Serve once so the bootstrap superusers are audited, then break
			// the chain behind the application's back.
			vars["CAMBISTA_BOOTSTRAP_SUPERUSER"] = "111,222"
			vars["CAMBISTA_DISCORD_MODE"] = "off" // the playground's set-up would audit more
			serve(t, vars, func(string) {})
			if code, out, _ := cli(t, vars, "audit", "verify"); code != 0 || out != "ok: 2 events\n" {
				t.Fatalf("verify after serve: %d %q", code, out)
			}
			db := open(t, dsn)
			if _, err := db.Exec(`UPDATE audit_events SET actor = 'mallory' WHERE seq = 2`); err != nil {
				t.Fatal(err)
			}
			if code, out, _ := cli(t, vars, "audit", "verify"); code != 1 || !strings.Contains(out, "broken: sequence 2") {
				t.Fatalf("verify after tampering: %d %q", code, out)
			}
			if _, err := db.Exec(`INSERT INTO balances (account, currency, balance) VALUES ('user:5:USD', 'USD', 100)`); err != nil {
				t.Fatal(err)
			}
			if code, out, _ := cli(t, vars, "ledger", "check"); code != 1 || !strings.Contains(out, "cached_balance user:5:USD") {
				t.Fatalf("check after tampering: %d %q", code, out)
			}
		})
	}
}

func open(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	driver := "sqlite"
	if strings.HasPrefix(dsn, "postgres") {
		driver = "pgx"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// serve runs "cambista serve" on a free port, calls fn with its base URL,
// then stops it with the context, as SIGTERM would, and returns its logs.
func serve(t *testing.T, vars map[string]string, fn func(base string)) string {
	t.Helper()
	return serveMain(t, vars, web.Limits{}, func(m *Main) { fn("http://" + m.Addr.String()) })
}

// serveMain is serve with the HTTP server's limits (zero for the
// defaults), calling fn with the running Main.
func serveMain(t *testing.T, vars map[string]string, limits web.Limits, fn func(m *Main)) string {
	t.Helper()
	vars["CAMBISTA_HTTP_ADDR"] = "127.0.0.1:0"
	cfg, _, err := LoadConfig("serve", nil, env(vars), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	m := &Main{Config: cfg, Stdout: io.Discard, Stderr: &logs, ready: make(chan struct{}), limits: limits}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() { done <- m.Serve(ctx) }()
	// No deadline of its own: how long starting takes depends on the
	// machine (with --demo it first writes a week of business, which took
	// over 20 s under load with -race -cpu 1). A start that hangs is
	// caught by the test binary's -timeout, which shows where it hangs.
	select {
	case <-m.ready:
	case code := <-done:
		t.Fatalf("serve exited with %d: %s", code, logs.String())
	}
	fn(m)
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve exited with %d: %s", code, logs.String())
	}
	m.Close()
	return logs.String()
}

func TestServe(t *testing.T) {
	vars := map[string]string{
		"CAMBISTA_DB":                  filepath.Join(t.TempDir(), "c.db"),
		"CAMBISTA_DISCORD_TOKEN":       "",
		"CAMBISTA_BOOTSTRAP_SUPERUSER": "111",
	}
	logs := serve(t, vars, func(base string) {
		for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready"} {
			resp, err := http.Get(base + path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || strings.TrimSpace(string(body)) != want {
				t.Errorf("%s: %d %q", path, resp.StatusCode, body)
			}
		}
		resp, err := http.Get(base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, name := range []string{"go_goroutines", "cambista_http_request_duration_seconds", "cambista_db_tx_duration_seconds"} {
			if !bytes.Contains(body, []byte(name)) {
				t.Errorf("/metrics lacks %s", name)
			}
		}
	})
	// Without a token, the bot runs in the playground, and serve says where.
	for _, want := range []string{`"message":"listening"`, "/playground", `"message":"stopped"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s:\n%s", want, logs)
		}
	}
}

func TestSecretsStayOutOfLogs(t *testing.T) {
	vars := map[string]string{
		"CAMBISTA_DB":                filepath.Join(t.TempDir(), "c.db"),
		"CAMBISTA_DISCORD_TOKEN":     "very-secret-token",
		"CAMBISTA_DISCORD_MODE":      "off",
		"CAMBISTA_NOTION_TOKEN":      "secret_notion_token",
		"CAMBISTA_NOTION_BATCHES_DB": "0123456789abcdef0123456789abcdef",
	}
	logs := serve(t, vars, func(string) {})
	if strings.Contains(logs, "very-secret-token") || strings.Contains(logs, "secret_notion_token") {
		t.Fatal("a token was logged")
	}
	if got := redactURL("postgres://app:hunter2@db:5432/cambista"); strings.Contains(got, "hunter2") {
		t.Fatalf("redactURL kept the password: %s", got)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{"CAMBISTA_HTTP_ADDR": "8080"}, "CAMBISTA_HTTP_ADDR"},
		{map[string]string{"CAMBISTA_METRICS_ADDR": "9090"}, "CAMBISTA_METRICS_ADDR"},
		{map[string]string{"CAMBISTA_LOG_FORMAT": "xml"}, "CAMBISTA_LOG_FORMAT"},
		{map[string]string{"CAMBISTA_LOG_LEVEL": "loud"}, "CAMBISTA_LOG_LEVEL"},
		{map[string]string{"CAMBISTA_BOOTSTRAP_SUPERUSER": "12,abc"}, "CAMBISTA_BOOTSTRAP_SUPERUSER"},
		{map[string]string{"CAMBISTA_SHUTDOWN_TIMEOUT": "soon"}, "CAMBISTA_SHUTDOWN_TIMEOUT"},
		{map[string]string{"CAMBISTA_QUOTE_TTL": "-1m"}, "CAMBISTA_QUOTE_TTL"},
		{map[string]string{"CAMBISTA_DISCORD_MODE": "carrier-pigeon"}, "CAMBISTA_DISCORD_MODE"},
		{map[string]string{"CAMBISTA_DISCORD_MODE": "http"}, "CAMBISTA_DISCORD_TOKEN"},
		{map[string]string{"CAMBISTA_DISCORD_TOKEN": "t"}, "CAMBISTA_DISCORD_APP_ID"},
		{map[string]string{"CAMBISTA_DISCORD_TOKEN": "t", "CAMBISTA_DISCORD_APP_ID": "1", "CAMBISTA_DISCORD_MODE": "http"}, "CAMBISTA_DISCORD_PUBLIC_KEY"},
		{map[string]string{"CAMBISTA_DISCORD_TOKEN": "t", "CAMBISTA_DISCORD_APP_ID": "1", "CAMBISTA_DISCORD_GUILD_ID": "x"}, "CAMBISTA_DISCORD_GUILD_ID"},
		{map[string]string{"CAMBISTA_DISCORD_LANG": "fr"}, "CAMBISTA_DISCORD_LANG"},
		{map[string]string{"CAMBISTA_ALERT_INTERVAL": "often"}, "CAMBISTA_ALERT_INTERVAL"},
		{map[string]string{"CAMBISTA_NOTION_TOKEN": "secret_x"}, "CAMBISTA_NOTION_BATCHES_DB"},
		{map[string]string{"CAMBISTA_NOTION_BATCHES_DB": "0123456789abcdef0123456789abcdef"}, "CAMBISTA_NOTION_TOKEN"},
		{map[string]string{"CAMBISTA_NOTION_TOKEN": "secret_x", "CAMBISTA_NOTION_ACCOUNTS_DB": "my-db"}, "CAMBISTA_NOTION_ACCOUNTS_DB"},
		{map[string]string{"CAMBISTA_DISCORD_REST_BUDGET": "0"}, "CAMBISTA_DISCORD_REST_BUDGET"},
		{map[string]string{"CAMBISTA_DISCORD_REST_BUDGET": "fast"}, "CAMBISTA_DISCORD_REST_BUDGET"},
		{map[string]string{"CAMBISTA_DEPOSIT_SUPERUSER_ABOVE": "1000 USD"}, "CAMBISTA_DEPOSIT_SUPERUSER_ABOVE"},
		{map[string]string{"CAMBISTA_REFUND_TWO_SUPERUSERS_ABOVE": "USD 5, USD 6"}, "CAMBISTA_REFUND_TWO_SUPERUSERS_ABOVE"},
	} {
		code, _, stderr := cli(t, tc.vars, "migrate")
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 naming %s", tc.vars, code, stderr, tc.want)
		}
	}
	// A flag wins over its variable.
	cfg, _, err := LoadConfig("x", []string{"--log-format", "text"}, env(map[string]string{"CAMBISTA_LOG_FORMAT": "json"}), io.Discard)
	if err != nil || cfg.LogFormat != "text" {
		t.Fatalf("flag over env: %+v %v", cfg, err)
	}
	// Limits per currency.
	cfg, _, err = LoadConfig("x", nil, env(map[string]string{"CAMBISTA_DEPOSIT_SUPERUSER_ABOVE": "usd 1000, VES 40000.50"}), io.Discard)
	if err != nil || len(cfg.DepositSuperuserAbove) != 2 || cfg.DepositSuperuserAbove["VES"].String() != "40000.5" || cfg.RefundTwoSuperusersAbove == nil {
		t.Fatalf("deposit limits: %+v %v", cfg.DepositSuperuserAbove, err)
	}
	// Notion is off by default, on with a token and a database.
	cfg, _, err = LoadConfig("x", nil, env(nil), io.Discard)
	if err != nil || cfg.NotionDatabases != nil {
		t.Fatalf("Notion by default: %+v %v", cfg.NotionDatabases, err)
	}
	cfg, _, err = LoadConfig("x", nil, env(map[string]string{"CAMBISTA_NOTION_TOKEN": "secret_x",
		"CAMBISTA_NOTION_WITHDRAWALS_DB": "01234567-89ab-cdef-0123-456789abcdef"}), io.Discard)
	if err != nil || len(cfg.NotionDatabases) != 1 || cfg.NotionDatabases["withdrawal"] != "01234567-89ab-cdef-0123-456789abcdef" {
		t.Fatalf("Notion on: %+v %v", cfg.NotionDatabases, err)
	}
	if code, out, _ := cli(t, nil, "help"); code != 0 || !strings.Contains(out, "CAMBISTA_DB") {
		t.Fatalf("help: %d %s", code, out)
	}
	if code, out, _ := cli(t, nil, "version"); code != 0 || !strings.HasPrefix(out, "cambista ") {
		t.Fatalf("version: %d %s", code, out)
	}
	if code, _, stderr := cli(t, nil, "fly"); code != 2 || !strings.Contains(stderr, "unknown command") {
		t.Fatalf("unknown: %d %s", code, stderr)
	}
}

// TestREADMEListsEverySetting keeps the README's configuration table true.
func TestREADMEListsEverySetting(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range (&Config{}).settings() {
		if !bytes.Contains(readme, []byte("`"+s.env+"`")) {
			t.Errorf("README.md does not document %s", s.env)
		}
	}
}

// TestDemo: serve --demo fills an empty database once; demo refuses a
// database with a business.
func TestDemo(t *testing.T) {
	vars := map[string]string{"CAMBISTA_DB": filepath.Join(t.TempDir(), "c.db"), "CAMBISTA_DEMO": "true"}
	serve(t, vars, func(base string) {})
	if code, out, _ := cli(t, vars, "ledger", "check"); code != 0 {
		t.Fatalf("ledger after the demo: %d %s", code, out)
	}
	if code, out, _ := cli(t, vars, "audit", "verify"); code != 0 || out == "ok: 0 events\n" {
		t.Fatalf("audit after the demo: %d %s", code, out)
	}
	serve(t, vars, func(base string) {}) // a second start leaves it alone
	if code, _, stderr := cli(t, vars, "demo"); code != 1 || !strings.Contains(stderr, "already holds a business") {
		t.Fatalf("demo on a full database: %d %s", code, stderr)
	}
}

// TestUsageHidesSecrets: the usage text printed on -h, help or a bad flag
// shows the built-in defaults, never a value from the environment.
func TestUsageHidesSecrets(t *testing.T) {
	vars := map[string]string{
		"CAMBISTA_DB":                    "postgres://u:db-pw-s3cr3t@127.0.0.1:1/x",
		"CAMBISTA_DISCORD_TOKEN":         "bot-token-s3cr3t",
		"CAMBISTA_DISCORD_CLIENT_SECRET": "oauth-s3cr3t",
	}
	for _, args := range [][]string{{"serve", "-h"}, {"serve", "--no-such-flag"}, {"migrate", "--demo=maybe"}, {"help"}} {
		_, out, stderr := cli(t, vars, args...)
		if strings.Contains(out+stderr, "s3cr3t") {
			t.Errorf("cambista %v printed a secret:\n%s%s", args, out, stderr)
		}
	}
}

// TestBareBoolFlag: a boolean setting's flag works bare, as README shows
// it (serve --demo), and still takes a value.
func TestBareBoolFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{{[]string{"--demo"}, true}, {[]string{"-demo"}, true}, {[]string{"--demo=false"}, false}, {nil, false}} {
		cfg, rest, err := LoadConfig("cambista serve", tc.args, env(nil), io.Discard)
		if err != nil || cfg.Demo != tc.want || len(rest) != 0 {
			t.Fatalf("%v: demo %v, rest %v, %v; want demo %v", tc.args, cfg != nil && cfg.Demo, rest, err, tc.want)
		}
	}
	// The environment's value holds unless the flag is given.
	cfg, _, err := LoadConfig("cambista serve", nil, env(map[string]string{"CAMBISTA_DEMO": "true"}), io.Discard)
	if err != nil || !cfg.Demo {
		t.Fatalf("CAMBISTA_DEMO=true: %+v %v", cfg, err)
	}
	if _, _, err := LoadConfig("cambista serve", []string{"--demo=maybe"}, env(nil), io.Discard); err == nil || !strings.Contains(err.Error(), "CAMBISTA_DEMO") {
		t.Fatalf("--demo=maybe: %v", err)
	}
}

// TestPasswordsNeverPrinted runs cambista with a PostgreSQL password in
// every form it may be written and greps all it printed for it: a URL's
// user part and its query are redacted, and the key/value form is refused
// (taken as a SQLite file, the password would name a file).
func TestPasswordsNeverPrinted(t *testing.T) {
	kv := "host=127.0.0.1 user=postgres password=s3cr3t-kv dbname=test"
	t.Cleanup(func() { os.Remove(kv); os.Remove(kv + "-wal"); os.Remove(kv + "-shm") })
	code, out, stderr := cli(t, map[string]string{"CAMBISTA_DB": kv}, "migrate")
	if code != 2 || !strings.Contains(stderr, "CAMBISTA_DB") || strings.Contains(out+stderr, "s3cr3t") {
		t.Fatalf("key/value DSN: exit %d, %s%s; want 2 naming CAMBISTA_DB without the password", code, out, stderr)
	}
	if _, err := os.Stat(kv); err == nil {
		t.Fatal("the key/value DSN was taken as a file name")
	}

	u, err := url.Parse(storetest.PostgresSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), "s3cr3t-user")
	q := u.Query()
	q.Set("password", "s3cr3t-query")
	u.RawQuery = q.Encode()
	vars := map[string]string{"CAMBISTA_DB": u.String(), "CAMBISTA_LOG_LEVEL": "debug"}
	all := serve(t, vars, func(string) {})
	for _, args := range [][]string{{"migrate"}, {"audit", "verify"}, {"ledger", "check"}} {
		_, out, stderr := cli(t, vars, args...)
		all += out + stderr
	}
	if strings.Contains(all, "s3cr3t") {
		t.Fatalf("a password was printed:\n%s", all)
	}
	if !strings.Contains(all, "REDACTED") {
		t.Fatalf("the database URL was not logged redacted:\n%s", all)
	}
}

// command is a command's name (one or two words) and the spaces before its
// description.
var command = regexp.MustCompile(`^  \S+( \S+)?  +`)

// TestHelpColumnsLineUp: every setting's flag, default and meaning start
// in the same columns, and so do the commands' descriptions.
func TestHelpColumnsLineUp(t *testing.T) {
	_, out, _ := cli(t, nil, "help")
	cols := map[string]int{}
	same := func(what, line string, at int) {
		if at < 0 {
			t.Fatalf("no %s in %q", what, line)
		}
		if c, ok := cols[what]; ok && c != at {
			t.Errorf("%s at column %d, not %d: %q", what, at, c, line)
		}
		cols[what] = at
	}
	var settings, commands int
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "  CAMBISTA_"):
			settings++
			same("flag", line, strings.Index(line, " --")+1)
			same("default", line, strings.Index(line, " default ")+1)
		case strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   "):
			commands++
			m := command.FindStringIndex(line)
			if m == nil {
				t.Fatalf("a command line without a description: %q", line)
			}
			same("description", line, m[1])
		}
	}
	if settings < 20 || commands < 10 {
		t.Fatalf("%d settings and %d commands in:\n%s", settings, commands, out)
	}
}
