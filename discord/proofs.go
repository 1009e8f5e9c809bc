package discord

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/i18n"
)

// The words of completing a transfer with a proof of payment.
var (
	oReference  = words.Text("discord_opt_reference", "reference")
	oReferenceD = words.Text("discord_opt_reference_desc", "The payout's reference, for example the bank's confirmation number")
	oPaidProofD = words.Text("discord_opt_paid_proof_desc", "A screenshot or PDF of the payout (optional)")
	lCompleted  = words.Text("discord_completed", "Transfer #{{.ID}} completed.")
)

// transferComplete is /transfer complete: the Complete button's form as a
// command, with the proof of payment as an attachment.
var transferComplete = command{name: words.Text("discord_cmd_transfer_complete", "complete"),
	desc: words.Text("discord_cmd_transfer_complete_desc", "Complete a transfer you took, with a proof of payment (cashier)"),
	options: []*discordgo.ApplicationCommandOption{integer(oID, oIDD, true), str(oReference, oReferenceD, true),
		opt(discordgo.ApplicationCommandOptionAttachment, oProof, oPaidProofD, false)},
	run: (*Bot).cmdTransferComplete}

func (b *Bot) cmdTransferComplete(it *interaction, o options) (response, error) {
	in := app.Complete{ID: cambista.ID(o.int("id")), Reference: o.str("reference")}
	// Who may not complete transfers is told so before any download.
	if err := cambista.Authorize(cambista.ActorFromContext(it.ctx), cambista.ActCompleteTransfer); err != nil {
		return nil, err
	}
	if a := attachment(it, o["proof"]); a != nil {
		p, err := b.downloadProof(it.ctx, a)
		if err != nil {
			return nil, err
		}
		in.Proof = p
	}
	t, err := b.app.CompleteTransfer(it.ctx, it.key, in)
	if err != nil {
		return nil, err
	}
	c := TransferCard(it.lang, t)
	c.Components = nil // buttons belong to the cashier channel's card
	return ephemeralCard(c, tr(it.lang, lCompleted, "ID", t.ID)), nil
}

// Where attachments are downloaded from: Discord's CDN, over HTTPS, and
// Config.CDNURL's host besides (a proxy, or a fake Discord in tests).
var cdnHosts = []string{"cdn.discordapp.com", "media.discordapp.net"}

// proofTimeout bounds a download: the interaction must be answered
// within three seconds.
const proofTimeout = 2 * time.Second

// proofClient follows no redirect: a file must come from the host allowed.
var proofClient = &http.Client{
	Timeout:       proofTimeout,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// cdnAllowed reports whether u is on Discord's CDN or under the configured
// base.
func (b *Bot) cdnAllowed(u *url.URL) bool {
	if u.Scheme == "https" && u.User == nil {
		for _, h := range cdnHosts {
			if u.Host == h {
				return true
			}
		}
	}
	if b.cfg.CDNURL == "" {
		return false
	}
	base, err := url.Parse(b.cfg.CDNURL)
	return err == nil && u.Scheme == base.Scheme && u.Host == base.Host && u.User == nil
}

// downloadProof fetches an attachment from Discord's CDN — at most
// cambista.ProofMaxBytes, within proofTimeout — and checks it as a proof.
// It runs before the use case's transaction, which holds nothing while
// the file travels.
func (b *Bot) downloadProof(ctx context.Context, a *discordgo.MessageAttachment) (*cambista.Proof, error) {
	u, err := url.Parse(a.URL)
	if err != nil || !b.cdnAllowed(u) {
		return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgProofHost.Msg())
	}
	if a.Size > cambista.ProofMaxBytes {
		return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgProofTooBig.Msg("Max", cambista.ProofMaxBytes>>20))
	}
	ctx, cancel := context.WithTimeout(ctx, proofTimeout)
	defer cancel()
	unreachable := cambista.Errorf(cambista.EINVALID, cambista.MsgProofUnreachable.Msg())
	rq, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, unreachable
	}
	res, err := proofClient.Do(rq)
	if err != nil {
		b.log.InfoContext(ctx, "proof download failed", "url", u.Redacted(), "err", err)
		return nil, unreachable
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b.log.InfoContext(ctx, "proof download failed", "url", u.Redacted(), "status", res.StatusCode)
		return nil, unreachable
	}
	// One byte more than allowed tells a file too large from one just so.
	data, err := io.ReadAll(io.LimitReader(res.Body, cambista.ProofMaxBytes+1))
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, unreachable
	}
	return cambista.NewProof(a.Filename, data)
}

// attachment is an attachment option's file, which Discord sends among the
// interaction's resolved data, or nil without one.
func attachment(it *interaction, o *discordgo.ApplicationCommandInteractionDataOption) *discordgo.MessageAttachment {
	if o == nil {
		return nil
	}
	id, _ := o.Value.(string)
	r := it.i.ApplicationCommandData().Resolved
	if r == nil {
		return nil
	}
	return r.Attachments[id]
}

// ProofField shows a proof of payment on a card: its file name and the
// SHA-256 of its bytes, which anyone can check against the file.
func ProofField(l i18n.Lang, p *cambista.Proof) *discordgo.MessageEmbedField {
	return field(tr(l, lProof), plain(p.Filename)+"\nSHA-256 `"+p.SHA256+"`", false)
}
