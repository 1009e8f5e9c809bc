// Package cambistatest builds the cambista binary from the module above
// and runs it, for the checks of deploy/ that need the real program: the
// metrics it exports, the settings it reads.
package cambistatest

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// Root is the cambista module's directory.
func Root(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the source")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Build builds cmd/cambista with the Dockerfile's own build command (its
// line "RUN CGO_ENABLED=0 go build …", with VERSION=test and the output in
// a temporary directory) once per test binary, and returns its path.
func Build(t testing.TB) string {
	t.Helper()
	root := Root(t)
	buildOnce.Do(func() {
		line, err := dockerBuild(filepath.Join(root, "Dockerfile"))
		if err != nil {
			buildErr = err
			return
		}
		dir, err := os.MkdirTemp("", "cambista-bin")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "cambista")
		cmd := exec.Command("sh", "-c", strings.ReplaceAll(line, dockerOut, binary))
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "VERSION=test")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = &buildError{err, line + "\n" + string(out)}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

// dockerOut is where the Dockerfile's build stage writes the binary.
const dockerOut = "/out/cambista"

// dockerBuild returns the Dockerfile's build command.
func dockerBuild(file string) (string, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if cmd, ok := strings.CutPrefix(line, "RUN "); ok && strings.HasPrefix(cmd, "CGO_ENABLED=0 go build ") && strings.Contains(cmd, dockerOut) {
			return cmd, nil
		}
	}
	return "", errors.New(file + " has no line RUN CGO_ENABLED=0 go build … -o " + dockerOut)
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string {
	return "go build ./cmd/cambista: " + e.err.Error() + "\n" + e.out
}

// Serve runs "cambista serve" with env (plus a SQLite file in a temporary
// directory and a free port unless env sets them) and returns the base URL
// it listens on; the test's cleanup stops it with SIGTERM and waits.
func Serve(t testing.TB, env ...string) string {
	t.Helper()
	bin := Build(t)
	cmd := exec.Command(bin, "serve")
	cmd.Env = append([]string{"CAMBISTA_DB=" + filepath.Join(t.TempDir(), "c.db"), "CAMBISTA_HTTP_ADDR=127.0.0.1:0"}, env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	var logs strings.Builder
	var mu sync.Mutex
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			mu.Lock()
			logs.WriteString(sc.Text() + "\n")
			mu.Unlock()
			var line struct {
				Msg  string `json:"message"`
				Addr string `json:"addr"`
			}
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "listening" {
				addr <- line.Addr
			}
		}
		close(addr)
	}()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	})
	select {
	case a, ok := <-addr:
		if !ok {
			mu.Lock()
			defer mu.Unlock()
			t.Fatalf("cambista serve exited before listening:\n%s", logs.String())
		}
		return a
	case <-time.After(2 * time.Minute):
		t.Fatal("cambista serve did not start listening")
	}
	return ""
}
