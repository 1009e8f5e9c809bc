// Package audit seals and verifies cambista's hash-chained audit log (the
// backlog). It has no I/O: the store calls Seal when it appends events, and
// Verifier walks events the store reads back.
//
// Each event's hash is SHA-256 over a canonical encoding of its fields and
// the previous event's hash, so changing, removing or reordering any stored
// event breaks every hash after it.
package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/cambista/cambista"
)

// Canonical returns the encoding of ev that its hash covers: every field
// but Hash, each as a length-prefixed byte string, in a fixed order, so no
// two different events encode alike.
func Canonical(ev *cambista.AuditEvent) []byte {
	var b bytes.Buffer
	field := func(s []byte) {
		var n [binary.MaxVarintLen64]byte
		b.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
		b.Write(s)
	}
	num := func(v int64) { field([]byte(fmt.Sprint(v))) }
	b.WriteString("cambista-audit-v1")
	num(ev.Seq)
	num(cambista.Micros(ev.Time))
	field([]byte(ev.Actor))
	field([]byte(ev.Action))
	field([]byte(ev.EntityType))
	field([]byte(ev.EntityID))
	field(ev.Before)
	field(ev.After)
	field([]byte(ev.IdempotencyKey))
	field([]byte(ev.PrevHash))
	return b.Bytes()
}

// Hash returns the hex SHA-256 of ev's canonical encoding.
func Hash(ev *cambista.AuditEvent) string {
	sum := sha256.Sum256(Canonical(ev))
	return hex.EncodeToString(sum[:])
}

// Seal links ev after the event with sequence prevSeq and hash prevHash,
// setting its Seq, PrevHash and Hash.
func Seal(ev *cambista.AuditEvent, prevSeq int64, prevHash string) {
	ev.Seq = prevSeq + 1
	ev.PrevHash = prevHash
	ev.Hash = Hash(ev)
}

// JSON encodes a before or after state canonically: encoding/json sorts map
// keys and struct fields keep their order, so equal values encode alike.
// A nil value encodes as JSON null.
func JSON(v any) (json.RawMessage, error) {
	if v == nil {
		return json.RawMessage("null"), nil
	}
	return json.Marshal(v)
}

// BrokenError names the first event where the chain breaks.
type BrokenError struct {
	Seq    int64
	Reason string
}

func (e *BrokenError) Error() string {
	return fmt.Sprintf("audit chain broken at sequence %d: %s", e.Seq, e.Reason)
}

// Verifier checks events in sequence order, one at a time, so a chain of
// any length is verified in constant memory.
type Verifier struct {
	seq  int64
	hash string
	n    int64
}

// Next checks the next event of the chain; it returns a *BrokenError for
// the first event that is missing, out of order, or does not hash right.
func (v *Verifier) Next(ev *cambista.AuditEvent) error {
	switch {
	case ev.Seq != v.seq+1:
		return &BrokenError{Seq: v.seq + 1, Reason: fmt.Sprintf("expected sequence %d, found %d", v.seq+1, ev.Seq)}
	case ev.PrevHash != v.hash:
		return &BrokenError{Seq: ev.Seq, Reason: "previous hash does not match the event before it"}
	case Hash(ev) != ev.Hash:
		return &BrokenError{Seq: ev.Seq, Reason: "hash does not match the event's content"}
	}
	v.seq, v.hash = ev.Seq, ev.Hash
	v.n++
	return nil
}

// Count returns how many events have been verified.
func (v *Verifier) Count() int64 { return v.n }
