package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/netip"
	"strings"
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
// peer, unless the peer is a trusted proxy; then the right-most address of
// X-Forwarded-For that is not a trusted proxy. Each proxy appends the
// address it was reached from, so that is the address the outermost trusted
// proxy saw; whatever lies left of it the client could have written.
func clientIP(r *http.Request, trusted []netip.Prefix) string {
	peer := r.RemoteAddr
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		peer = ap.Addr().Unmap().String()
	}
	if !isTrusted(peer, trusted) {
		return peer
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if hop == "" {
			continue
		}
		if a, err := netip.ParseAddr(hop); err == nil {
			hop = a.Unmap().String()
		}
		peer = hop
		if !isTrusted(hop, trusted) {
			break
		}
	}
	return peer
}

// isTrusted reports whether addr is in one of the trusted prefixes.
func isTrusted(addr string, trusted []netip.Prefix) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
