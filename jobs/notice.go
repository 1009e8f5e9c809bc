package jobs

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/discord"
	"github.com/cambista/cambista/i18n"
)

// Steps of a notice found in the row's progress are not done again. The
// DM goes first, so that it never waits behind the card's channel, whose
// budget is the scarcest (5 messages and 5 edits per 5 s): its nonce stands
// for it until the row is marked, and its step is recorded when the card
// then waits or fails (or when it ends with a note: the user takes no DMs).
// The card's step is recorded only when the DM failed after it, so that the
// retry does not draw it again (its message ID records its creation, and
// an edit is idempotent).
const (
	stepChannel = "channel"
	stepDM      = "dm"
	stepThread  = "thread" // a dispute's thread in the admin channel
)

// Discord's codes for a DM the user cannot receive (DMs turned off, the
// bot blocked): retrying will not change the user's settings, and the
// channel card still tells staff.
const (
	codeCannotDM     = discordgo.ErrCodeCannotSendMessagesToThisUser // 50007
	codeCannotDMUser = 50278                                         // not in discordgo v0.29
)

// dmLines is the sentence above the card in a DM, by event.
var dmLines = map[string]cambista.MessageDef{
	"account.decided":    cambista.MsgDMAccountDecided,
	"account.frozen":     cambista.MsgDMAccountFrozen,
	"account.unfrozen":   cambista.MsgDMAccountUnfrozen,
	"agent.decided":      cambista.MsgDMAgentDecided,
	"transfer.taken":     cambista.MsgDMTransferTaken,
	"transfer.completed": cambista.MsgDMTransferCompleted,
	"transfer.rejected":  cambista.MsgDMTransferRejected,
	"transfer.cancelled": cambista.MsgDMTransferCancelled,
	"transfer.expired":   cambista.MsgDMTransferExpired,
	"transfer.released":  cambista.MsgDMTransferReleased,
	"withdrawal.decided": cambista.MsgDMWithdrawalDecided,
	"deposit.declared":   cambista.MsgDMDepositDeclared,
	"deposit.decided":    cambista.MsgDMDepositDecided,
	"refund.posted":      cambista.MsgDMRefundPosted,
	"transfer.reversed":  cambista.MsgDMTransferReversed,
	"batch.closed":       cambista.MsgDMBatchClosed,
	"alert.raised":       cambista.MsgDMAlertRaised,
	"dispute.opened":     cambista.MsgDMDisputeOpened,
	"dispute.resolved":   cambista.MsgDMDisputeResolved,
}

// notice shows the entity's current card in its channel (editing the card
// posted before, if any) and sends it to the user named by the notice.
func (w *Worker) notice(ctx context.Context, cfg *app.DiscordConfig, m *cambista.OutboxMessage) error {
	var n app.Notice
	if err := json.Unmarshal(m.Payload, &n); err != nil {
		return permanent(fmt.Errorf("notice payload: %w", err))
	}
	channelID := cfg.Channels[n.Channel]
	if n.Channel != "" && channelID == "" {
		w.log.Debug("notice channel not configured; no card posted", "outbox_id", m.ID, "channel", n.Channel)
	}
	if channelID == "" && n.DM == "" {
		return nil
	}
	done := strings.Split(m.Progress, ",")
	// A later notice of the card in this claim draws it instead.
	toChannel := channelID != "" && !slices.Contains(done, stepChannel) && drawsCard(ctx, n, m.ID)
	toUser := n.DM != "" && !slices.Contains(done, stepDM)
	toThread := n.Event == "dispute.opened" && channelID != "" && !slices.Contains(done, stepThread)
	if !toChannel && !toUser && !toThread {
		return nil
	}
	draw, err := w.cards(ctx, n)
	if err != nil {
		return err
	}
	var dmErr error
	sent := false // a DM sent, not yet recorded
	if toUser {
		// Nor does the DM wait for its channel: the row comes back.
		note, err := w.sendDM(discord.NoWait(ctx), m.ID, n, draw)
		switch {
		case err != nil:
			dmErr = err
		case note != "":
			// A DM not delivered leaves its note.
			if done, err = w.markStep(ctx, m, done, stepDM, note); err != nil {
				return err
			}
		default:
			sent = true
		}
	}
	// keep records the DM sent before a step that waits or fails: a retry
	// much later must not count on its nonce, which Discord keeps for a few
	// minutes.
	keep := func() error {
		if !sent {
			return nil
		}
		sent = false
		var err error
		done, err = w.markStep(ctx, m, done, stepDM, "")
		return err
	}
	if toChannel {
		// Recorded as it happens by the card's message ID (postCard): a
		// retry edits the card, which changes nothing, rather than post
		// it; so the step costs no record of its own. A channel takes 5
		// edits per 5 s across its cards: the card does not wait for
		// them, nor hold the worker (see leaveCard).
		err := w.postCard(discord.NoWait(ctx), n, channelID, draw(w.cfg.DefaultLang))
		if busy := (*discord.Busy)(nil); errors.As(err, &busy) {
			if err := keep(); err != nil {
				return err
			}
			if leave, lerr := w.leaveCard(ctx, m, n); leave || lerr != nil {
				err = lerr
			}
		}
		if err != nil {
			return cmp.Or(keep(), err)
		}
	}
	if toThread {
		if err := w.disputeThread(ctx, m, n, channelID, draw); err != nil {
			return cmp.Or(keep(), err)
		}
		if done, err = w.markStep(ctx, m, done, stepThread, ""); err != nil {
			return err
		}
	}
	if dmErr != nil && toChannel {
		// The retry need not draw the card again.
		if _, err := w.markStep(ctx, m, done, stepChannel, ""); err != nil {
			return err
		}
	}
	// Marking the row delivered records the DM.
	return dmErr
}

// leaveCard says whether the notice, whose card could not be drawn now
// (busy: the channel's bucket is spent), leaves the card to a later notice
// of the same card. The rows of a subject are delivered in order, each
// drawing the card as the entity is when it does, so the last one shows
// the final state: the edits of one card waiting together become one.
// Otherwise the row comes back when the bucket refills (record), with the
// later notices of its subject that came meanwhile.
func (w *Worker) leaveCard(ctx context.Context, m *cambista.OutboxMessage, n app.Notice) (bool, error) {
	later, err := w.app.OutboxAfter(ctx, m.Subject, m.ID)
	if err != nil {
		return false, err
	}
	for _, l := range later {
		var ln app.Notice
		if l.Kind == app.KindNotice && json.Unmarshal(l.Payload, &ln) == nil && ln.Channel == n.Channel {
			return true, nil
		}
	}
	return false, nil
}

// markStep records step as done, with the note (if any) as last_error. It
// runs even if the worker is stopping: the step has happened.
func (w *Worker) markStep(ctx context.Context, m *cambista.OutboxMessage, done []string, step, note string) ([]string, error) {
	done = append(slices.DeleteFunc(done, func(s string) bool { return s == "" }), step)
	return done, w.app.SaveOutboxProgress(context.WithoutCancel(ctx), m.ID, m.Claim, strings.Join(done, ","), note)
}

// cards loads the entity as it is now and returns its card in any
// language: a late delivery never shows stale figures.
func (w *Worker) cards(ctx context.Context, n app.Notice) (func(i18n.Lang) discord.Card, error) {
	switch n.Entity {
	case "transfer":
		t, err := w.app.Transfer(ctx, n.ID)
		return func(l i18n.Lang) discord.Card { return discord.TransferCard(l, t) }, err
	case "account":
		a, err := w.app.Account(ctx, n.ID)
		return func(l i18n.Lang) discord.Card { return discord.AccountCard(l, a) }, err
	case "agent_request":
		r, err := w.app.AgentRequest(ctx, n.ID)
		return func(l i18n.Lang) discord.Card { return discord.AgentRequestCard(l, r) }, err
	case "withdrawal":
		wd, err := w.app.Withdrawal(ctx, n.ID)
		return func(l i18n.Lang) discord.Card { return discord.WithdrawalCard(l, wd) }, err
	case "refund":
		r, err := w.app.RefundOf(ctx, n.ID)
		return func(l i18n.Lang) discord.Card { return discord.RefundCard(l, r) }, err
	case "deposit":
		d, err := w.app.Deposit(ctx, n.ID)
		return func(l i18n.Lang) discord.Card { return discord.DepositCard(l, d) }, err
	case "batch":
		st, err := w.app.BatchStatus(ctx, n.ID)
		return func(l i18n.Lang) discord.Card { return discord.BatchCard(l, st) }, err
	case "welcome":
		return discord.WelcomeCard, nil
	case "dispute":
		d, err := w.app.Dispute(ctx, n.ID)
		return func(l i18n.Lang) discord.Card { return discord.DisputeCard(l, d) }, err
	case "alert":
		a, err := w.app.Alert(ctx, n.ID)
		return func(l i18n.Lang) discord.Card { return discord.AlertCard(l, a) }, err
	}
	return nil, permanent(fmt.Errorf("no card for entity %q", n.Entity))
}

// postCard edits the entity's card in the channel, or posts it when there
// is none yet (or someone deleted it) and remembers the new message, so
// that a retry or a later notice edits rather than posts again.
func (w *Worker) postCard(ctx context.Context, n app.Notice, channelID string, c discord.Card) error {
	ref, err := w.app.MessageRef(ctx, n.Entity, n.ID, channelID)
	if err != nil {
		return err
	}
	if ref != "" && n.Entity == "transfer" {
		if shared, err := w.queueNotice(ctx, channelID, ref); shared || err != nil {
			return err
		}
	}
	if ref != "" {
		err := w.edit(ctx, channelID, ref, c)
		if restCode(err) != discordgo.ErrCodeUnknownMessage {
			return err
		}
		w.log.Info("card was deleted in Discord; posting it again", "entity", n.Entity, "id", n.ID, "channel", channelID)
	}
	msg, err := w.send(ctx, channelID, &discordgo.MessageSend{Embeds: c.Embeds, Components: orNone(c.Components), AllowedMentions: &discordgo.MessageAllowedMentions{}}, cardNonce(n, channelID))
	if err != nil {
		return err
	}
	// Recorded first: every later step and notice edits this message.
	return w.app.SaveMessageRef(context.WithoutCancel(ctx), n.Entity, n.ID, channelID, msg.ID)
}

// edit shows the card in the message.
func (w *Worker) edit(ctx context.Context, channelID, ref string, c discord.Card) error {
	components := orNone(c.Components)
	_, err := w.s.ChannelMessageEditComplex(&discordgo.MessageEdit{
		ID: ref, Channel: channelID, Embeds: &c.Embeds, Components: &components, AllowedMentions: &discordgo.MessageAllowedMentions{},
	}, opts(ctx)...)
	return err
}

// orNone returns an empty list for nil, not nil: a finished entity's card
// loses its buttons.
func orNone(components []discordgo.MessageComponent) []discordgo.MessageComponent {
	if components == nil {
		return []discordgo.MessageComponent{}
	}
	return components
}

// sendDM sends the user a line about the event and the card, without
// buttons (a DM is for reading; staff act in the channels), in the user's
// language. A user who does not accept DMs is not an error: it returns a
// note for the row instead.
func (w *Worker) sendDM(ctx context.Context, id cambista.ID, n app.Notice, draw func(i18n.Lang) discord.Card) (string, error) {
	lang := w.cfg.DefaultLang
	u, err := w.app.User(ctx, n.DM)
	switch {
	case err == nil:
		if l, err := i18n.Parse(u.Locale); err == nil {
			lang = l
		}
	case cambista.ErrorCode(err) != cambista.ENOTFOUND:
		return "", err
	}
	msg := &discordgo.MessageSend{Embeds: draw(lang).Embeds, Components: []discordgo.MessageComponent{}, AllowedMentions: &discordgo.MessageAllowedMentions{}}
	if line, ok := dmLines[n.Event]; ok {
		msg.Content = i18n.T(lang, line.Msg("ID", n.ID))
	}
	if n.Event == "transfer.completed" {
		if err := w.attachProof(ctx, lang, n.ID, msg); err != nil {
			return "", err
		}
	}
	ch, err := w.dmChannel(ctx, n.DM)
	if err == nil {
		_, err = w.send(ctx, ch, msg, nonce(nonceDM, id))
		if restCode(err) == discordgo.ErrCodeUnknownChannel {
			w.forgetDM(n.DM) // the cached channel is gone: open it again next time
		}
	}
	if code := restCode(err); code == codeCannotDM || code == codeCannotDMUser {
		w.log.Info("user does not accept direct messages; DM skipped", "user", n.DM, "event", n.Event, "err", err)
		return "DM not delivered: " + errText(err), nil
	}
	return "", err
}
