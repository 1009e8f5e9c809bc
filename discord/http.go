package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/i18n"
)

// maxSkew bounds how old a signed request may be, so a captured request
// cannot be replayed much later (a replay within it is answered from the
// idempotency key, the interaction ID).
const maxSkew = 5 * time.Minute

// HTTPHandler answers interactions that Discord POSTs to the public URL
// (POST /discord/interactions): each request must carry a valid Ed25519
// signature of the application's public key over its timestamp and body,
// or it gets 401. PING gets PONG; everything else goes to Handle, and the
// response is the HTTP body.
func (b *Bot) HTTPHandler(key ed25519.PublicKey) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		if !fresh(r.Header.Get("X-Signature-Timestamp")) || !discordgo.VerifyInteraction(r, key) {
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "unreadable body", http.StatusBadRequest)
			return
		}
		var i discordgo.Interaction
		if err := json.Unmarshal(body, &i); err != nil {
			http.Error(w, "not an interaction", http.StatusBadRequest)
			return
		}
		var resp *discordgo.InteractionResponse
		if i.Type == discordgo.InteractionPing {
			resp = &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}
		} else {
			resp = b.Handle(r.Context(), &i)
			if resp.Data != nil && len(resp.Data.Files) > 0 {
				// A file cannot ride in a JSON body: acknowledge now and
				// send the message with its file as a follow-up.
				resp = b.deferFiles(r.Context(), &i, resp)
			}
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(resp)
	})
}

func fresh(ts string) bool {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	d := time.Since(time.Unix(sec, 0))
	return d < maxSkew && d > -maxSkew
}

// deferFiles answers "thinking…" and posts the full response as a
// follow-up by REST once Discord has the acknowledgement. The follow-up
// outlives the request, not the bot: Shutdown waits for it.
func (b *Bot) deferFiles(ctx context.Context, i *discordgo.Interaction, full *discordgo.InteractionResponse) *discordgo.InteractionResponse {
	ctx, end, ok := b.begin(context.WithoutCancel(ctx))
	if !ok {
		// The bot is shutting down: the person may try again in a moment.
		return ephemeral(tr(i18n.FromDiscord(string(i.Locale), b.cfg.DefaultLang), cambista.MsgInternal))
	}
	d := full.Data
	type file struct {
		name, contentType string
		data              []byte
	}
	var files []file
	for _, f := range d.Files {
		data, err := io.ReadAll(f.Reader)
		if err != nil {
			b.log.Warn("reading a reply's file failed", "interaction_id", i.ID, "err", err)
			continue
		}
		files = append(files, file{f.Name, f.ContentType, data})
	}
	go func() {
		defer end()
		// Discord accepts follow-ups only after the HTTP response arrives;
		// retry briefly until it does.
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		for attempt := 0; ; attempt++ {
			params := &discordgo.WebhookParams{Content: d.Content, Embeds: d.Embeds, Components: d.Components, Flags: d.Flags, AllowedMentions: noMentions()}
			for _, f := range files { // fresh readers: a failed attempt consumed the last ones
				params.Files = append(params.Files, &discordgo.File{Name: f.name, ContentType: f.contentType, Reader: bytes.NewReader(f.data)})
			}
			_, err := b.s.FollowupMessageCreate(i, true, params, discordgo.WithContext(ctx))
			if err == nil {
				return
			}
			select {
			case <-ctx.Done():
				b.log.Warn("follow-up with file failed", "interaction_id", i.ID, "err", err)
				return
			case <-time.After(time.Duration(100*(attempt+1)) * time.Millisecond):
			}
		}
	}()
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Flags: d.Flags},
	}
}
