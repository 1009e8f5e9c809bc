package jobs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/bwmarrin/discordgo"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
)

// Nonces. Every message the worker creates carries a nonce that Discord
// enforces (enforce_nonce): a second creation with the same nonce within a
// few minutes returns the first message instead of posting another. The
// nonce is derived from the outbox row and the step, so when a worker dies
// (or Discord's answer is lost) between the creation and its record, the
// retry finds the message it posted. Discord's nonces are at most 25
// characters; these are a letter and an ID.
const (
	nonceCard  = "c" // the channel card
	nonceDM    = "d" // the direct message
	nonceFeed  = "f" // the log channel's lines
	nonceQueue = "q" // a queue card of several transfers
	// nonceThread is the line that opens a dispute's thread.
	nonceThread = "t"
)

func nonce(step string, id cambista.ID) string { return fmt.Sprintf("%s%d", step, id) }

// send posts msg to the channel with the nonce. discordgo v0.29's
// MessageSend has no nonce fields, so the request is sent raw through the
// session (its rate limiter and options still apply).
func (w *Worker) send(ctx context.Context, channelID string, msg *discordgo.MessageSend, nonce string) (*discordgo.Message, error) {
	for _, e := range msg.Embeds {
		if e.Type == "" {
			e.Type = discordgo.EmbedTypeRich
		}
	}
	body := struct {
		*discordgo.MessageSend
		Nonce        string `json:"nonce"`
		EnforceNonce bool   `json:"enforce_nonce"`
	}{msg, nonce, true}
	endpoint := discordgo.EndpointChannelMessages(channelID)
	var resp []byte
	var err error
	if len(msg.Files) == 0 {
		resp, err = w.s.RequestWithBucketID("POST", endpoint, body, endpoint, opts(ctx)...)
	} else {
		var ct string
		var b []byte
		if ct, b, err = discordgo.MultipartBodyWithJSON(body, msg.Files); err != nil {
			return nil, err
		}
		resp, err = w.s.RequestRaw("POST", endpoint, ct, b, endpoint, 0, opts(ctx)...)
	}
	if err != nil {
		return nil, err
	}
	var m discordgo.Message
	if err := json.Unmarshal(resp, &m); err != nil {
		return nil, fmt.Errorf("message created, answer unreadable: %w", err)
	}
	return &m, nil
}

// dmCache remembers each user's DM channel, so that a user costs one
// POST /users/@me/channels per process rather than one per message. A DM
// channel's ID does not change; the cache is emptied when it grows past
// dmCacheSize, which bounds it in a server of many members.
type dmCache struct {
	mu sync.Mutex
	m  map[cambista.UserID]string
}

const dmCacheSize = 10000

// dmChannel returns the user's DM channel, opening it if need be.
func (w *Worker) dmChannel(ctx context.Context, user cambista.UserID) (string, error) {
	c := &w.dms
	c.mu.Lock()
	id, ok := c.m[user]
	c.mu.Unlock()
	if ok {
		return id, nil
	}
	ch, err := w.s.UserChannelCreate(string(user), opts(ctx)...)
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= dmCacheSize {
		c.m = map[cambista.UserID]string{}
	}
	c.m[user] = ch.ID
	c.mu.Unlock()
	return ch.ID, nil
}

// forgetDM drops a DM channel Discord no longer knows.
func (w *Worker) forgetDM(user cambista.UserID) {
	w.dms.mu.Lock()
	delete(w.dms.m, user)
	w.dms.mu.Unlock()
}

// claimKey is the context key of the claim a pass delivers.
type claimKey struct{}

// claimed is what a pass knows of its claim: of the notices of each card
// (entity and channel), the last it holds. Only that one draws the card,
// since the card shows the entity as it is at delivery: several notices of
// one card waiting together cost one edit.
type claimed map[string]cambista.ID

func withClaim(ctx context.Context, rows []*cambista.OutboxMessage) context.Context {
	last := claimed{}
	for _, m := range rows {
		var n app.Notice
		if m.Kind == app.KindNotice && json.Unmarshal(m.Payload, &n) == nil && n.Channel != "" {
			last[cardKey(n)] = m.ID
		}
	}
	return context.WithValue(ctx, claimKey{}, last)
}

func cardKey(n app.Notice) string { return fmt.Sprintf("%s:%d@%s", n.Entity, n.ID, n.Channel) }

// drawsCard says whether the notice (row id) draws its card: it does
// unless a later notice of the same card is in the same claim.
func drawsCard(ctx context.Context, n app.Notice, id cambista.ID) bool {
	c, _ := ctx.Value(claimKey{}).(claimed)
	last, ok := c[cardKey(n)]
	return !ok || last == id
}

// cardNonce is the nonce of the card's creation: one per card, whichever
// notice creates it, so that a notice that finds no card (the creation's
// record was lost) finds the card another created.
func cardNonce(n app.Notice, channelID string) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s:%d@%s", n.Entity, n.ID, channelID)))
	return nonceCard + hex.EncodeToString(sum[:12])
}
