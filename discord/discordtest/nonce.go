package discordtest

import (
	"encoding/json"
	"errors"
	"time"
)

// Nonces, as Discord checks them when a message is created with
// enforce_nonce: a nonce the bot used in the past few minutes returns the
// message it created then, and no new message is created. Without
// enforce_nonce a nonce is only echoed, and a repeat posts again.

// nonceWindow is how long the fake remembers a nonce ("the past few
// minutes" in Discord's documentation).
const nonceWindow = 5 * time.Minute

// nonce is a creation's nonce; key is "" when it is not enforced.
type nonce struct{ key string }

type nonceUse struct {
	messageID string
	at        time.Time
}

var errNonceLength = errors.New("Must be 25 or fewer in length.")

// parseNonce reads nonce and enforce_nonce from a message payload. A nonce
// is a string or an integer of at most 25 characters.
func parseNonce(body []byte) (nonce, error) {
	var in struct {
		Nonce        json.RawMessage `json:"nonce"`
		EnforceNonce bool            `json:"enforce_nonce"`
	}
	if len(body) == 0 || json.Unmarshal(body, &in) != nil || len(in.Nonce) == 0 || string(in.Nonce) == "null" {
		return nonce{}, nil
	}
	var text string
	if json.Unmarshal(in.Nonce, &text) != nil {
		text = string(in.Nonce) // an integer
	}
	if len(text) > 25 {
		return nonce{}, errNonceLength
	}
	if !in.EnforceNonce {
		return nonce{}, nil
	}
	return nonce{key: text}, nil
}

// sentWithNonce returns the message created with the enforced nonce in
// the window, if it still exists. s.mu is held.
func (st *state) sentWithNonce(n nonce) *Message {
	if n.key == "" {
		return nil
	}
	use, ok := st.nonces[n.key]
	if !ok || time.Since(use.at) > nonceWindow {
		return nil
	}
	return st.messages[use.messageID]
}

// rememberNonce records the message created with the nonce. s.mu is held.
func (st *state) rememberNonce(n nonce, messageID string) {
	if n.key != "" {
		st.nonces[n.key] = nonceUse{messageID: messageID, at: time.Now()}
	}
}
