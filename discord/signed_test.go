package discord_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
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

// request builds a signed POST of body to url.
func (s *signer) request(t testing.TB, url string, body []byte) *http.Request {
	t.Helper()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	sig := ed25519.Sign(s.priv, append([]byte(ts), body...))
	r, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
	r.Header.Set("X-Signature-Timestamp", ts)
	return r
}

// interaction is the JSON Discord sends for a person's action.
func interaction(id, user, locale string, typ int, data any) []byte {
	b, err := json.Marshal(map[string]any{
		"id": id, "application_id": appID, "type": typ, "token": "token-" + id, "version": 1,
		"guild_id": guildID, "channel_id": "900", "locale": locale,
		"member": map[string]any{"user": map[string]any{"id": user, "username": "user" + user}, "roles": []string{}},
		"data":   data,
	})
	if err != nil {
		panic(err)
	}
	return b
}

const (
	appID   = "100000000000000001"
	guildID = "100000000000000002"
)

// Interaction types and component types, as Discord numbers them.
const (
	typePing      = 1
	typeCommand   = 2
	typeComponent = 3
	typeModal     = 5
)

func command(name string, options ...map[string]any) map[string]any {
	return map[string]any{"id": "1", "name": name, "type": 1, "options": options}
}

func sub(name string, options ...map[string]any) map[string]any {
	return map[string]any{"name": name, "type": 1, "options": options}
}

func str(name, value string) map[string]any {
	return map[string]any{"name": name, "type": 3, "value": value}
}

func num(name string, value int64) map[string]any {
	return map[string]any{"name": name, "type": 4, "value": value}
}

func click(customID string) map[string]any {
	return map[string]any{"custom_id": customID, "component_type": 2}
}

func choose(customID string, values ...string) map[string]any {
	return map[string]any{"custom_id": customID, "component_type": 3, "values": values}
}

// form is a submitted modal: input custom ID → value.
func form(customID string, inputs map[string]string) map[string]any {
	var rows []any
	for id, v := range inputs {
		rows = append(rows, map[string]any{"type": 1, "components": []any{map[string]any{"type": 4, "custom_id": id, "value": v}}})
	}
	return map[string]any{"custom_id": customID, "components": rows}
}
