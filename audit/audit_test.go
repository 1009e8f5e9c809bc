package audit_test

import (
	"errors"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/audit"
)

func chain(n int) []*cambista.AuditEvent {
	var out []*cambista.AuditEvent
	var seq int64
	var hash string
	for i := range n {
		ev := &cambista.AuditEvent{Time: time.Unix(int64(i), 0), Actor: "1", Action: "x.y", EntityType: "t", EntityID: "1",
			Before: []byte("null"), After: []byte(`{"a":1}`)}
		audit.Seal(ev, seq, hash)
		seq, hash = ev.Seq, ev.Hash
		out = append(out, ev)
	}
	return out
}

func verify(events []*cambista.AuditEvent) (int64, error) {
	var v audit.Verifier
	for _, ev := range events {
		if err := v.Next(ev); err != nil {
			return v.Count(), err
		}
	}
	return v.Count(), nil
}

func TestVerify(t *testing.T) {
	if n, err := verify(chain(5)); err != nil || n != 5 {
		t.Fatalf("sound chain: %d %v", n, err)
	}
	for name, tc := range map[string]struct {
		mutate func([]*cambista.AuditEvent) []*cambista.AuditEvent
		at     int64
	}{
		"EditedField": {func(e []*cambista.AuditEvent) []*cambista.AuditEvent { e[2].Actor = "2"; return e }, 3},
		"EditedJSON":  {func(e []*cambista.AuditEvent) []*cambista.AuditEvent { e[1].After = []byte(`{"a":2}`); return e }, 2},
		"EditedTime": {func(e []*cambista.AuditEvent) []*cambista.AuditEvent {
			e[0].Time = e[0].Time.Add(time.Microsecond)
			return e
		}, 1},
		"Deleted": {func(e []*cambista.AuditEvent) []*cambista.AuditEvent { return append(e[:2], e[3:]...) }, 3},
		"Swapped": {func(e []*cambista.AuditEvent) []*cambista.AuditEvent { e[1], e[2] = e[2], e[1]; return e }, 2},
		"Rehashed": {func(e []*cambista.AuditEvent) []*cambista.AuditEvent {
			e[3].Actor = "2"
			e[3].Hash = audit.Hash(e[3])
			return e
		}, 5},
		"TruncatedHead": {func(e []*cambista.AuditEvent) []*cambista.AuditEvent { return e[1:] }, 1},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := verify(tc.mutate(chain(5)))
			var b *audit.BrokenError
			if !errors.As(err, &b) || b.Seq != tc.at {
				t.Fatalf("got %v, want broken at %d", err, tc.at)
			}
		})
	}
}

// TestCanonicalIsUnambiguous: moving bytes from one field to the next
// changes the encoding.
func TestCanonicalIsUnambiguous(t *testing.T) {
	a := &cambista.AuditEvent{Actor: "ab", Action: "c"}
	b := &cambista.AuditEvent{Actor: "a", Action: "bc"}
	if audit.Hash(a) == audit.Hash(b) {
		t.Fatal("two different events hash alike")
	}
}
