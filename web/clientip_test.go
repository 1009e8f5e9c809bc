package web

import (
	"net/http"
	"net/netip"
	"testing"
)

func TestClientIP(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("127.0.0.1/32")}
	for _, c := range []struct {
		name, peer string
		xff        []string
		trusted    []netip.Prefix
		want       string
	}{
		{"no proxies trusted", "10.1.2.3:5000", []string{"203.0.113.9"}, nil, "10.1.2.3"},
		{"untrusted peer's header ignored", "198.51.100.7:5000", []string{"203.0.113.9"}, trusted, "198.51.100.7"},
		{"one trusted proxy", "10.1.2.3:5000", []string{"203.0.113.9"}, trusted, "203.0.113.9"},
		{"client's own entries ignored", "10.1.2.3:5000", []string{"1.1.1.1, 203.0.113.9"}, trusted, "203.0.113.9"},
		{"two trusted proxies", "127.0.0.1:5000", []string{"1.1.1.1, 203.0.113.9, 10.9.9.9"}, trusted, "203.0.113.9"},
		{"several header lines", "10.1.2.3:5000", []string{"1.1.1.1", "203.0.113.9, 10.9.9.9"}, trusted, "203.0.113.9"},
		{"trusted peer without header", "10.1.2.3:5000", nil, trusted, "10.1.2.3"},
		{"only trusted hops", "10.1.2.3:5000", []string{"10.4.4.4, 10.5.5.5"}, trusted, "10.4.4.4"},
		{"IPv4 in IPv6 peer", "[::ffff:10.1.2.3]:5000", []string{"203.0.113.9"}, trusted, "203.0.113.9"},
		{"IPv6 client", "10.1.2.3:5000", []string{"2001:db8::1"}, trusted, "2001:db8::1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := &http.Request{RemoteAddr: c.peer, Header: http.Header{}}
			for _, v := range c.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := clientIP(r, c.trusted); got != c.want {
				t.Fatalf("clientIP = %q, want %q", got, c.want)
			}
		})
	}
}
