package main

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/loadtest"
)

// pgBin returns the directory of Debian's PostgreSQL programs (the
// newest version installed), which start a cluster of the test's own: the
// shared one must not be restarted under other tests. "" when there is
// none.
func pgBin() string {
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	slices.SortFunc(found, func(a, b string) int {
		va, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(a))))
		vb, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(b))))
		return va - vb
	})
	if len(found) == 0 {
		return ""
	}
	return filepath.Dir(found[len(found)-1])
}

// privateCluster starts a throwaway PostgreSQL cluster on a free loopback
// port, in a temporary directory, and returns its URL and pg_ctl on it.
// As root, the cluster runs as the postgres user (initdb refuses root).
func privateCluster(t *testing.T) (string, func(args ...string)) {
	t.Helper()
	bin := pgBin()
	if bin == "" {
		t.Skip("PostgreSQL restart test skipped: no /usr/lib/postgresql/*/bin/initdb (Debian's postgresql)")
	}
	dir, err := os.MkdirTemp("", "cambista-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skipf("PostgreSQL restart test skipped: running as root without a postgres user to run the cluster as")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	data := filepath.Join(dir, "data")
	run := func(name string, args ...string) {
		t.Helper()
		cmd := exec.Command(filepath.Join(bin, name), args...)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
	}
	run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "--no-sync")
	pgctl := func(args ...string) {
		t.Helper()
		run("pg_ctl", append([]string{"-D", data, "-w", "-l", filepath.Join(dir, "log"),
			"-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"}, args...)...)
	}
	pgctl("start")
	t.Cleanup(func() { pgctl("-m", "immediate", "stop") })
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%s/postgres?sslmode=disable", port), pgctl
}

// TestPostgresRestart restarts PostgreSQL under load: "cambista serve"
// says not ready while the database is down, and serve and a worker
// reconnect by themselves once it is back; the books and the audit chain
// hold.
func TestPostgresRestart(t *testing.T) {
	dsn, pgctl := privateCluster(t)
	ctx := t.Context()
	st, biz, err := loadtest.Prepare(ctx, dsn, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	_, key, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &loadtest.Stack{Bin: buildBinary(t), DSN: dsn, Fake: discordtest.New(t), Key: key, Replicas: 1, Workers: 1,
		Env: []string{"CAMBISTA_DISCORD_REST_BUDGET=1000"}}
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	ready := func() bool {
		resp, err := http.Get(s.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}
	completed := func() int {
		var n int
		// The test's own connections reconnect too; meanwhile, none.
		st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM transfers WHERE status = 'completed'`).Scan(&n)
		return n
	}

	// Lifecycles go on throughout; those the restart cuts fail.
	loadCtx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()
	ended := make(chan *loadtest.Run, 1)
	go func() { ended <- s.Driver().Loop(loadCtx, biz.Clients, 2*time.Minute, 1<<30) }()
	waitFor(t, func() bool { return completed() >= 5 })

	pgctl("-m", "fast", "stop")
	waitFor(t, func() bool { return !ready() })
	pgctl("start")
	waitFor(t, ready)
	before := completed()
	waitFor(t, func() bool { return completed() >= before+10 })
	stopLoad()
	run := <-ended
	t.Logf("%d lifecycles completed, %d cut by the restart", run.Lifecycles, len(run.Failed))
	if err := loadtest.Drain(ctx, st.DB(), time.Minute); err != nil {
		t.Fatalf("%v\nserve:\n%s\nworker:\n%s", err, s.Serve[0].Logs, s.Work[0].Logs)
	}
	for _, check := range [][]string{{"ledger", "check"}, {"audit", "verify"}} {
		cmd := exec.CommandContext(ctx, s.Bin, check...)
		cmd.Env = s.Environ("")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("cambista %s %s: %v\n%s", check[0], check[1], err, out)
		}
	}

	// The worker reconnected too: with serve stopped, it alone posts the
	// card of a new transfer.
	s.Serve[0].Stop()
	if s.Work[0].Exited() {
		t.Fatalf("the worker exited:\n%s", s.Work[0].Logs)
	}
	svc := app.New(st, app.Config{Bootstrap: []cambista.UserID{loadtest.Superuser}})
	client, err := svc.Actor(ctx, biz.Clients[0], "")
	if err != nil {
		t.Fatal(err)
	}
	as := cambista.WithActor(ctx, client)
	q, err := svc.Quote(as, "", app.QuoteRequest{Amount: "100", From: "USD", To: "VES", FromCountry: "US"})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := svc.CreateTransfer(as, "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: cambista.Beneficiary{
		Name: "María Pérez", Bank: "Banesco", AccountNumber: "0134-0000-1234567890", DocumentID: "V-12345678"}})
	if err != nil {
		t.Fatal(err)
	}
	posted := func() bool {
		_, ok := loadtest.CallTimes(s.Fake, time.Time{})[strconv.FormatInt(int64(tr.ID), 10)]
		return ok
	}
	if err := s.Fake.Wait(ctx, posted); err != nil {
		t.Fatalf("the worker did not post transfer %d's card: %v\n%s", tr.ID, err, s.Work[0].Logs)
	}
}
