package loadtest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"text/template"
	"time"

	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/store"
)

// Logs is a process's output, safe to write from its goroutines while
// another reads it, and waited on for a line.
type Logs struct {
	mu      sync.Mutex
	b       bytes.Buffer
	changed chan struct{} // closed and replaced by every write
}

func (l *Logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.changed != nil {
		close(l.changed)
		l.changed = nil
	}
	return l.b.Write(p)
}

// WaitFor waits until the logs hold text, or ctx ends.
func (l *Logs) WaitFor(ctx context.Context, text string) error {
	for {
		l.mu.Lock()
		found := strings.Contains(l.b.String(), text)
		if l.changed == nil {
			l.changed = make(chan struct{})
		}
		changed := l.changed
		l.mu.Unlock()
		if found {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %q: %w", text, ctx.Err())
		case <-changed:
		}
	}
}

func (l *Logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Process is a process of the stack and its output.
type Process struct {
	Cmd  *exec.Cmd
	Logs *Logs
	// URL is where a cambista process serves HTTP (http://host:port), as
	// its log says; empty for the others.
	URL  string
	done chan struct{} // closed once the process has exited
}

var listening = regexp.MustCompile(`"message":"listening".*?"addr":"(http://[^"]+)"`)

// startProcess starts name with args and env and, unless ready is empty,
// waits until its logs hold ready.
func startProcess(ctx context.Context, env []string, ready, name string, args ...string) (*Process, error) {
	p := &Process{Cmd: exec.Command(name, args...), Logs: &Logs{}, done: make(chan struct{})}
	p.Cmd.Env = env
	p.Cmd.Stdout, p.Cmd.Stderr = p.Logs, p.Logs
	// A group of its own, which Kill and Stop signal whole: nginx's
	// workers die with their master, as in a container.
	p.Cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := p.Cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		p.Cmd.Wait()
		close(p.done)
	}()
	if ready == "" {
		return p, nil
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	go func() {
		// A process that dies before it is ready ends the wait.
		select {
		case <-p.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	if err := p.Logs.WaitFor(ctx, ready); err != nil {
		p.Kill()
		return nil, fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, p.Logs)
	}
	if m := listening.FindStringSubmatch(p.Logs.String()); m != nil {
		p.URL = m[1]
	}
	return p, nil
}

// Kill kills the process and its children (SIGKILL) and waits for it.
func (p *Process) Kill() { p.signal(syscall.SIGKILL) }

// Stop asks the process and its children to stop (SIGTERM) and waits for
// it.
func (p *Process) Stop() { p.signal(syscall.SIGTERM) }

// Exited reports whether the process has exited.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

func (p *Process) signal(sig syscall.Signal) {
	if !p.Exited() {
		syscall.Kill(-p.Cmd.Process.Pid, sig)
	}
	<-p.done
}

// Stack is cambista's processes for a load: replicas of "cambista serve"
// answering interactions in http mode, "cambista worker" processes, and
// nginx in front of the replicas, all on loopback and one database, with
// a fake Discord.
type Stack struct {
	Bin  string // the cambista binary
	DSN  string // the database, migrated, with the business set up
	Fake *discordtest.Server
	// Key signs the interactions; the replicas verify them with its
	// public half.
	Key      ed25519.PrivateKey
	Replicas int
	Workers  int
	// Nginx is the nginx binary and NginxConf the template of its
	// configuration (deploy/nginx/replicas.conf); without Nginx the load
	// goes to the one replica.
	Nginx, NginxConf string
	// Dir holds nginx's configuration, pid and logs.
	Dir string
	// Env are more settings for every cambista process.
	Env []string

	Serve  []*Process
	Work   []*Process
	Proxy  *Process
	URL    string // where requests go: nginx, or the one replica
	listen string // nginx's address, kept when it starts again
	nginxN int    // how many times nginx was started, for its files' names
}

// Environ is the environment of the stack's cambista processes; name,
// when not empty, is given to PostgreSQL as the connections'
// application_name, so that pg_stat_activity tells the processes apart.
func (s *Stack) Environ(name string) []string {
	dsn := s.DSN
	if u, err := url.Parse(dsn); err == nil && name != "" && store.IsPostgres(dsn) {
		q := u.Query()
		q.Set("application_name", name)
		u.RawQuery = q.Encode()
		dsn = u.String()
	}
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"CAMBISTA_DB=" + dsn,
		"CAMBISTA_HTTP_ADDR=127.0.0.1:0",
		"CAMBISTA_LOG_LEVEL=info",
		"CAMBISTA_BOOTSTRAP_SUPERUSER=" + string(Superuser),
		"CAMBISTA_DISCORD_TOKEN=" + discordtest.Token,
		"CAMBISTA_DISCORD_APP_ID=" + discordtest.AppID,
		"CAMBISTA_DISCORD_GUILD_ID=" + discordtest.GuildID,
		"CAMBISTA_DISCORD_API_URL=" + s.Fake.APIURL(),
		"CAMBISTA_DISCORD_MODE=http",
		"CAMBISTA_DISCORD_PUBLIC_KEY=" + hex.EncodeToString(s.Key.Public().(ed25519.PublicKey)),
		// nginx, on loopback, is the trusted proxy.
		"CAMBISTA_TRUSTED_PROXIES=127.0.0.1",
	}
	return append(env, s.Env...)
}

// Start starts the replicas, the workers and nginx, and waits until each
// is ready. On an error, what started is stopped.
func (s *Stack) Start(ctx context.Context) error {
	if s.Replicas < 1 || (s.Replicas > 1 && s.Nginx == "") {
		return fmt.Errorf("%d replicas: more than one needs nginx", s.Replicas)
	}
	for range s.Replicas {
		if _, err := s.StartReplica(ctx); err != nil {
			s.Close()
			return err
		}
	}
	for range s.Workers {
		if _, err := s.StartWorker(ctx); err != nil {
			s.Close()
			return err
		}
	}
	s.URL = s.Serve[0].URL
	if s.Nginx != "" {
		if err := s.StartNginx(ctx); err != nil {
			s.Close()
			return err
		}
	}
	return nil
}

// StartReplica starts one more "cambista serve" (not behind nginx until
// nginx starts again). Its connections to PostgreSQL are named
// cambista-serve-N, N counting from 0.
func (s *Stack) StartReplica(ctx context.Context) (*Process, error) {
	p, err := startProcess(ctx, s.Environ(fmt.Sprintf("cambista-serve-%d", len(s.Serve))), `"message":"listening"`, s.Bin, "serve")
	if err != nil {
		return nil, err
	}
	s.Serve = append(s.Serve, p)
	return p, nil
}

// StartWorker starts one more "cambista worker", its connections named
// cambista-worker-N.
func (s *Stack) StartWorker(ctx context.Context) (*Process, error) {
	p, err := startProcess(ctx, s.Environ(fmt.Sprintf("cambista-worker-%d", len(s.Work))), `"message":"delivering the outbox"`, s.Bin, "worker")
	if err != nil {
		return nil, err
	}
	s.Work = append(s.Work, p)
	return p, nil
}

// nginxConf is what the template of nginx's configuration is given.
type nginxConf struct {
	Dir      string   // nginx's prefix: its pid, logs and temporary files
	Listen   string   // host:port
	Replicas []string // host:port of each replica
	Root     bool     // nginx runs as root, so its workers must be told to stay root to reach Dir
}

// StartNginx starts nginx in front of the replicas alive, on a free
// loopback port (the one it had, when it starts again), and waits until it
// passes requests to them.
func (s *Stack) StartNginx(ctx context.Context) error {
	tmpl, err := template.ParseFiles(s.NginxConf)
	if err != nil {
		return err
	}
	if s.listen == "" {
		port, err := freePort()
		if err != nil {
			return err
		}
		s.listen = "127.0.0.1:" + port
	}
	s.nginxN++
	dir := filepath.Join(s.Dir, fmt.Sprintf("nginx%d", s.nginxN))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	c := nginxConf{Dir: dir, Listen: s.listen, Root: os.Geteuid() == 0}
	for _, p := range s.Serve {
		if !p.Exited() {
			c.Replicas = append(c.Replicas, strings.TrimPrefix(p.URL, "http://"))
		}
	}
	var conf bytes.Buffer
	if err := tmpl.Execute(&conf, c); err != nil {
		return err
	}
	file := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(file, conf.Bytes(), 0o600); err != nil {
		return err
	}
	p, err := startProcess(ctx, nil, "", s.Nginx, "-p", dir, "-e", filepath.Join(dir, "error.log"), "-c", file)
	if err != nil {
		return err
	}
	s.Proxy = p
	s.URL = "http://" + c.Listen
	// Ready once nginx answers from a replica.
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		resp, err := http.Get(s.URL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			return fmt.Errorf("nginx not ready: %v\n%s%s", err, p.Logs, log)
		case <-p.done:
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			return fmt.Errorf("nginx exited: %s%s", p.Logs, log)
		case <-tick.C:
		}
	}
}

// freePort returns a loopback port nothing listens on.
func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	_, port, err := net.SplitHostPort(l.Addr().String())
	return port, err
}

// Close stops nginx, then the replicas and the workers.
func (s *Stack) Close() {
	if s.Proxy != nil {
		s.Proxy.Stop()
	}
	var wg sync.WaitGroup
	for _, p := range append(append([]*Process(nil), s.Serve...), s.Work...) {
		wg.Go(p.Stop)
	}
	wg.Wait()
}

// Driver returns a driver of interactions through the stack.
func (s *Stack) Driver() *Driver {
	return &Driver{URL: s.URL + "/discord/interactions", Key: s.Key, Fake: s.Fake}
}
