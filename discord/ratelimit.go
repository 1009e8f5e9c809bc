package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Discord's rate limits as a budget. Every REST call of a session goes
// through a limiter, so that the process waits rather than meets a 429:
//
//   - A global budget of calls per second (Discord allows a bot about 50),
//     shared by everything the process sends on the session; interaction
//     responses and follow-ups, which Discord does not count, are exempt.
//   - Per-route buckets as Discord announces them: X-RateLimit-Bucket names
//     the bucket a route shares with others (discordgo's own limiter keys
//     buckets by URL and ignores it, so edits of two messages in one
//     channel would each think they had a fresh bucket), X-RateLimit-
//     Remaining and X-RateLimit-Reset-After say what is left and when it
//     refills, per major parameter (channel, guild, webhook).
//   - A 429 sets the bucket (or, when X-RateLimit-Global says so, every
//     call) aside until Retry-After.
//
// A call waits, within its context, until its bucket and the budget allow
// it. The limiter keeps the X-RateLimit headers from discordgo, whose own
// limiter would otherwise sleep on them a second time, without the
// context; the 429 itself still reaches discordgo, which retries it or
// (WithRetryOnRatelimit(false)) hands it back.

// DefaultRESTBudget is the calls per second a session makes by default.
const DefaultRESTBudget = 50

// limiter is an http.RoundTripper that keeps calls within Discord's limits.
type limiter struct {
	next http.RoundTripper
	now  func() time.Time

	mu sync.Mutex
	// The global budget: a token bucket of rate calls per second holding
	// at most burst, a tenth of a second's worth, so that no second sees
	// more than the budget.
	rate, burst, tokens float64
	filled              time.Time
	// globalUntil is when a global 429 ends.
	globalUntil time.Time
	// hashes maps a route to the bucket Discord said it shares.
	hashes  map[string]string
	buckets map[string]*bucket
}

type bucket struct {
	remaining int // -1 until Discord tells
	reset     time.Time
}

func newLimiter(next http.RoundTripper, perSecond float64) *limiter {
	l := &limiter{next: next, now: time.Now, hashes: map[string]string{}, buckets: map[string]*bucket{}}
	l.setBudget(perSecond)
	return l
}

func (l *limiter) setBudget(perSecond float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.rate = perSecond
	l.burst = max(1, math.Floor(perSecond/10))
	l.tokens, l.filled = l.burst, l.now()
}

// SetRESTBudget sets how many REST calls per second the session's
// process makes, at most, counted over all its callers (Discord's global
// limit is per bot: processes sharing a bot divide it between them).
func SetRESTBudget(s *discordgo.Session, perSecond float64) {
	if l, ok := s.Client.Transport.(*limiter); ok && perSecond > 0 {
		l.setBudget(perSecond)
	}
}

// Busy is the error of a call made under NoWait that its route's bucket
// would have made wait: it was not sent. Wait says for how long.
type Busy struct{ Wait time.Duration }

func (e *Busy) Error() string {
	return fmt.Sprintf("rate limited: the route's bucket refills in %v", e.Wait)
}

type noWaitKey struct{}

// NoWait returns a context whose calls fail with *Busy rather than wait
// for their route's bucket (they still wait for the process's budget,
// which refills within a fraction of a second): a caller with other work
// may do it first, and come back.
func NoWait(ctx context.Context) context.Context { return context.WithValue(ctx, noWaitKey{}, true) }

// route returns the call's route (method and path, IDs other than the
// major parameters blanked), its major parameters, and whether Discord
// counts it against the global limit.
func route(r *http.Request) (key, major string, global bool) {
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	// Below /api/vN.
	for i, s := range segs {
		if s == "api" && i+1 < len(segs) && strings.HasPrefix(segs[i+1], "v") {
			segs = segs[i+2:]
			break
		}
	}
	global = len(segs) == 0 || segs[0] != "interactions" && segs[0] != "webhooks"
	var majors []string
	out := make([]string, len(segs))
	for i, s := range segs {
		out[i] = s
		prev := ""
		if i > 0 {
			prev = segs[i-1]
		}
		switch {
		case prev == "channels" || prev == "guilds" || prev == "webhooks" || i >= 2 && segs[i-2] == "webhooks":
			majors = append(majors, s)
		case isSnowflake(s) || i >= 2 && segs[i-2] == "interactions":
			out[i] = ":id"
		}
	}
	return r.Method + " /" + strings.Join(out, "/"), strings.Join(majors, "/"), global
}

func isSnowflake(s string) bool {
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}

// bucketOf returns the state of the call's bucket. l.mu is held.
func (l *limiter) bucketOf(key, major string) *bucket {
	id := key
	if h, ok := l.hashes[key]; ok {
		id = h
	}
	id += "|" + major
	b := l.buckets[id]
	if b == nil {
		b = &bucket{remaining: -1}
		l.buckets[id] = b
	}
	return b
}

// wait returns how long the call must wait before it is sent, or 0 once it
// may go, having taken its share of the budget. l.mu is held.
func (l *limiter) wait(b *bucket, global bool) time.Duration {
	now := l.now()
	if b.remaining == 0 && now.Before(b.reset) {
		return b.reset.Sub(now)
	}
	if global {
		if now.Before(l.globalUntil) {
			return l.globalUntil.Sub(now)
		}
		l.tokens = min(l.burst, l.tokens+now.Sub(l.filled).Seconds()*l.rate)
		l.filled = now
		if l.tokens < 1 {
			return time.Duration((1 - l.tokens) / l.rate * float64(time.Second))
		}
		l.tokens--
	}
	if b.remaining > 0 {
		b.remaining--
	} else if b.remaining == 0 {
		b.remaining = -1 // reset passed: Discord says how many are left
	}
	return 0
}

func (l *limiter) RoundTrip(r *http.Request) (*http.Response, error) {
	key, major, global := route(r)
	noWait := r.Context().Value(noWaitKey{}) != nil
	for {
		l.mu.Lock()
		b := l.bucketOf(key, major)
		if now := l.now(); noWait && b.remaining == 0 && now.Before(b.reset) {
			l.mu.Unlock()
			return nil, &Busy{Wait: b.reset.Sub(now)}
		}
		d := l.wait(b, global)
		l.mu.Unlock()
		if d <= 0 {
			break
		}
		if err := sleep(r.Context(), d); err != nil {
			return nil, err
		}
	}
	resp, err := l.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	l.learn(key, major, resp)
	return resp, nil
}

// learn updates the bucket from Discord's answer and takes the headers
// away from discordgo.
func (l *limiter) learn(key, major string, resp *http.Response) {
	h := resp.Header
	var wait time.Duration
	if resp.StatusCode == http.StatusTooManyRequests {
		wait = retryAfter(resp)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if hash := h.Get("X-RateLimit-Bucket"); hash != "" {
		l.hashes[key] = hash
	}
	b := l.bucketOf(key, major)
	if rem, err := strconv.Atoi(h.Get("X-RateLimit-Remaining")); err == nil {
		b.remaining = rem
	}
	if after, err := strconv.ParseFloat(h.Get("X-RateLimit-Reset-After"), 64); err == nil {
		b.reset = now.Add(time.Duration(after * float64(time.Second)))
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		retry := now.Add(wait)
		if h.Get("X-RateLimit-Global") != "" || h.Get("X-RateLimit-Scope") == "global" {
			l.globalUntil = retry
		} else {
			b.remaining, b.reset = 0, retry
		}
	}
	for k := range h {
		if strings.HasPrefix(k, "X-Ratelimit-") {
			h.Del(k)
		}
	}
}

// retryAfter reads how long a 429 asks to wait: the body's retry_after
// (seconds, with fractions), else the Retry-After header (whole seconds),
// else a second. The body is put back for discordgo.
func retryAfter(resp *http.Response) time.Duration {
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var tm struct {
		RetryAfter float64 `json:"retry_after"`
	}
	if err == nil && json.Unmarshal(body, &tm) == nil && tm.RetryAfter > 0 {
		return time.Duration(tm.RetryAfter * float64(time.Second))
	}
	if s, err := strconv.ParseFloat(resp.Header.Get("Retry-After"), 64); err == nil && s > 0 {
		return time.Duration(s * float64(time.Second))
	}
	return time.Second
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
