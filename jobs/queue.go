package jobs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/bwmarrin/discordgo"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/discord"
)

// Queue cards. A channel takes about 5 new messages per 5 seconds, so a
// card per new transfer cannot keep up with a burst. New transfers of one
// channel that wait together in a claim are posted as one message instead
// (discord.QueueCard), up to discord.QueueMax; a transfer that waits alone
// keeps its own card with its buttons. Every transfer a queue card shows
// names it as its card (discord_messages), so a later notice of any of them
// draws the whole message again from the states of all it shows, once per
// pass however many of them changed.
//
// Exactly once: before the creation, each transfer of the card records the
// placeholder "posting:<nonce>", the nonce being derived from the channel
// and the transfers. A worker that dies between the creation and its
// record leaves the placeholder; whoever delivers one of those transfers
// next posts the same set with the same nonce, and Discord (enforce_nonce)
// returns the message already created.

// postingPrefix marks a placeholder reference: a queue card whose
// creation may have happened, not yet recorded.
const postingPrefix = "posting:"

// unit is what one goroutine of a pass delivers: the rows of one subject,
// or of several subjects whose first rows are new transfers of channel,
// posted together as one queue card before the rest of each subject.
type unit struct {
	channel  string
	subjects [][]*cambista.OutboxMessage
}

// units splits the claimed subjects into units: the new transfers of each
// channel, QueueMax at a time when more than one waits; each other subject
// alone.
func units(cfg *app.DiscordConfig, groups [][]*cambista.OutboxMessage) []unit {
	var out []unit
	at := map[string]int{} // channel → its open queue unit in out
	for _, g := range groups {
		ch := queueChannel(cfg, g[0])
		if ch == "" {
			out = append(out, unit{subjects: [][]*cambista.OutboxMessage{g}})
			continue
		}
		i, ok := at[ch]
		if !ok || len(out[i].subjects) == discord.QueueMax {
			i = len(out)
			at[ch] = i
			out = append(out, unit{channel: ch})
		}
		out[i].subjects = append(out[i].subjects, g)
	}
	for i := range out {
		if len(out[i].subjects) == 1 {
			out[i].channel = "" // alone: its own card
		}
	}
	return out
}

// queueChannel returns the channel of a row that announces a new transfer
// there and does nothing else, or "".
func queueChannel(cfg *app.DiscordConfig, m *cambista.OutboxMessage) string {
	var n app.Notice
	if m.Kind != app.KindNotice || m.Progress != "" || json.Unmarshal(m.Payload, &n) != nil ||
		n.Entity != "transfer" || n.Event != "transfer.pending" || n.DM != "" {
		return ""
	}
	return cfg.Channels[n.Channel]
}

// deliverQueue posts the unit's new transfers that have no card yet as one
// queue card, records each first row's outcome with settle, and returns
// each subject's rows still to deliver: the rest after a first row it
// delivered, none after one that failed, all of those it left alone.
func (w *Worker) deliverQueue(ctx context.Context, l *lease, u unit, settle func(*cambista.OutboxMessage, error) bool) [][]*cambista.OutboxMessage {
	heads := map[cambista.ID]*cambista.OutboxMessage{}
	var ids []cambista.ID
	for _, g := range u.subjects {
		var n app.Notice
		if json.Unmarshal(g[0].Payload, &n) == nil {
			heads[n.ID] = g[0]
			ids = append(ids, n.ID)
		}
	}
	refs, err := w.app.MessageRefs(ctx, "transfer", ids, u.channel)
	if err != nil {
		return u.subjects // each tries on its own
	}
	var fresh []cambista.ID
	for _, id := range ids {
		if refs[id] == "" {
			fresh = append(fresh, id)
		}
	}
	if len(fresh) < 2 {
		return u.subjects
	}
	// One context for the rows posted together: it ends if the claim loses
	// any of them.
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rctxs := map[*cambista.OutboxMessage]context.Context{}
	var started []cambista.ID
	var stops []func() bool
	for _, id := range fresh {
		m := heads[id]
		rctx, ok := l.start(m.ID)
		if !ok {
			continue // lost: its subject stops at it below
		}
		stops = append(stops, context.AfterFunc(rctx, cancel))
		rctxs[m] = rctx
		started = append(started, id)
	}
	var perr error
	if len(started) > 0 {
		perr = w.postQueue(pctx, u.channel, started, "")
	}
	for _, stop := range stops {
		stop()
	}
	var rest [][]*cambista.OutboxMessage
	for _, g := range u.subjects {
		rctx, ok := rctxs[g[0]]
		if !ok {
			rest = append(rest, g)
			continue
		}
		err := w.record(rctx, g[0], perr)
		l.end(g[0].ID)
		if settle(g[0], err) {
			rest = append(rest, g[1:])
		}
	}
	return rest
}

// postQueue posts a queue card of the transfers in the channel under a
// placeholder recorded first. salt makes a nonce other than the last one
// for the same transfers: the message it posted was deleted.
func (w *Worker) postQueue(ctx context.Context, channelID string, ids []cambista.ID, salt string) error {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s:%v:%s", channelID, ids, salt))
	placeholder := postingPrefix + nonceQueue + hex.EncodeToString(sum[:12])
	if err := w.app.SaveMessageRefs(ctx, "transfer", ids, channelID, placeholder); err != nil {
		return err
	}
	return w.finishQueue(ctx, channelID, placeholder)
}

// finishQueue posts the queue card a placeholder stands for, with its
// nonce, and records the message for every transfer it shows.
func (w *Worker) finishQueue(ctx context.Context, channelID, placeholder string) error {
	ids, err := w.app.MessageShows(ctx, "transfer", channelID, placeholder)
	if err != nil {
		return err
	}
	c, err := w.queueCard(ctx, ids)
	if err != nil {
		return err
	}
	msg, err := w.send(ctx, channelID, &discordgo.MessageSend{Embeds: c.Embeds, Components: orNone(c.Components), AllowedMentions: &discordgo.MessageAllowedMentions{}},
		strings.TrimPrefix(placeholder, postingPrefix))
	if err != nil {
		return err
	}
	drawn(ctx, msg.ID) // it shows the states of this pass
	return w.app.SaveMessageRefs(context.WithoutCancel(ctx), "transfer", ids, channelID, msg.ID)
}

// queueCard draws the transfers as they are now.
func (w *Worker) queueCard(ctx context.Context, ids []cambista.ID) (discord.Card, error) {
	ts, err := w.app.TransfersByID(ctx, ids)
	if err != nil {
		return discord.Card{}, err
	}
	return discord.QueueCard(w.cfg.DefaultLang, ts), nil
}

// queueNotice draws again the queue card (or finishes the posting) that
// shows the transfer, once per pass. It returns false when the transfer's
// card is its own.
func (w *Worker) queueNotice(ctx context.Context, channelID, ref string) (bool, error) {
	if strings.HasPrefix(ref, postingPrefix) {
		return true, once(ctx, ref, func() error { return w.finishQueue(ctx, channelID, ref) })
	}
	ids, err := w.app.MessageShows(ctx, "transfer", channelID, ref)
	if err != nil || len(ids) < 2 {
		return false, err
	}
	// Edits are the channel's scarcest budget (5 per 5 seconds, shared by
	// every card): one per message per pass, drawn once.
	return true, once(ctx, ref, func() error {
		c, err := w.queueCard(ctx, ids)
		if err != nil {
			return err
		}
		err = w.edit(ctx, channelID, ref, c)
		if restCode(err) == discordgo.ErrCodeUnknownMessage {
			w.log.Info("queue card was deleted in Discord; posting it again", "channel", channelID, "message", ref)
			return w.postQueue(ctx, channelID, ids, ref)
		}
		return err
	})
}

// draws are the messages a pass drew, by reference: the first notice of a
// queue card in a pass draws it with the states of every transfer it shows
// as they are after the claim, so the others of the pass need not, nor
// wait for it: if that draw fails, its row is retried and draws the card
// again from the states then.
type draws struct {
	mu sync.Mutex
	m  map[string]bool
}

type drawsKey struct{}

func withDraws(ctx context.Context) context.Context {
	return context.WithValue(ctx, drawsKey{}, &draws{m: map[string]bool{}})
}

// once runs draw for the reference unless the pass drew it already.
func once(ctx context.Context, ref string, draw func() error) error {
	if d, _ := ctx.Value(drawsKey{}).(*draws); d != nil {
		d.mu.Lock()
		done := d.m[ref]
		d.m[ref] = true
		d.mu.Unlock()
		if done {
			return nil
		}
	}
	return draw()
}

// drawn records a message the pass has just posted.
func drawn(ctx context.Context, ref string) {
	once(ctx, ref, func() error { return nil })
}
