package jobs

import (
	"bytes"
	"context"

	"github.com/bwmarrin/discordgo"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/discord"
	"github.com/cambista/cambista/i18n"
)

// codeThreadExists is Discord's answer to a second thread started from
// one message.
const codeThreadExists = 160004

// threadArchiveMinutes keeps a dispute's thread open a week without a
// message.
const threadArchiveMinutes = 7 * 24 * 60

// disputeThread opens the thread of a dispute on its card in the admin
// channel, and its first line, which calls the transfer's cashier in.
//
// Each happens once across crashes and retries without a record of its
// own: Discord starts at most one thread from a message (a second start
// answers codeThreadExists) and the thread's ID is the message's, so a
// retry finds the thread it started; the line carries an enforced nonce.
func (w *Worker) disputeThread(ctx context.Context, m *cambista.OutboxMessage, n app.Notice, channelID string, draw func(i18n.Lang) discord.Card) error {
	card, err := w.app.MessageRef(ctx, n.Entity, n.ID, channelID)
	if err != nil {
		return err
	}
	if card == "" {
		// A later notice of the card in this claim was to draw it: the
		// thread needs it now.
		if err := w.postCard(ctx, n, channelID, draw(w.cfg.DefaultLang)); err != nil {
			return err
		}
		if card, err = w.app.MessageRef(ctx, n.Entity, n.ID, channelID); err != nil {
			return err
		}
	}
	d, err := w.app.Dispute(ctx, n.ID)
	if err != nil {
		return err
	}
	lang := w.cfg.DefaultLang
	_, err = w.s.MessageThreadStartComplex(channelID, card, &discordgo.ThreadStart{
		Name: discord.DisputeThreadName(lang, d), AutoArchiveDuration: threadArchiveMinutes,
	}, opts(ctx)...)
	if err != nil && restCode(err) != codeThreadExists {
		return err
	}
	msg := &discordgo.MessageSend{
		Content: i18n.T(lang, cambista.MsgDisputeThread.Msg("ID", d.ID, "Transfer", d.TransferID, "Cashier", "<@"+string(d.CashierID)+">")),
		// The cashier is called in; nobody else is pinged.
		AllowedMentions: &discordgo.MessageAllowedMentions{Users: []string{string(d.CashierID)}},
	}
	_, err = w.send(ctx, card, msg, nonce(nonceThread, m.ID))
	return err
}

// attachProof adds a completed transfer's proof of payment to its DM: the
// file itself, and its SHA-256 beside the card.
func (w *Worker) attachProof(ctx context.Context, l i18n.Lang, id cambista.ID, msg *discordgo.MessageSend) error {
	p, err := w.app.TransferProof(ctx, id)
	if cambista.ErrorCode(err) == cambista.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	msg.Files = []*discordgo.File{{Name: p.Filename, ContentType: p.ContentType, Reader: bytes.NewReader(p.Data)}}
	if len(msg.Embeds) > 0 {
		e := msg.Embeds[0]
		e.Fields = append(e.Fields, discord.ProofField(l, p))
	}
	return nil
}
