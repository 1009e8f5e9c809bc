package discord

import "net/http"

// Unlimited returns the transport a session's rate limiter sends through.
func Unlimited(rt http.RoundTripper) http.RoundTripper {
	if l, ok := rt.(*limiter); ok {
		return l.next
	}
	return rt
}
