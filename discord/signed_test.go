package discord_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"net/http"
	"strconv"
	"testing"
	"time"
)

// signer signs requests as Discord does: Ed25519 over timestamp + body.
type signer struct {
	pub  ed25519.PublicKey
	priv ed25519.PrivateKey
}

func newSigner(t testing.TB) *signer {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &signer{pub: pub, priv: priv}
}

// sign signs timestamp + body.
func sign(s *signer, ts string, body []byte) []byte {
	return ed25519.Sign(s.priv, append([]byte(ts), body...))
}

// request builds a signed POST of body to url.
func (s *signer) request(t testing.TB, url string, body []byte) *http.Request {
	t.Helper()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	sig := sign(s, ts, body)
	r, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
	r.Header.Set("X-Signature-Timestamp", ts)
	return r
}
