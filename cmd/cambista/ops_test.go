package main

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
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
	serveMain(t, vars, func(main *Main) { m = main }, func(base string) {
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
	})
}
