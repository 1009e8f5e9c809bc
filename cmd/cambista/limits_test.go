package main

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cambista/cambista/web"
)

// closedByServer reads from conn until the server closes it (EOF or a
// reset) and fails if the deadline, far beyond the limit under test,
// passes first.
func closedByServer(t *testing.T, conn net.Conn, what string) {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	_, err := io.Copy(io.Discard, conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("%s: the server still held the connection", what)
	}
}

// TestHTTPLimits: a client that trickles a body or idles on a kept-alive
// connection is cut off, and a body over the limit is refused with 413.
func TestHTTPLimits(t *testing.T) {
	vars := map[string]string{"CAMBISTA_DB": filepath.Join(t.TempDir(), "c.db")}
	limits := web.Limits{ReadHeader: time.Second, Read: time.Second, Write: 5 * time.Second, Idle: time.Second, Body: 1 << 10}
	serveMain(t, vars, limits, func(m *Main) {
		addr := m.Addr.String()

		// A body trickled byte by byte: the read timeout ends it.
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := io.WriteString(conn, "POST /logout HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\na"); err != nil {
			t.Fatal(err)
		}
		closedByServer(t, conn, "trickled body")

		// An idle keep-alive connection: the idle timeout closes it.
		idle, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer idle.Close()
		io.WriteString(idle, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		br := bufio.NewReader(idle)
		res, err := http.ReadResponse(br, nil)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("healthz: %v %v", res, err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		closedByServer(t, idle, "idle keep-alive")

		// A body over the limit.
		big := strings.Repeat("a", 2<<10)
		res, err = http.Post("http://"+addr+"/logout", "application/x-www-form-urlencoded", strings.NewReader(big))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("a %d-byte body: %d, want 413", len(big), res.StatusCode)
		}
	})
	// The defaults are the documented ones, each set.
	d := web.DefaultLimits
	if d.ReadHeader <= 0 || d.Read <= 0 || d.Write <= 0 || d.Idle <= 0 || d.Body <= 0 {
		t.Fatalf("a default limit is unset: %+v", d)
	}
}

// TestMetricsApart: with CAMBISTA_METRICS_ADDR the metrics are served
// there, with the probes, and the public listener answers 404 for them.
func TestMetricsApart(t *testing.T) {
	get := func(url string) (int, string) {
		t.Helper()
		res, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	vars := map[string]string{"CAMBISTA_DB": filepath.Join(t.TempDir(), "c.db"), "CAMBISTA_METRICS_ADDR": "127.0.0.1:0"}
	serveMain(t, vars, web.Limits{}, func(m *Main) {
		public, private := "http://"+m.Addr.String(), "http://"+m.MetricsAddr.String()
		if code, _ := get(public + "/metrics"); code != http.StatusNotFound {
			t.Fatalf("public /metrics: %d, want 404", code)
		}
		if code, body := get(private + "/metrics"); code != http.StatusOK || !strings.Contains(body, "cambista_http_request_duration_seconds") {
			t.Fatalf("metrics listener /metrics: %d", code)
		}
		for _, p := range []string{"/healthz", "/readyz"} {
			if code, _ := get(private + p); code != http.StatusOK {
				t.Fatalf("metrics listener %s: %d", p, code)
			}
			if code, _ := get(public + p); code != http.StatusOK {
				t.Fatalf("public %s: %d", p, code)
			}
		}
		if code, _ := get(private + "/login"); code != http.StatusNotFound {
			t.Fatalf("the metrics listener serves the panel: %d", code)
		}
	})
	// Without it, one listener serves everything, as before.
	vars = map[string]string{"CAMBISTA_DB": filepath.Join(t.TempDir(), "c.db")}
	serveMain(t, vars, web.Limits{}, func(m *Main) {
		if code, _ := get("http://" + m.Addr.String() + "/metrics"); code != http.StatusOK {
			t.Fatalf("/metrics on the one listener: %d", code)
		}
	})
}
