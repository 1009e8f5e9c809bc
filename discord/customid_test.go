package discord

import (
	"testing"

	"github.com/cambista/cambista"
)

func TestCustomID(t *testing.T) {
	for _, tc := range []struct {
		in     string
		action string
		id     cambista.ID
		ok     bool
	}{
		{"take:42", actTake, 42, true},
		{"register", actRegister, 0, true},
		{"acc-ok:9223372036854775807", actApproveAccount, 9223372036854775807, true},
		{"take:0", "", 0, false},
		{"take:-1", "", 0, false},
		{"take:042", "", 0, false},
		{"take:4:2", "", 0, false},
		{"take:", "", 0, false},
		{"burn:1", "", 0, false},
		{"", "", 0, false},
		{"take:99999999999999999999", "", 0, false},
	} {
		a, id, err := parseCustomID(tc.in)
		if (err == nil) != tc.ok || a != tc.action || id != tc.id {
			t.Errorf("parseCustomID(%q) = %q, %d, %v", tc.in, a, id, err)
		}
	}
}

// FuzzCustomID: parsing never panics, and what parses formats back to the
// same text.
func FuzzCustomID(f *testing.F) {
	for _, s := range []string{"take:42", "register", "acc-ok:1", "x:y:z", "take:-0", "done:1e3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, id, err := parseCustomID(s)
		if err != nil {
			return
		}
		if got := customID(a, id); got != s {
			t.Fatalf("parse(%q) formats back as %q", s, got)
		}
	})
}
