package discordtest

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Rate limits, enforced as Discord documents them: a global limit of
// calls per second per bot (interaction responses and follow-ups exempt),
// and per-route buckets, each counted per major parameter (channel, guild,
// webhook), announced on every answer by X-RateLimit-Limit, -Remaining,
// -Reset, -Reset-After and -Bucket; a call beyond a limit is answered 429
// with retry_after (and Retry-After, X-RateLimit-Scope, and
// X-RateLimit-Global for the global limit), and changes nothing. Discord
// does not publish the routes' numbers; DiscordLimits has those its
// answers commonly carry.

// RateLimits are the limits a fake enforces.
type RateLimits struct {
	// Global is the calls per second a bot may make in all.
	Global int
	// Routes are the per-route limits; a route not listed gets Default.
	Routes  []RouteLimit
	Default RouteLimit
}

// RouteLimit is the limit of a route's bucket: Limit calls per Per, per
// major parameter. Routes with the same Bucket share one.
type RouteLimit struct {
	Method, Pattern string // as the fake's routes, e.g. "POST", "/channels/{cid}/messages"
	Bucket          string
	Limit           int
	Per             time.Duration
}

// DiscordLimits are Discord's limits as its answers announce them: 50
// calls per second in all; 5 messages per 5 seconds per channel, and as
// many edits; 50 per second on other routes.
var DiscordLimits = RateLimits{
	Global: 50,
	Routes: []RouteLimit{
		{Method: "POST", Pattern: "/channels/{cid}/messages", Bucket: "messages.create", Limit: 5, Per: 5 * time.Second},
		{Method: "PATCH", Pattern: "/channels/{cid}/messages/{mid}", Bucket: "messages.edit", Limit: 5, Per: 5 * time.Second},
	},
	Default: RouteLimit{Limit: 50, Per: time.Second},
}

// WithRateLimits makes the fake enforce the limits.
func WithRateLimits(l RateLimits) Option {
	return func(s *Server) {
		s.st.limits = &l
		s.st.windows = map[string]*window{}
		s.st.globalTokens, s.st.filled = float64(l.Global), time.Now()
	}
}

// Limited is a 429 the limits sent.
type Limited struct {
	Bucket string // the bucket and its major parameter, or "global"
	Time   time.Time
}

// RateLimited returns the 429s the limits sent (faults aside), in order.
func (s *Server) RateLimited() []Limited {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Limited(nil), s.st.limited...)
}

// window is a bucket's count since its window began.
type window struct {
	start time.Time
	used  int
}

// limitState is the enforcement's state, in state.
type limitState struct {
	limits       *RateLimits
	windows      map[string]*window
	globalTokens float64
	filled       time.Time
	limited      []Limited
}

// routeLimit returns the limit of the route and the key of its bucket.
func (l *RateLimits) routeLimit(rt *route, vars map[string]string) (RouteLimit, string) {
	pattern := "/" + strings.Join(rt.pattern, "/")
	lim := l.Default
	lim.Bucket = rt.method + " " + pattern
	for _, r := range l.Routes {
		if r.Method == rt.method && r.Pattern == pattern {
			lim = r
			break
		}
	}
	major := vars["cid"] + vars["guild"] + vars["token"]
	return lim, lim.Bucket + "|" + major
}

// exempt reports whether Discord leaves the route out of the global limit.
func exempt(rt *route) bool {
	return rt.pattern[0] == "interactions" || rt.pattern[0] == "webhooks"
}

// limit counts the call against its bucket and the global limit. It
// returns the 429 to answer if either is spent, and the headers to send.
// s.mu is held.
func (st *state) limit(rt *route, vars map[string]string, h http.Header) (reply, bool) {
	l := st.limits
	now := time.Now()
	lim, key := l.routeLimit(rt, vars)
	w := st.windows[key]
	if w == nil || now.Sub(w.start) >= lim.Per {
		w = &window{start: now}
		st.windows[key] = w
	}
	resetAfter := lim.Per - now.Sub(w.start)
	sum := sha1.Sum([]byte(lim.Bucket))
	h.Set("X-RateLimit-Bucket", hex.EncodeToString(sum[:8]))
	h.Set("X-RateLimit-Limit", strconv.Itoa(lim.Limit))
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(now.Add(resetAfter).UnixMilli())/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(resetAfter.Seconds(), 'f', 3, 64))
	if w.used >= lim.Limit {
		h.Set("X-RateLimit-Remaining", "0")
		st.limited = append(st.limited, Limited{Bucket: key, Time: now})
		return tooMany(h, resetAfter, "user", false), true
	}
	if l.Global > 0 && !exempt(rt) {
		st.globalTokens = min(float64(l.Global), st.globalTokens+now.Sub(st.filled).Seconds()*float64(l.Global))
		st.filled = now
		if st.globalTokens < 1 {
			h.Set("X-RateLimit-Remaining", strconv.Itoa(lim.Limit-w.used))
			st.limited = append(st.limited, Limited{Bucket: "global", Time: now})
			wait := time.Duration((1 - st.globalTokens) / float64(l.Global) * float64(time.Second))
			return tooMany(h, wait, "global", true), true
		}
		st.globalTokens--
	}
	w.used++
	h.Set("X-RateLimit-Remaining", strconv.Itoa(lim.Limit-w.used))
	return reply{}, false
}

// tooMany is Discord's 429: retry_after in seconds (fractional) in the
// body, Retry-After in whole seconds.
func tooMany(h http.Header, after time.Duration, scope string, global bool) reply {
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(after.Seconds()))))
	h.Set("X-RateLimit-Scope", scope)
	if global {
		h.Set("X-RateLimit-Global", "true")
	}
	return reply{status: http.StatusTooManyRequests, body: map[string]any{
		"message":     fmt.Sprintf("You are being rate limited (%s).", scope),
		"retry_after": after.Seconds(),
		"global":      global,
	}}
}
