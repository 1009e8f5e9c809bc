package discord

import (
	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/i18n"
)

// The words of deposits and of paying from a balance.
var (
	lDeposit         = words.Text("discord_deposit", "Deposit #{{.ID}}")
	lMethod          = words.Text("discord_method", "Paid by")
	lProof           = words.Text("discord_proof", "Proof")
	lConfirmDeposit  = words.Text("discord_confirm_deposit", "Confirm: the money arrived")
	lPayFromBalance  = words.Text("discord_pay_from_balance", "Pay from my balance")
	lFromBalance     = words.Text("discord_from_balance", "Paid from the client's balance")
	lDepositDeclared = words.Text("discord_deposit_declared", "Deposit #{{.ID}} of {{.Amount}} declared. Staff will confirm it once they see the money arrive; you will get a DM.")

	oMethod  = words.Text("discord_opt_method", "method")
	oMethodD = words.Text("discord_opt_method_desc", "How you paid, for example \"Zelle from Ana Pérez\"")
	oProof   = words.Text("discord_opt_proof", "proof")
	oProofD  = words.Text("discord_opt_proof_desc", "A screenshot or receipt of the payment (optional)")
)

// depositCommand is /deposit: amount, currency, how it was paid, and an
// optional proof uploaded as an attachment.
var depositCommand = command{name: words.Text("discord_cmd_deposit", "deposit"), desc: words.Text("discord_cmd_deposit_desc", "Declare a deposit into one of your accounts"),
	options: []*discordgo.ApplicationCommandOption{str(oAmount, oAmountD, true), currencyOpt(oCurrency, oCurrencyD, true), str(oMethod, oMethodD, true),
		opt(discordgo.ApplicationCommandOptionAttachment, oProof, oProofD, false)},
	run: (*Bot).cmdDeposit}

func (b *Bot) cmdDeposit(it *interaction, o options) (response, error) {
	d, err := b.app.DeclareDeposit(it.ctx, it.key, app.DeclareDeposit{Currency: o.str("currency"), Amount: o.str("amount"),
		Method: o.str("method"), ProofURL: attachmentURL(it, o["proof"])})
	if err != nil {
		return nil, err
	}
	return ephemeral(tr(it.lang, lDepositDeclared, "ID", d.ID, "Amount", d.Amount)), nil
}

// attachmentURL is the link of an attachment option's file, or "".
func attachmentURL(it *interaction, o *discordgo.ApplicationCommandInteractionDataOption) string {
	if a := attachment(it, o); a != nil {
		return a.URL
	}
	return ""
}

// DepositCard shows a deposit; while declared it carries Confirm and
// Reject for the cashiers.
func DepositCard(l i18n.Lang, d *cambista.Deposit) Card {
	e := &discordgo.MessageEmbed{
		Title: tr(l, lDeposit, "ID", d.ID),
		Color: stateColor(string(d.Status)),
		Fields: []*discordgo.MessageEmbedField{
			field(tr(l, lUser), "<@"+string(d.UserID)+">", true),
			field(tr(l, lAmount), amount(l, d.Amount), true),
			field(tr(l, lStatus), i18n.Word(l, d.Status), true),
			field(tr(l, lMethod), plain(d.Method), false),
		},
	}
	if d.ProofURL != "" {
		e.Fields = append(e.Fields, field(tr(l, lProof), d.ProofURL, false))
	}
	decided(l, e, string(d.Status), d.DecidedBy, d.Reason)
	c := Card{Embeds: []*discordgo.MessageEmbed{e}}
	if d.Status == cambista.DepositDeclared {
		c.Components = []discordgo.MessageComponent{row(
			button(lConfirmDeposit, l, discordgo.SuccessButton, actConfirmDeposit, d.ID),
			button(lReject, l, discordgo.DangerButton, actRejectDeposit, d.ID))}
	}
	return c
}
