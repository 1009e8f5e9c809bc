package logs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/logs"
)

// TestECS: a JSON line has ECS's field names, the service, and the trace
// and user of the context it was logged with; a line without a request
// has neither.
func TestECS(t *testing.T) {
	var buf bytes.Buffer
	log := logs.New(&buf, slog.LevelInfo, "json")
	ctx := logs.WithTrace(cambista.WithActor(context.Background(), cambista.Actor{UserID: "42"}), "req-1")
	log.WarnContext(ctx, "something odd", "err", errors.New("boom"))
	log.Info("no request")
	log.Debug("below the level")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines: %s", len(lines), buf.String())
	}
	var first, second map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &second); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"log.level": "warn", "message": "something odd", "service.name": "cambista",
		"trace.id": "req-1", "user.id": "42", "error.message": "boom"}
	for k, v := range want {
		if first[k] != v {
			t.Errorf("%s = %v, want %v (line %s)", k, first[k], v, lines[0])
		}
	}
	if ts, _ := first["@timestamp"].(string); !strings.HasSuffix(ts, "Z") || len(ts) != len("2006-01-02T15:04:05.000000Z") {
		t.Errorf("@timestamp %q", first["@timestamp"])
	}
	for _, k := range []string{"msg", "level", "time", "err"} {
		if _, ok := first[k]; ok {
			t.Errorf("slog's own key %q remains", k)
		}
	}
	if _, ok := second["trace.id"]; ok || second["service.name"] != "cambista" {
		t.Errorf("a line without a request: %s", lines[1])
	}
}

// TestText: the text format carries the trace too.
func TestText(t *testing.T) {
	var buf bytes.Buffer
	logs.New(&buf, slog.LevelInfo, "text").InfoContext(logs.WithTrace(context.Background(), "abc"), "hello")
	if !strings.Contains(buf.String(), "trace.id=abc") || !strings.Contains(buf.String(), "msg=hello") {
		t.Fatalf("text line %q", buf.String())
	}
}
