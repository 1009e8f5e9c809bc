package storetest

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Replicated is a PostgreSQL primary and a streaming replica of it, each a
// cluster of its own in a temporary directory, on free loopback ports.
type Replicated struct {
	// Primary and Replica are the URLs of the two servers' postgres
	// database.
	Primary, Replica string

	bin, dir string
	cred     *syscall.Credential
}

// StartReplicated starts a primary (initdb) and a streaming replica of it
// (pg_basebackup -R), and stops and removes both when the test ends. The
// primary commits synchronously with the replica, waiting until it applied
// each commit (synchronous_commit = remote_apply): a read of the replica
// after a commit sees it, with no waiting in the test. Run as root, the
// servers run as the postgres user, since initdb refuses root. It skips
// the test, visibly, when CAMBISTA_TEST_POSTGRES_URL is unset (the tests
// that use PostgreSQL are off) or the PostgreSQL server binaries are not
// installed.
func StartReplicated(tb testing.TB) *Replicated {
	tb.Helper()
	if !HavePostgres() {
		tb.Skipf("PostgreSQL tests skipped: set %s (for example postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", PostgresEnv)
	}
	r := &Replicated{bin: postgresBin()}
	if r.bin == "" {
		tb.Skip("read replica test skipped: the PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) are not installed; on Debian: apt-get install postgresql")
	}
	dir, err := os.MkdirTemp("", "cambista-replica-")
	if err != nil {
		tb.Fatal(err)
	}
	r.dir = dir
	tb.Cleanup(func() { os.RemoveAll(dir) })
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			tb.Skipf("read replica test skipped: run as root, it needs a postgres user to run the servers as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		r.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			tb.Fatal(err)
		}
	}
	primary, replica := filepath.Join(dir, "primary"), filepath.Join(dir, "replica")
	pport, rport := freePort(tb), freePort(tb)
	r.run(tb, "initdb", "-D", primary, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions")
	// Nothing that writes WAL on its own: an idle primary stays idle.
	r.configure(tb, primary, pport, `wal_level = replica
max_wal_senders = 4
synchronous_standby_names = '*'
synchronous_commit = remote_apply
autovacuum = off
fsync = off
`)
	r.start(tb, primary)
	r.run(tb, "pg_basebackup", "-h", "127.0.0.1", "-p", strconv.Itoa(pport), "-U", "postgres", "-D", replica, "-R", "-X", "stream", "--no-sync")
	r.configure(tb, replica, rport, "hot_standby = on\n")
	r.start(tb, replica)
	r.Primary = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", pport)
	r.Replica = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", rport)
	return r
}

// CaughtUp commits a write on the primary; when it returns, the replica
// has applied it (remote_apply), and so every commit before it. (A
// transaction that writes no WAL before its commit record, such as one
// that only takes a transaction ID, does not wait for the replica.)
func (r *Replicated) CaughtUp(tb testing.TB) {
	tb.Helper()
	Exec(tb, r.Primary, `CREATE TABLE IF NOT EXISTS storetest_caught_up (n BIGINT)`)
	Exec(tb, r.Primary, `INSERT INTO storetest_caught_up VALUES (1)`)
}

// StopReplica stops the replica at once, as if it had died. The primary
// first stops waiting for it on commit, so that it commits alone.
func (r *Replicated) StopReplica(tb testing.TB) {
	tb.Helper()
	Exec(tb, r.Primary, `ALTER SYSTEM SET synchronous_standby_names = ''`)
	Exec(tb, r.Primary, `SELECT pg_reload_conf()`)
	r.run(tb, "pg_ctl", "-D", filepath.Join(r.dir, "replica"), "-m", "immediate", "-w", "stop")
}

// configure sets the cluster in dir to listen on port, on the loopback and
// a socket in its own directory, with the settings in conf.
func (r *Replicated) configure(tb testing.TB, dir string, port int, conf string) {
	tb.Helper()
	f, err := os.OpenFile(filepath.Join(dir, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if _, err := fmt.Fprintf(f, "\nlisten_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = '%s'\n%s", port, dir, conf); err != nil {
		tb.Fatal(err)
	}
}

// start starts the cluster in dir and waits (pg_ctl -w) until it accepts
// connections; the test's end stops it.
func (r *Replicated) start(tb testing.TB, dir string) {
	tb.Helper()
	r.run(tb, "pg_ctl", "-D", dir, "-l", filepath.Join(dir, "server.log"), "-w", "-t", "60", "start")
	tb.Cleanup(func() {
		cmd := r.command("pg_ctl", "-D", dir, "-m", "immediate", "-w", "stop")
		cmd.Run() // the replica may be stopped already
	})
}

func (r *Replicated) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(r.bin, name), args...)
	cmd.Dir = r.dir
	if r.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: r.cred}
	}
	return cmd
}

func (r *Replicated) run(tb testing.TB, name string, args ...string) {
	tb.Helper()
	cmd := r.command(name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		tb.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out.String())
	}
}

// postgresBin finds the directory of PostgreSQL's server binaries: that
// of pg_config, or else the newest under /usr/lib/postgresql (Debian's
// layout); "" when there is none.
func postgresBin() string {
	has := func(dir string) bool {
		for _, name := range []string{"initdb", "pg_ctl", "pg_basebackup"} {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				return false
			}
		}
		return true
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		if dir := strings.TrimSpace(string(out)); has(dir) {
			return dir
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi > vj
	})
	for _, dir := range dirs {
		if has(dir) {
			return dir
		}
	}
	return ""
}

// freePort returns a loopback TCP port that nothing listens on.
func freePort(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Exec runs q on the database at dsn, on a connection of its own that is
// closed after, with the session settings in set (such as
// "synchronous_commit = on") applied first.
func Exec(tb testing.TB, dsn, q string, set ...string) {
	tb.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := db.Conn(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	for _, s := range set {
		if _, err := c.ExecContext(ctx, "SET "+s); err != nil {
			tb.Fatal(err)
		}
	}
	if _, err := c.ExecContext(ctx, q); err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
}
