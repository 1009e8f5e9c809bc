package main

import (
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cambista/cambista/web"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// TestMetricsAddr: with CAMBISTA_METRICS_ADDR, /metrics (business gauges
// included) and the probes answer on their own listener, and /metrics
// leaves the public one.
func TestMetricsAddr(t *testing.T) {
	vars := map[string]string{"CAMBISTA_DB": filepath.Join(t.TempDir(), "c.db"), "CAMBISTA_METRICS_ADDR": "127.0.0.1:0"}
	var m *Main
	serveMain(t, vars, web.Limits{}, func(main *Main) {
		m = main
		base := "http://" + m.Addr.String()
		if code, _ := get(t, base+"/metrics"); code != http.StatusNotFound {
			t.Errorf("public /metrics: %d, want 404", code)
		}
		ops := "http://" + m.MetricsAddr.String()
		code, body := get(t, ops+"/metrics")
		for _, name := range []string{"cambista_business_read_ok 1", `cambista_transfers{status="pending"} 0`, "cambista_outbox_waiting", "go_goroutines"} {
			if code != 200 || !strings.Contains(body, name) {
				t.Errorf("metrics listener's /metrics (%d) lacks %s", code, name)
			}
		}
		for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready"} {
			if code, body := get(t, ops+path); code != 200 || strings.TrimSpace(body) != want {
				t.Errorf("metrics listener's %s: %d %q", path, code, body)
			}
		}
		if code, _ := get(t, ops+"/login"); code != http.StatusNotFound {
			t.Errorf("the metrics listener serves the panel: %d", code)
		}
		// The container's HEALTHCHECK asks the metrics listener.
		if code, out, stderr := cli(t, map[string]string{"CAMBISTA_METRICS_ADDR": m.MetricsAddr.String()}, "health"); code != 0 || out != "ok\n" {
			t.Errorf("health while serving: %d %q %s", code, out, stderr)
		}
		// And the main one without it.
		if code, _, stderr := cli(t, map[string]string{"CAMBISTA_HTTP_ADDR": m.Addr.String()}, "health"); code != 0 {
			t.Errorf("health on the main listener: %d %s", code, stderr)
		}
	})
	if code, _, stderr := cli(t, map[string]string{"CAMBISTA_METRICS_ADDR": m.MetricsAddr.String()}, "health"); code != 1 || !strings.Contains(stderr, "cambista health") {
		t.Errorf("health after the stop: %d %s", code, stderr)
	}
	// Without it, one listener serves everything.
	vars = map[string]string{"CAMBISTA_DB": filepath.Join(t.TempDir(), "c.db")}
	serve(t, vars, func(base string) {
		if code, _ := get(t, base+"/metrics"); code != http.StatusOK {
			t.Errorf("/metrics on the one listener: %d", code)
		}
	})
}

// TestECSLogs: every line is ECS JSON; a request's lines carry its ID
// (trace.id), and a use case's line its action, outcome and actor.
func TestECSLogs(t *testing.T) {
	vars := map[string]string{"CAMBISTA_DB": filepath.Join(t.TempDir(), "c.db"), "CAMBISTA_LOG_LEVEL": "debug",
		"CAMBISTA_BOOTSTRAP_SUPERUSER": "111", "CAMBISTA_DISCORD_TOKEN": "very-secret-token", "CAMBISTA_DISCORD_MODE": "off"}
	out := serve(t, vars, func(base string) {
		req, _ := http.NewRequest("GET", base+"/healthz", nil)
		req.Header.Set("X-Request-ID", "req-42")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	})
	var request, useCase bool
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var f map[string]any
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			t.Fatalf("not JSON: %s", line)
		}
		for _, k := range []string{"@timestamp", "log.level", "message", "service.name"} {
			if f[k] == nil {
				t.Errorf("line without %s: %s", k, line)
			}
		}
		if f["message"] == "http request" && f["trace.id"] == "req-42" && f["url.path"] == "/healthz" {
			request = true
		}
		if f["message"] == "use case" && f["event.action"] == "role.assign" && f["event.outcome"] == "success" && f["user.id"] == "system" {
			useCase = true
		}
	}
	if !request || !useCase {
		t.Fatalf("request line %v, use case line %v, in:\n%s", request, useCase, out)
	}
	if strings.Contains(out, "very-secret-token") {
		t.Fatal("the Discord token was logged")
	}
}
