package main

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/loadtest"
	"github.com/cambista/cambista/store/storetest"
)

// nginxBin is Debian's nginx, which the replicas tests put in front.
const nginxBin = "/usr/sbin/nginx"

// binDir holds the cambista binary that the tests which run it share;
// TestMain removes it.
var binDir string

// buildBinary returns the cambista binary, built once for the tests that
// run it.
func buildBinary(tb testing.TB) string {
	tb.Helper()
	bin, err := built()
	if err != nil {
		tb.Fatal(err)
	}
	return bin
}

var built = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "cambista-test-bin-")
	if err != nil {
		return "", err
	}
	binDir = dir
	bin := filepath.Join(dir, "cambista")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// replicas starts three "cambista serve" replicas in http mode and two
// "cambista worker" processes on one PostgreSQL schema, behind nginx with
// deploy/nginx/replicas.conf, against a fake Discord, with the load's
// business set up for clients.
func replicas(t *testing.T, clients int) (*loadtest.Stack, *sql.DB, []cambista.UserID) {
	t.Helper()
	if _, err := os.Stat(nginxBin); err != nil {
		t.Skipf("replicas tests skipped: no nginx at %s (Debian's nginx package)", nginxBin)
	}
	dsn := storetest.PostgresSchema(t)
	ctx := t.Context()
	st, biz, err := loadtest.Prepare(ctx, dsn, clients, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	_, key, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &loadtest.Stack{Bin: buildBinary(t), DSN: dsn, Fake: discordtest.New(t), Key: key,
		Replicas: 3, Workers: 2, Nginx: nginxBin, NginxConf: "../../deploy/nginx/replicas.conf", Dir: t.TempDir(),
		Env: []string{"CAMBISTA_DISCORD_REST_BUDGET=1000"}}
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if err := loadtest.Drain(ctx, st.DB(), time.Minute); err != nil {
		t.Fatal(err)
	}
	return s, st.DB(), biz.Clients
}

// TestReplicas: three replicas and two workers behind nginx. The login
// rate limit is one for all replicas, keyed on the client nginx names.
// A replica killed (SIGKILL) while interactions wait in it, and then nginx
// killed likewise and started again: the interactions that got no answer
// (nginx's 502, a connection cut) are sent again with the same ID, as
// Discord retries, and take effect once; nothing acknowledged is lost, the
// books and the audit chain hold, and notices go on within 5 seconds.
func TestReplicas(t *testing.T) {
	s, db, clients := replicas(t, 8)
	ctx := t.Context()

	t.Run("LoginLimitShared", func(t *testing.T) {
		attempt := func(base, forwardedFor string) int {
			t.Helper()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/auth/login", nil)
			if forwardedFor != "" {
				req.Header.Set("X-Forwarded-For", forwardedFor)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		// Ten attempts a minute per client: five through replica 0 and
		// five through replica 1, each from nginx's address, which the
		// replicas trust, naming the client 203.0.113.7.
		for i := range 10 {
			if code := attempt(s.Serve[i%2].URL, "203.0.113.7"); code == http.StatusTooManyRequests {
				t.Fatalf("attempt %d refused", i+1)
			}
		}
		// The eleventh, through nginx, which appends the address it was
		// reached from: refused, whichever replica takes it.
		for range 3 {
			if code := attempt(s.URL, "203.0.113.7"); code != http.StatusTooManyRequests {
				t.Fatalf("eleventh attempt through nginx: %d, want 429", code)
			}
		}
		// Another client, through nginx, has attempts of its own.
		if code := attempt(s.URL, "203.0.113.8"); code == http.StatusTooManyRequests {
			t.Fatal("another client refused")
		}
	})

	t.Run("ReplicaKilled", func(t *testing.T) {
		killMidLoad(t, s, db, clients, func(victim string) {
			for i, p := range s.Serve {
				if victim == "cambista-serve-"+strconv.Itoa(i) {
					p.Kill()
				}
			}
		})
	})

	t.Run("NginxKilled", func(t *testing.T) {
		killMidLoad(t, s, db, clients, func(string) {
			s.Proxy.Kill()
			// Started again, as its supervisor would, on the same port.
			if err := s.StartNginx(ctx); err != nil {
				t.Fatal(err)
			}
		})
	})
}

// killMidLoad runs lifecycles through the stack and, once some have
// completed, holds the cashier's batch (which every take and completion
// locks) until interactions wait for it in a replica, calls kill with that
// replica's name (cambista-serve-N), and lets the batch go. The load goes
// on until ten more lifecycles complete. Interactions that got no answer
// are sent again with the same ID; every lifecycle must complete, each
// transfer once, with one card; the ledger and the audit chain must check;
// and every step must be announced within 5 seconds of itself or of the
// kill, whichever came later.
func killMidLoad(t *testing.T, s *loadtest.Stack, db *sql.DB, clients []cambista.UserID, kill func(victim string)) {
	ctx := t.Context()
	d := s.Driver()
	d.Retries = 50
	shownBefore := len(loadtest.Shown(s.Fake))
	var transfersBefore int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM transfers`).Scan(&transfersBefore); err != nil {
		t.Fatal(err)
	}
	loadCtx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()
	var run *loadtest.Run
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		run = d.Loop(loadCtx, clients, 2*time.Minute, 0)
	}()
	// The load, or its end at the first lifecycle that fails.
	going := func(cond func() bool) func() bool {
		return func() bool {
			select {
			case <-ended:
				return true
			default:
				return cond()
			}
		}
	}
	completed := func() int {
		var n int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM transfers WHERE status = 'completed'`).Scan(&n); err != nil {
			t.Error(err)
		}
		return n
	}
	start := completed()
	waitFor(t, going(func() bool { return completed() >= start+10 }))

	lock, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	tx, err := lock.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var holder int
	if err := tx.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&holder); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `SELECT id FROM batches WHERE cashier_id = $1 FOR UPDATE`, string(loadtest.Cashier)); err != nil {
		t.Fatal(err)
	}
	var victim string
	waitFor(t, going(func() bool {
		err := db.QueryRowContext(ctx, `SELECT application_name FROM pg_stat_activity
			WHERE $1 = ANY(pg_blocking_pids(pid)) AND application_name LIKE 'cambista-serve-%' LIMIT 1`, holder).Scan(&victim)
		return err == nil
	}))
	kill(victim)
	killed := time.Now()
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	after := completed()
	waitFor(t, going(func() bool { return completed() >= after+10 }))
	stopLoad()
	<-ended
	if len(run.Failed) > 0 {
		t.Fatalf("%d lifecycles failed, the first: %v", len(run.Failed), run.Failed[0])
	}
	if d.Retried() == 0 {
		t.Fatal("no interaction was sent again: none was in flight at the kill")
	}
	t.Logf("%d lifecycles, %d interactions sent again", run.Lifecycles, d.Retried())
	if err := loadtest.Drain(ctx, db, time.Minute); err != nil {
		t.Fatal(err)
	}

	// Each lifecycle made one transfer, completed once, shown in one
	// message (its card, or a line of a queue card).
	var transfers, done int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(*) FILTER (WHERE status = 'completed') FROM transfers`).Scan(&transfers, &done); err != nil {
		t.Fatal(err)
	}
	if transfers-transfersBefore != run.Lifecycles || done-transfersBefore != run.Lifecycles {
		t.Fatalf("%d transfers, %d completed, after %d lifecycles", transfers-transfersBefore, done-transfersBefore, run.Lifecycles)
	}
	shown := loadtest.Shown(s.Fake)
	if n := len(shown) - shownBefore; n != run.Lifecycles {
		t.Fatalf("%d transfers shown in cards for %d transfers", n, run.Lifecycles)
	}
	for tr, n := range shown {
		if n != 1 {
			t.Fatalf("transfer %s shown in %d messages, want one", tr, n)
		}
	}
	for _, check := range [][]string{{"ledger", "check"}, {"audit", "verify"}} {
		cmd := exec.CommandContext(ctx, s.Bin, check...)
		cmd.Env = s.Environ("")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("cambista %s %s: %v\n%s", check[0], check[1], err, out)
		}
	}
	// Every step was announced, within 5 s of the step or of the kill,
	// whichever came later: what the dead process had claimed too.
	lat, err := loadtest.NoticeLatencies(s.Fake, run.Steps)
	if err != nil {
		t.Fatal(err)
	}
	var worst time.Duration
	for i, st := range run.Steps {
		due := st.At
		if killed.After(due) {
			due = killed
		}
		late := st.At.Add(lat[i]).Sub(due)
		worst = max(worst, late)
		if late > 5*time.Second {
			t.Errorf("transfer %s: notice %v after its step, %v after the kill", st.Transfer, lat[i], st.At.Add(lat[i]).Sub(killed))
		}
	}
	t.Logf("notices at most %v after their step or the kill", worst)
}

// waitFor waits, for at most a minute, until cond holds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within a minute")
		}
		<-tick.C
	}
}

// TestLoadTestCommand runs "cambista loadtest" on one replica without
// nginx for a moment, and checks that it prints the figures.
func TestLoadTestCommand(t *testing.T) {
	dsn := storetest.PostgresSchema(t)
	cmd := exec.CommandContext(t.Context(), buildBinary(t), "loadtest", "-db", dsn, "-nginx", "", "-clients", "1,2", "-duration", "1s")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("cambista loadtest: %v\n%s", err, out)
	}
	figures := regexp.MustCompile(`(?m)^ +2 +\d+ +[\d.]+ +\d+ ms +\d+ ms +\d+ ms +\d+ ms +[\d.]+$`)
	if !strings.Contains(string(out), "lifecycles/s") || !figures.Match(out) {
		t.Fatalf("no figures for 2 clients:\n%s", out)
	}
}

func TestLoadTestFlags(t *testing.T) {
	pg := "postgres://postgres@127.0.0.1:5432/test"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-db", "cambista.db"}, "-db"},
		{[]string{"-db", pg, "-clients", "8,x"}, "-clients"},
		{[]string{"-db", pg, "-replicas", "3", "-nginx", ""}, "needs nginx"},
		{[]string{"-db", pg, "-target", "127.0.0.1:8080", "-key", strings.Repeat("ab", 32)}, "-target"},
		{[]string{"-db", pg, "-target", "http://127.0.0.1:8080", "-key", "abc"}, "-key"},
	} {
		code, _, stderr := cli(t, nil, append([]string{"loadtest"}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 naming %s", tc.args, code, stderr, tc.want)
		}
	}
}

// TestLoadTestTarget runs "cambista loadtest -target", starts the serve
// it asks for with the settings it prints, and checks that it drives it
// and measures its notices.
func TestLoadTestTarget(t *testing.T) {
	dsn := storetest.PostgresSchema(t)
	bin := buildBinary(t)
	ports := make([]string, 2)
	for i := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ports[i] = strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
		l.Close()
	}
	logs := &syncBuffer{}
	load := exec.CommandContext(t.Context(), bin, "loadtest", "-db", dsn, "-target", "http://127.0.0.1:"+ports[0],
		"-discord-addr", "127.0.0.1:"+ports[1], "-clients", "2", "-duration", "1s")
	load.Stdout, load.Stderr = logs, logs
	if err := load.Start(); err != nil {
		t.Fatal(err)
	}
	ended := make(chan error, 1)
	go func() { ended <- load.Wait() }()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if err := logs.WaitFor(ctx, "cambista serve\n"); err != nil {
		t.Fatalf("%v\n%s", err, logs)
	}
	line := regexp.MustCompile(`(?m)^  (CAMBISTA_.*) cambista serve$`).FindStringSubmatch(logs.String())
	if line == nil {
		t.Fatalf("no settings for serve:\n%s", logs)
	}
	serve := exec.CommandContext(t.Context(), bin, "serve")
	serve.Env = []string{"PATH=" + os.Getenv("PATH")}
	for _, kv := range strings.Split(line[1], " ") {
		serve.Env = append(serve.Env, strings.ReplaceAll(kv, "'", ""))
	}
	serveLogs := &syncBuffer{}
	serve.Stdout, serve.Stderr = serveLogs, serveLogs
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		serve.Process.Signal(syscall.SIGTERM)
		serve.Wait()
	})
	if err := <-ended; err != nil {
		t.Fatalf("cambista loadtest: %v\n%s\nserve:\n%s", err, logs, serveLogs)
	}
	figures := regexp.MustCompile(`(?m)^ +2 +\d+ +[\d.]+ +\d+ ms +\d+ ms +\d+ ms +\d+ ms +[\d.]+$`)
	if !figures.MatchString(logs.String()) {
		t.Fatalf("no figures with notices for 2 clients:\n%s", logs)
	}
}
