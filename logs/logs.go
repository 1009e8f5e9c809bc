// Package logs builds cambista's logger. In JSON its lines carry Elastic
// Common Schema field names (@timestamp, log.level, message,
// service.name, error.message), so Filebeat or Logstash ingest them
// without parsing rules; every line logged with a request's context
// carries that request's ID (trace.id: the HTTP X-Request-ID or the Discord
// interaction's) and the acting user (user.id).
package logs

import (
	"context"
	"io"
	"log/slog"
	"strings"

	"github.com/cambista/cambista"
)

// Service is the service.name of every line.
const Service = "cambista"

// New returns a logger writing to w at level: ECS JSON when format is
// "json", slog's text for people otherwise. Both carry the request's
// trace and user.
func New(w io.Writer, level slog.Leveler, format string) *slog.Logger {
	if format != "json" {
		return slog.New(contextHandler{slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})})
	}
	h := slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: ecs})
	return slog.New(contextHandler{h}).With(slog.String("service.name", Service))
}

// ecs renames slog's built-in keys, and err, to ECS's.
func ecs(groups []string, a slog.Attr) slog.Attr {
	if len(groups) > 0 {
		return a
	}
	switch a.Key {
	case slog.TimeKey:
		a.Key = "@timestamp"
		a.Value = slog.StringValue(a.Value.Time().UTC().Format("2006-01-02T15:04:05.000000Z07:00"))
	case slog.LevelKey:
		a.Key = "log.level"
		a.Value = slog.StringValue(strings.ToLower(a.Value.String()))
	case slog.MessageKey:
		a.Key = "message"
	case "err":
		a.Key = "error.message"
	}
	return a
}

type traceKey struct{}

// WithTrace returns ctx carrying the ID of the request or interaction it
// serves, logged as trace.id.
func WithTrace(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, traceKey{}, id)
}

// Trace returns the ID WithTrace put in ctx, or "".
func Trace(ctx context.Context) string {
	id, _ := ctx.Value(traceKey{}).(string)
	return id
}

// contextHandler adds the trace and the acting user from the context of
// each line.
type contextHandler struct{ slog.Handler }

func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	if ctx != nil {
		if id := Trace(ctx); id != "" {
			r.AddAttrs(slog.String("trace.id", id))
		}
		if a := cambista.ActorFromContext(ctx); a.UserID != "" {
			r.AddAttrs(slog.String("user.id", string(a.UserID)))
		}
	}
	return h.Handler.Handle(ctx, r)
}

func (h contextHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return contextHandler{h.Handler.WithAttrs(as)}
}

func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{h.Handler.WithGroup(name)}
}
