package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net"
	"net/http"
	"sync"
	"time"
)

// Cookies. The session cookie holds the session's random ID; the database
// holds only its SHA-256, so neither a copy of the database nor its logs
// can be replayed as a login.
const (
	sessionCookie = "cambista_session"
	stateCookie   = "cambista_oauth"   // the OAuth state, for ten minutes
	flashCookie   = "cambista_flash"   // a confirmation shown once after a redirect
	refusedCookie = "cambista_refused" // a form sent back: why, and what it had typed; shown once on its page
	confirmCookie = "cambista_confirm" // the question a form asks before it acts, signed
	langCookie    = "cambista_lang"    // the language of the pages seen before login
	csrfField     = "csrf"             // the form field with the session's form token
	csrfHeader    = "X-CSRF-Token"     // the same token, as htmx sends it
	keyField      = "key"              // a form's idempotency key
	hxRequest     = "HX-Request"       // set by htmx on its requests
)

// hashSecret is how sessions and login tokens are stored: hex SHA-256.
func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// csrfToken derives the session's form token from its ID. Only someone who
// holds the cookie can compute it, and the cookie is HttpOnly, so a page on
// another site can neither read nor guess it; deriving it keeps it out of
// the database.
func csrfToken(sessionID string) string {
	m := hmac.New(sha256.New, []byte(sessionID))
	m.Write([]byte("cambista panel form token"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// validToken reports whether the request carries the form token, in its
// form or in the header htmx sends.
func validToken(r *http.Request, want string) bool {
	got := r.Header.Get(csrfHeader)
	if got == "" {
		got = r.PostFormValue(csrfField)
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

func (p *Panel) setCookie(w http.ResponseWriter, name, value, path string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: path, MaxAge: int(maxAge.Seconds()),
		HttpOnly: true, Secure: p.secure, SameSite: http.SameSiteLaxMode,
	})
}

func (p *Panel) clearCookie(w http.ResponseWriter, name, path string) {
	http.SetCookie(w, &http.Cookie{Name: name, Path: path, MaxAge: -1, HttpOnly: true, Secure: p.secure, SameSite: http.SameSiteLaxMode})
}

// clientIP is the address login attempts are counted by: the connection's
// peer. Behind a reverse proxy every client shares the proxy's address, so
// the limit then applies to them together.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// limiter is a token bucket per client address: each holds up to burst
// tokens and regains them at burst per period.
type limiter struct {
	mu      sync.Mutex
	burst   float64
	per     time.Duration
	now     func() time.Time
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(burst int, per time.Duration, now func() time.Time) *limiter {
	return &limiter{burst: float64(burst), per: per, now: now, buckets: map[string]*bucket{}}
}

// allow takes a token from key's bucket. When there is none it returns how
// long until there is one.
func (l *limiter) allow(key string) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	rate := l.burst / float64(l.per) // tokens per nanosecond
	if len(l.buckets) > 10000 {
		// Forget the buckets that have filled up again: they hold nothing
		// a new bucket would not.
		for k, b := range l.buckets {
			if float64(now.Sub(b.at))*rate >= l.burst {
				delete(l.buckets, k)
			}
		}
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+float64(now.Sub(b.at))*rate)
	b.at = now
	if b.tokens < 1 {
		return time.Duration((1 - b.tokens) / rate), false
	}
	b.tokens--
	return 0, true
}
