// Package web is cambista's HTTP face: health and readiness probes, the
// Prometheus metrics endpoint, and the admin panel (Panel). It is an
// adapter: it translates requests into app use cases and holds no business
// rule.
package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/cambista/cambista/logs"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Pinger reports whether the database answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Server holds what the handlers need.
type Server struct {
	DB       Pinger
	Registry *prometheus.Registry
	Logger   *slog.Logger
	// Limits bound each request's body (and, through NewHTTPServer, the
	// connection's timeouts); NewServer sets DefaultLimits.
	Limits Limits
	// MetricsApart keeps /metrics off Handler: OpsHandler serves it, on a
	// port of its own that the public never reaches.
	MetricsApart bool

	requests *prometheus.HistogramVec
	routes   []route
}

type route struct {
	pattern string
	handler http.Handler
}

// Handle adds a route served by Handler, measured like the others; other
// adapters (the Discord interactions endpoint) mount themselves here.
func (s *Server) Handle(pattern string, h http.Handler) {
	s.routes = append(s.routes, route{pattern, h})
}

// NewServer returns a server whose HTTP metrics are registered on reg.
func NewServer(db Pinger, reg *prometheus.Registry, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{DB: db, Registry: reg, Logger: log, Limits: DefaultLimits}
	s.requests = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "cambista_http_request_duration_seconds",
		Help:    "HTTP requests by route, method and status.",
		Buckets: prometheus.DefBuckets,
	}, []string{"route", "method", "status"})
	reg.MustRegister(s.requests)
	return s
}

// Limits bound what one client may hold of the server: a slow or idle
// connection, a large body.
type Limits struct {
	ReadHeader time.Duration // to read a request's headers
	Read       time.Duration // to read a whole request, body included
	Write      time.Duration // to write a response (a report download extends its own)
	Idle       time.Duration // a kept-alive connection waiting for its next request
	Body       int64         // bytes of a request body
}

// DefaultLimits are the limits of cambista's HTTP server; README lists them.
var DefaultLimits = Limits{ReadHeader: 10 * time.Second, Read: 30 * time.Second, Write: 2 * time.Minute, Idle: 60 * time.Second, Body: 1 << 20}

// NewHTTPServer returns an HTTP server for h with l's timeouts.
func NewHTTPServer(h http.Handler, l Limits, errorLog *log.Logger) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: l.ReadHeader, ReadTimeout: l.Read, WriteTimeout: l.Write, IdleTimeout: l.Idle, ErrorLog: errorLog}
}

// Handler returns the routes, every response with the security headers.
func (s *Server) Handler() http.Handler {
	mux := s.probes(!s.MetricsApart)
	for _, r := range s.routes {
		s.handle(mux, r.pattern, r.handler)
	}
	return secure(mux)
}

// OpsHandler serves the probes and /metrics alone, for a listener of
// their own (CAMBISTA_METRICS_ADDR).
func (s *Server) OpsHandler() http.Handler { return secure(s.probes(true)) }

// probes returns a mux with /healthz, /readyz and, if metrics, /metrics.
func (s *Server) probes(metrics bool) *http.ServeMux {
	mux := http.NewServeMux()
	s.handle(mux, "GET /healthz", http.HandlerFunc(s.healthz))
	s.handle(mux, "GET /readyz", http.HandlerFunc(s.readyz))
	if metrics {
		s.handle(mux, "GET /metrics", promhttp.HandlerFor(s.Registry, promhttp.HandlerOpts{Registry: s.Registry}))
	}
	return mux
}

// contentPolicy lets pages load scripts, styles and images from the
// server alone, with no inline script or style, in no frame.
const contentPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// secure sets the security headers on every response, the probes' and
// the 404s' included.
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", contentPolicy)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		h.ServeHTTP(w, r)
	})
}

// handle registers h under pattern, measured and logged under that
// pattern (never the raw path, so metrics keep a bounded set of labels).
func (s *Server) handle(mux *http.ServeMux, pattern string, h http.Handler) {
	mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		id := r.Header.Get("X-Request-ID")
		if id == "" {
			var b [8]byte
			rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		rec.Header().Set("X-Request-ID", id)
		r = r.WithContext(logs.WithTrace(r.Context(), id))
		if r.ContentLength > s.Limits.Body {
			http.Error(rec, http.StatusText(http.StatusRequestEntityTooLarge), http.StatusRequestEntityTooLarge)
		} else {
			r.Body = http.MaxBytesReader(rec, r.Body, s.Limits.Body)
			h.ServeHTTP(rec, r)
		}
		d := time.Since(start)
		s.requests.WithLabelValues(pattern, r.Method, strconv.Itoa(rec.status)).Observe(d.Seconds())
		s.Logger.LogAttrs(r.Context(), slog.LevelDebug, "http request",
			slog.String("http.request.method", r.Method), slog.String("url.path", r.URL.Path), slog.String("route", pattern),
			slog.Int("http.response.status_code", rec.status), slog.Int64("event.duration", d.Nanoseconds()))
	}))
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

// Unwrap lets http.ResponseController reach the connection (a report
// download extends its write deadline; server-sent events flush).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// readyz answers 200 only while the database answers within two seconds:
// the primary alone. A read replica that is down leaves its reads to the
// primary, so the process still serves (cambista_db_replica_up says so).
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.DB.Ping(ctx); err != nil {
		s.Logger.Warn("not ready: database does not answer", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unavailable\n"))
		return
	}
	w.Write([]byte("ready\n"))
}
