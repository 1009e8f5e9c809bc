package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/loadtest"
	"github.com/cambista/cambista/store"
)

// loadFlags are the settings of "cambista loadtest".
type loadFlags struct {
	db        string
	target    string
	key       string
	discord   string
	clients   []int
	cashiers  int
	duration  time.Duration
	replicas  int
	workers   int
	nginx     string
	nginxConf string
	limits    bool
	keep      bool
}

const loadUsage = `Usage: cambista loadtest [flags]

Runs transfer lifecycles (/send, its confirmation and form, the cashier's
take and completion) through signed HTTP interactions and prints
lifecycles per second, interaction latency and notice latency.

By default it starts the stack itself on loopback: -replicas "cambista serve"
processes in http mode and -workers "cambista worker" processes on a new
schema of the PostgreSQL database -db (dropped at the end unless -keep),
behind nginx (-nginx, configured from -nginx-conf), and a fake Discord in
this process, which receives every REST call and so measures each notice.

With -target it drives a serve started by hand instead, on the empty
database -db that it sets up: it prints the settings to start that serve
with (its fake Discord's address, -discord-addr, and the public half of the
signing key -key, made for the run if not given) and waits until the serve
is ready. A serve that talks to another Discord is driven too, without
notice figures. See docs/scaling.md.

Flags:
`

// parseLoadFlags reads the flags of "cambista loadtest".
func parseLoadFlags(args []string, getenv func(string) string, stderr io.Writer) (*loadFlags, error) {
	f := &loadFlags{}
	fs := flag.NewFlagSet("cambista loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, loadUsage)
		fs.PrintDefaults()
	}
	var clients string
	fs.StringVar(&f.db, "db", "", "PostgreSQL URL (postgres://…); default CAMBISTA_DB")
	fs.StringVar(&f.target, "target", "", "base URL of a running serve (http://host:port) to drive instead of starting the stack")
	fs.StringVar(&f.key, "key", "", "with -target: the Ed25519 private key (hex, 32-byte seed or 64-byte key) that signs the interactions; made for the run when empty")
	fs.StringVar(&f.discord, "discord-addr", "127.0.0.1:0", "host:port of the fake Discord (with -target, where the serve's CAMBISTA_DISCORD_API_URL points)")
	fs.StringVar(&clients, "clients", "8,32", "comma-separated numbers of concurrent clients, one measurement each")
	fs.IntVar(&f.cashiers, "cashiers", 1, "cashiers, each with a batch of its own, among whom the clients' transfers are shared")
	fs.DurationVar(&f.duration, "duration", 10*time.Second, "how long each measurement runs lifecycles")
	fs.IntVar(&f.replicas, "replicas", 1, "serve replicas to start")
	fs.IntVar(&f.workers, "workers", 0, "worker processes to start")
	fs.StringVar(&f.nginx, "nginx", "/usr/sbin/nginx", "nginx binary in front of the replicas; empty for none (one replica)")
	fs.StringVar(&f.nginxConf, "nginx-conf", "deploy/nginx/replicas.conf", "template of nginx's configuration")
	fs.BoolVar(&f.limits, "limits", false, "the fake Discord enforces Discord's rate limits (and the processes keep their REST budget)")
	fs.BoolVar(&f.keep, "keep", false, "keep the schema the stack ran on")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if f.db == "" {
		f.db = getenv("CAMBISTA_DB")
	}
	if !store.IsPostgres(f.db) {
		return nil, fmt.Errorf("-db %q: expected a PostgreSQL URL, postgres://user:password@host:5432/dbname (or set CAMBISTA_DB)", redactURL(f.db))
	}
	for _, c := range strings.Split(clients, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-clients %q: expected positive numbers separated by commas, such as 8,32", clients)
		}
		f.clients = append(f.clients, n)
	}
	if f.cashiers < 1 {
		return nil, fmt.Errorf("-cashiers %d: expected at least one", f.cashiers)
	}
	if f.duration <= 0 {
		return nil, fmt.Errorf("-duration %v: expected a positive duration such as 10s", f.duration)
	}
	if f.target != "" {
		if u, err := url.Parse(f.target); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("-target %q: expected the serve's base URL, such as http://127.0.0.1:8080", f.target)
		}
		if f.key != "" {
			if _, err := signingKey(f.key); err != nil {
				return nil, err
			}
		}
		return f, nil
	}
	if f.replicas < 1 || f.workers < 0 {
		return nil, fmt.Errorf("-replicas %d -workers %d: expected at least one replica and no negative number of workers", f.replicas, f.workers)
	}
	if f.nginx == "" && f.replicas > 1 {
		return nil, fmt.Errorf("-replicas %d needs nginx in front (-nginx)", f.replicas)
	}
	return f, nil
}

// signingKey decodes -key: a 32-byte seed or a 64-byte private key, in hex.
func signingKey(text string) (ed25519.PrivateKey, error) {
	b, err := hex.DecodeString(strings.TrimSpace(text))
	switch {
	case err == nil && len(b) == ed25519.SeedSize:
		return ed25519.NewKeyFromSeed(b), nil
	case err == nil && len(b) == ed25519.PrivateKeySize:
		return ed25519.PrivateKey(b), nil
	}
	return nil, errors.New("-key: expected the Ed25519 private key that signs interactions, 64 or 128 hexadecimal characters")
}

// loadTest runs "cambista loadtest" and returns its exit code.
func loadTest(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	f, err := parseLoadFlags(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "cambista loadtest:", err)
		return 2
	}
	if err := f.run(ctx, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "cambista loadtest:", err)
		return 1
	}
	return 0
}

func (f *loadFlags) run(ctx context.Context, stdout, stderr io.Writer) error {
	most := 0
	for _, n := range f.clients {
		most = max(most, n)
	}
	var opts []discordtest.Option
	if f.limits {
		opts = append(opts, discordtest.WithRateLimits(discordtest.DiscordLimits))
	}
	l, err := net.Listen("tcp", f.discord)
	if err != nil {
		return fmt.Errorf("-discord-addr: %w", err)
	}
	fake := discordtest.Start(append(opts, discordtest.WithListener(l))...)
	defer fake.Close()

	dsn := f.db
	if f.target == "" {
		schema, err := newSchema(ctx, f.db, f.keep, stderr)
		if err != nil {
			return err
		}
		defer schema.drop()
		dsn = schema.dsn
	}
	st, biz, err := loadtest.Prepare(ctx, dsn, most, f.cashiers)
	if err != nil {
		return err
	}
	defer st.Close()

	var key ed25519.PrivateKey
	if f.key != "" {
		key, _ = signingKey(f.key)
	} else if _, key, err = ed25519.GenerateKey(nil); err != nil {
		return err
	}
	var d *loadtest.Driver
	if f.target == "" {
		s, err := f.startStack(ctx, dsn, fake, key, stderr)
		if err != nil {
			return err
		}
		defer os.RemoveAll(s.Dir)
		defer s.Close()
		d = s.Driver()
	} else {
		if err := f.awaitTarget(ctx, fake, key, stderr); err != nil {
			return err
		}
		d = &loadtest.Driver{URL: strings.TrimRight(f.target, "/") + "/discord/interactions", Key: key, Fake: fake}
	}
	d.Cashiers = biz.Cashiers
	// Notices are measured when the serve talks to this fake, as it says
	// by registering its commands there at start.
	measured := len(fake.CallsTo(http.MethodPut, "/applications/")) > 0
	if measured {
		// The setup's notices first.
		if err := loadtest.Drain(ctx, st.DB(), time.Minute); err != nil {
			return err
		}
	}

	// Each row as soon as it is measured, in columns of fixed width.
	const row = "%7v  %10v  %12v  %15v  %15v  %10v  %10v  %20v\n"
	fmt.Fprintf(stdout, row, "clients", "lifecycles", "lifecycles/s", "interaction p50", "interaction p99", "notice p50", "notice p99", "REST calls/lifecycle")
	for _, n := range f.clients {
		run := d.Loop(ctx, biz.Clients[:n], f.duration, 0)
		if len(run.Failed) > 0 {
			return fmt.Errorf("%d clients: %w", n, run.Failed[0])
		}
		notice50, notice99, calls := "-", "-", "-"
		if measured {
			if err := loadtest.Drain(ctx, st.DB(), 5*time.Minute); err != nil {
				return err
			}
			lat, err := loadtest.NoticeLatencies(fake, run.Steps)
			if err != nil {
				return err
			}
			notice50, notice99 = millis(loadtest.Pct(lat, 50)), millis(loadtest.Pct(lat, 99))
			calls = fmt.Sprintf("%.2f", float64(loadtest.RESTCalls(fake, run.Start))/float64(run.Lifecycles))
		}
		fmt.Fprintf(stdout, row, n, run.Lifecycles, fmt.Sprintf("%.1f", run.PerSecond()),
			millis(loadtest.Pct(run.Interactions, 50)), millis(loadtest.Pct(run.Interactions, 99)), notice50, notice99, calls)
	}
	return nil
}

// startStack starts the replicas, workers and nginx on dsn.
func (f *loadFlags) startStack(ctx context.Context, dsn string, fake *discordtest.Server, key ed25519.PrivateKey, stderr io.Writer) (*loadtest.Stack, error) {
	bin, err := os.Executable()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "cambista-loadtest-")
	if err != nil {
		return nil, err
	}
	s := &loadtest.Stack{Bin: bin, DSN: dsn, Fake: fake, Key: key, Replicas: f.replicas, Workers: f.workers,
		Nginx: f.nginx, Dir: dir}
	if !f.limits {
		// Without Discord's limits, nor the processes' budget for them.
		s.Env = []string{"CAMBISTA_DISCORD_REST_BUDGET=1000"}
	}
	if s.NginxConf, err = filepath.Abs(f.nginxConf); err != nil {
		return nil, err
	}
	fmt.Fprintf(stderr, "starting %d serve replicas and %d workers (nginx: %q)\n", f.replicas, f.workers, f.nginx)
	if err := s.Start(ctx); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

// awaitTarget says how to start the serve to drive, and waits until it is
// ready.
func (f *loadFlags) awaitTarget(ctx context.Context, fake *discordtest.Server, key ed25519.PrivateKey, stderr io.Writer) error {
	budget := " CAMBISTA_DISCORD_REST_BUDGET=1000"
	if f.limits {
		budget = ""
	}
	fmt.Fprintf(stderr, "waiting for serve at %s; start it with\n\n"+
		"  CAMBISTA_DB='%s' CAMBISTA_HTTP_ADDR=%s CAMBISTA_DISCORD_MODE=http CAMBISTA_DISCORD_API_URL=%s"+
		" CAMBISTA_DISCORD_TOKEN=%s CAMBISTA_DISCORD_APP_ID=%s CAMBISTA_DISCORD_GUILD_ID=%s"+
		" CAMBISTA_DISCORD_PUBLIC_KEY=%s CAMBISTA_BOOTSTRAP_SUPERUSER=%s%s cambista serve\n\n",
		f.target, redactURL(f.db), strings.TrimPrefix(strings.TrimPrefix(f.target, "http://"), "https://"), fake.APIURL(),
		discordtest.Token, discordtest.AppID, discordtest.GuildID, hex.EncodeToString(key.Public().(ed25519.PublicKey)),
		loadtest.Superuser, budget)
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if resp, err := http.Get(strings.TrimRight(f.target, "/") + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("serve at %s not ready: %w", f.target, ctx.Err())
		case <-tick.C:
		}
	}
}

func millis(d time.Duration) string {
	return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
}

// schema is a PostgreSQL schema of the load's own.
type schema struct {
	admin *sql.DB
	name  string
	dsn   string // the database URL whose connections use it
	keep  bool
	log   io.Writer
}

// newSchema creates a schema in the database at base, named
// cambista_load_ and random hex.
func newSchema(ctx context.Context, base string, keep bool, log io.Writer) (*schema, error) {
	var b [6]byte
	rand.Read(b[:])
	s := &schema{name: "cambista_load_" + hex.EncodeToString(b[:]), keep: keep, log: log}
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	if s.admin, err = sql.Open("pgx", base); err != nil {
		return nil, err
	}
	if _, err := s.admin.ExecContext(ctx, "CREATE SCHEMA "+s.name); err != nil {
		s.admin.Close()
		return nil, fmt.Errorf("create schema: %w", err)
	}
	q := u.Query()
	q.Set("search_path", s.name)
	u.RawQuery = q.Encode()
	s.dsn = u.String()
	return s, nil
}

func (s *schema) drop() {
	defer s.admin.Close()
	if s.keep {
		fmt.Fprintf(s.log, "kept schema %s\n", s.name)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := s.admin.ExecContext(ctx, "DROP SCHEMA "+s.name+" CASCADE"); err != nil {
		fmt.Fprintf(s.log, "drop schema %s: %v\n", s.name, err)
	}
}
