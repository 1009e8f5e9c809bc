package discord

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

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

// FuzzModal: whatever a modal submission carries, reading its inputs never
// panics, and every value read is trimmed text from a text input.
func FuzzModal(f *testing.F) {
	for _, s := range []string{
		`{"custom_id":"done:7","components":[{"type":1,"components":[{"type":4,"custom_id":"reference","value":" REF-1 "}]}]}`,
		`{"custom_id":"register","components":[{"type":1,"components":[{"type":4,"custom_id":"name","value":"Ana"},{"type":4,"custom_id":"phone","value":""}]}]}`,
		`{"custom_id":"x","components":[{"type":2,"custom_id":"b"}]}`,
		`{"components":null}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		var d discordgo.ModalSubmitInteractionData
		if err := json.Unmarshal([]byte(data), &d); err != nil {
			return
		}
		i := &discordgo.Interaction{Type: discordgo.InteractionModalSubmit, Data: d}
		for id, v := range modalValues(i) {
			if v != strings.TrimSpace(v) {
				t.Fatalf("value of %q not trimmed: %q", id, v)
			}
		}
		parseCustomID(d.CustomID)
	})
}
